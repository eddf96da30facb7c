namespace Microsoft.ML.Umap.Core.Model
{
    /// <summary>
    /// The range of every setting, checked when an estimator is created and when a model is loaded. The bounds sit
    /// far beyond what any use of UMAP needs; past them the arithmetic overflows, a loop outgrows its counters, or a
    /// model file could make each transformed row cost hours. docs/behaviour-and-limits.md ("Limits") lists them for users.
    /// </summary>
    internal static class UmapLimits
    {
        /// <summary>Largest NumberOfComponents (umap-learn embeds into 2 to a few dozen).</summary>
        public const int MaximumComponents = 1000;

        /// <summary>Largest NumberOfNeighbors and TargetNumberOfNeighbors (umap-learn suggests 2 to 100).</summary>
        public const int MaximumNeighbors = 1000;

        /// <summary>Largest NumberOfEpochs and NumberOfTransformEpochs (umap-learn's defaults: 200 to 700).</summary>
        public const int MaximumEpochs = 10_000;

        /// <summary>Largest LearningRate (default 1).</summary>
        public const double MaximumLearningRate = 1000;

        /// <summary>Largest NegativeSampleRate (default 5).</summary>
        public const int MaximumNegativeSampleRate = 100;

        /// <summary>Largest RepulsionStrength (default 1).</summary>
        public const double MaximumRepulsionStrength = 1000;

        /// <summary>Largest LocalConnectivity (default 1; only values below NumberOfNeighbors change anything).</summary>
        public const double MaximumLocalConnectivity = MaximumNeighbors;

        /// <summary>Smallest Spread: a and b are fitted on a grid of this scale, and a grows as Spread^(−2b).</summary>
        public const double MinimumSpread = 1e-3;

        /// <summary>Largest Spread (default 1).</summary>
        public const double MaximumSpread = 1000;

        /// <summary>Largest curve parameter a, given or fitted (fitted a spans 3e-13 to 5e10 over the allowed Spread).</summary>
        public const double MaximumA = 1e12;

        /// <summary>Largest curve parameter b, given or fitted (fitted b spans 0.79 to 1.93).</summary>
        public const double MaximumB = 5;

        /// <summary>Smallest Minkowski exponent p (the distance is a 1/p-th power of a sum).</summary>
        public const double MinimumMinkowskiP = 0.1;

        /// <summary>Largest Minkowski exponent p (Chebyshev is the limit of large p).</summary>
        public const double MaximumMinkowskiP = 100;

        /// <summary>Largest DensityRegularizationStrength and DensityRegularizationVarianceShift.</summary>
        public const double MaximumDensitySetting = 1000;

        /// <summary>
        /// Widest sparse column a custom distance is used on: the function takes dense vectors, so every distance
        /// expands both rows to the column's full width (a hashed column of 2^22 slots would take hours).
        /// </summary>
        public const int MaximumCustomDistanceSparseWidth = 1 << 16;

        /// <summary>Largest NumberOfThreads.</summary>
        public const int MaximumThreads = 1024;
    }
}
