using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>The settings of <see cref="DensityRegularization"/> (densMAP), with umap-learn's defaults.</summary>
    internal sealed class DensitySettings
    {
        /// <summary>Weight of the density term against the UMAP objective [dens_lambda].</summary>
        public double Strength { get; init; } = UmapDefaults.DensityRegularizationStrength;

        /// <summary>Fraction of the epochs, at the end, in which the term acts [dens_frac].</summary>
        public double Fraction { get; init; } = UmapDefaults.DensityRegularizationFraction;

        /// <summary>Added to the variance of the embedding's log radii to keep the term stable [dens_var_shift].</summary>
        public double VarianceShift { get; init; } = UmapDefaults.DensityRegularizationVarianceShift;

        /// <summary>Throws <see cref="System.ArgumentOutOfRangeException"/> naming the first invalid setting by its public option name.</summary>
        public void Validate()
        {
            UmapParameters.Check(Strength >= 0 && Strength <= UmapLimits.MaximumDensitySetting, "DensityRegularizationStrength", Strength, $"must be between 0 and {UmapLimits.MaximumDensitySetting}");
            UmapParameters.Check(Fraction >= 0 && Fraction <= 1, "DensityRegularizationFraction", Fraction, "must be between 0 and 1");
            UmapParameters.Check(VarianceShift >= 0 && VarianceShift <= UmapLimits.MaximumDensitySetting, "DensityRegularizationVarianceShift", VarianceShift, $"must be between 0 and {UmapLimits.MaximumDensitySetting}");
        }
    }
}
