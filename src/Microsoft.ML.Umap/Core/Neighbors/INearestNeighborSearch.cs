using System;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A nearest-neighbour search over a fixed set of points: the k-nearest-neighbour graph of the set itself
    /// (for fitting) and queries for arbitrary points (for embedding new rows).
    /// </summary>
    internal interface INearestNeighborSearch
    {
        /// <summary>The number of indexed points.</summary>
        int PointCount { get; }

        /// <summary>The metric's disconnection distance (+∞ for unbounded metrics); see <see cref="Distances.IDistance"/>.</summary>
        float DisconnectionDistance { get; }

        /// <summary>The true distance between two vectors stored alike (both dense or both sparse), in the search's metric.</summary>
        float Measure(VectorView x, VectorView y);

        /// <summary>
        /// The <paramref name="neighborCount"/> nearest neighbours of every indexed point, the point itself
        /// first (see <see cref="KnnGraph"/>).
        /// </summary>
        KnnGraph ComputeGraph(int neighborCount, FitMonitor monitor);

        /// <summary>
        /// The graph of every indexed point when the first <paramref name="previous"/>.PointCount points already
        /// have theirs and each later point comes with some near neighbours among them (<paramref name="starts"/>:
        /// <paramref name="startCount"/> per later point, nearest first, −1 for none). A search that is exact anyway
        /// may ignore both and compute the graph afresh.
        /// </summary>
        KnnGraph ExtendGraph(KnnGraph previous, int[] starts, int startCount, int neighborCount, FitMonitor monitor);

        /// <summary>
        /// The nearest indexed points to <paramref name="query"/>, ascending by (distance, index); as many as
        /// <paramref name="indices"/> has room for. Distances are true distances. Safe to call concurrently.
        /// </summary>
        void Query(VectorView query, Span<int> indices, Span<float> distances);
    }
}
