using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Settings of the approximate k-nearest-neighbour graph. The values are the ones umap-learn passes to pynndescent
    /// (its comment: "hacked values for now"), kept so the graph's quality follows umap-learn's (recall in
    /// docs/measurements.md); only the seed varies.
    /// </summary>
    internal sealed class NNDescentSettings
    {
        /// <summary>Candidates sampled per point per round (umap-learn: 60).</summary>
        public const int MaximumCandidates = 60;

        /// <summary>Stop when a round changes fewer than Delta · n · k neighbour entries (pynndescent: 0.001).</summary>
        public const double Delta = 0.001;

        /// <summary>
        /// Dimension of the random sketch the trees split (the data's own dimension if smaller). Trees only need
        /// rough neighbourhoods; 64 Gaussian projections keep them at a small fraction of the memory traffic.
        /// </summary>
        public const int SketchDimension = 64;

        /// <summary>Most random-projection trees that seed the graph (umap-learn: min(64, 5 + round(√n / 20))).</summary>
        private const int MaximumTrees = 64;

        /// <summary>Smallest tree leaf (umap-learn: max(10, k)).</summary>
        private const int MinimumLeafSize = 10;

        /// <summary>Fewest NN-descent rounds (umap-learn: max(5, round(log2 n))).</summary>
        private const int MinimumIterations = 5;

        /// <summary>
        /// Dense data of at least this many rows is searched in the leaf order of a random-projection tree: there the
        /// joins' reads of random rows miss every cache, and in leaf order a point's likely neighbours are near it in
        /// memory. Smaller data is searched in its own order.
        /// </summary>
        public int LocalityOrderFromRows { get; init; } = 100_000;

        /// <summary>Seed of the trees and the candidate sampling.</summary>
        public ulong Seed { get; init; }

        public static int TreesFor(int n) => Math.Min(MaximumTrees, 5 + (int)Math.Round(Math.Sqrt(n) / 20.0));

        public static int LeafSizeFor(int k) => Math.Max(MinimumLeafSize, k);

        public static int IterationsFor(int n) => Math.Max(MinimumIterations, (int)Math.Round(PortableMath.Log2(Math.Max(2, n))));
    }
}
