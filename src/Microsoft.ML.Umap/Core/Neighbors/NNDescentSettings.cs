using System;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Settings of the approximate k-nearest-neighbour graph. The defaults are the values umap-learn passes to
    /// pynndescent (its comment: "hacked values for now"), which reach about 98% recall on MNIST.
    /// </summary>
    internal sealed class NNDescentSettings
    {
        /// <summary>Random-projection trees that seed the graph; null: min(64, 5 + round(√n / 20)).</summary>
        public int? Trees { get; init; }

        /// <summary>Largest leaf of a tree; null: max(10, k).</summary>
        public int? LeafSize { get; init; }

        /// <summary>NN-descent rounds at most; null: max(5, round(log2 n)).</summary>
        public int? Iterations { get; init; }

        /// <summary>Candidates sampled per point per round (umap-learn: 60).</summary>
        public int MaximumCandidates { get; init; } = 60;

        /// <summary>Stop when a round changes fewer than Delta · n · k neighbour entries (pynndescent: 0.001).</summary>
        public double Delta { get; init; } = 0.001;

        /// <summary>
        /// Dimension of the random sketch the trees split (the data's own dimension if smaller). Trees only need
        /// rough neighbourhoods; 64 Gaussian projections keep them at a small fraction of the memory traffic.
        /// </summary>
        public int SketchDimension { get; init; } = 64;

        /// <summary>Seed of the trees and the candidate sampling.</summary>
        public ulong Seed { get; init; }

        public int TreesFor(int n) => Trees ?? Math.Min(64, 5 + (int)Math.Round(Math.Sqrt(n) / 20.0));

        public int LeafSizeFor(int k) => LeafSize ?? Math.Max(10, k);

        public int IterationsFor(int n) => Iterations ?? Math.Max(5, (int)Math.Round(Math.Log2(Math.Max(2, n))));
    }
}
