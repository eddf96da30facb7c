using System;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// The k nearest neighbours of every point, in flat row-major arrays of shape (n, k). Row <c>i</c> lists
    /// point <c>i</c> itself first (distance 0), then its k − 1 nearest other points by increasing distance,
    /// ties broken by the smaller index. An entry of −1 marks a missing neighbour (fewer candidates than k).
    /// </summary>
    internal sealed class KnnGraph
    {
        public KnnGraph(int[] indices, float[] distances, int pointCount, int neighborCount)
        {
            if (indices.Length != (long)pointCount * neighborCount || distances.Length != indices.Length)
                throw new ArgumentException("The index and distance arrays must both have pointCount × neighborCount entries.");
            Indices = indices;
            Distances = distances;
            PointCount = pointCount;
            NeighborCount = neighborCount;
        }

        /// <summary>Neighbour indices, shape (n, k).</summary>
        public int[] Indices { get; }

        /// <summary>True (not reduced) distances to the neighbours, shape (n, k).</summary>
        public float[] Distances { get; }

        /// <summary>n, the number of points.</summary>
        public int PointCount { get; }

        /// <summary>k, neighbours per point (the point itself included).</summary>
        public int NeighborCount { get; }

        public ReadOnlySpan<int> RowIndices(int point) => new ReadOnlySpan<int>(Indices, point * NeighborCount, NeighborCount);

        public ReadOnlySpan<float> RowDistances(int point) => new ReadOnlySpan<float>(Distances, point * NeighborCount, NeighborCount);
    }
}
