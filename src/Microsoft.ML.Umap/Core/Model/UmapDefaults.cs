namespace Microsoft.ML.Umap.Core.Model
{
    /// <summary>
    /// Every default of a fit, written once: the public options, the catalog methods, the core's parameters and the
    /// layout and densMAP settings all take theirs from here. Values are umap-learn's (its names in brackets); the
    /// public float options convert these doubles exactly to the decimal a user would type (0.1f for 0.1).
    /// </summary>
    internal static class UmapDefaults
    {
        public const string InputColumnName = "Features";
        public const string OutputColumnName = "Embedding";

        /// <summary>[n_components]</summary>
        public const int NumberOfComponents = 2;

        /// <summary>[n_neighbors]</summary>
        public const int NumberOfNeighbors = 15;

        /// <summary>[min_dist]</summary>
        public const double MinimumDistance = 0.1;

        /// <summary>[spread]</summary>
        public const double Spread = 1.0;

        /// <summary>[learning_rate]</summary>
        public const double LearningRate = 1.0;

        /// <summary>[negative_sample_rate]</summary>
        public const int NegativeSampleRate = 5;

        /// <summary>[repulsion_strength]</summary>
        public const double RepulsionStrength = 1.0;

        /// <summary>[local_connectivity]</summary>
        public const double LocalConnectivity = 1.0;

        /// <summary>[set_op_mix_ratio]</summary>
        public const double SetOperationMixRatio = 1.0;

        /// <summary>The Minkowski exponent [metric_kwds p]: 2 is Euclidean.</summary>
        public const double MinkowskiP = 2.0;

        /// <summary>[target_weight]</summary>
        public const double TargetWeight = 0.5;

        /// <summary>[dens_lambda]</summary>
        public const double DensityRegularizationStrength = 2.0;

        /// <summary>[dens_frac]</summary>
        public const double DensityRegularizationFraction = 0.3;

        /// <summary>[dens_var_shift]</summary>
        public const double DensityRegularizationVarianceShift = 0.1;

        /// <summary>Below this many rows neighbours are searched exactly (umap-learn and uwot: 4,096).</summary>
        public const int ExactSearchRows = 4096;

        /// <summary>Up to this many rows the default is <see cref="SmallDataEpochs"/> epochs, above it <see cref="LargeDataEpochs"/>.</summary>
        public const int SmallDataRows = 10_000;

        public const int SmallDataEpochs = 500;

        public const int LargeDataEpochs = 200;

        /// <summary>umap-learn gives densMAP this many more epochs by default.</summary>
        public const int DensityExtraEpochs = 200;

        /// <summary>A new row is optimised for this fraction of the fit's epochs by default (uwot's choice).</summary>
        public const int TransformEpochsDivisor = 3;
    }
}
