using System.Globalization;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// The values a feature may take: finite numbers, and for the Hellinger metric non-negative ones. The library
    /// refuses the same values, but names a slot of its feature vector; checked while reading, the message names the
    /// file's column.
    /// </summary>
    internal enum FeatureValues
    {
        Finite,
        NonNegative,
    }

    internal static class FeatureValuesExtensions
    {
        public static FeatureValues For(UmapMetric metric) => metric == UmapMetric.Hellinger ? FeatureValues.NonNegative : FeatureValues.Finite;

        /// <summary>Why <paramref name="value"/> (finite) is not allowed, or null when it is.</summary>
        public static string? Problem(this FeatureValues allowed, float value) =>
            allowed == FeatureValues.NonNegative && value < 0
                ? $"{value.ToString(CultureInfo.InvariantCulture)} is negative; the Hellinger metric needs non-negative values (counts or distributions)."
                : null;
    }
}
