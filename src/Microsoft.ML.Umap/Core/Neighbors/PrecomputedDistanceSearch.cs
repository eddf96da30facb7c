using System;
using System.Globalization;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Nearest neighbours read off precomputed distances (umap-learn's <c>metric="precomputed"</c>): each training
    /// row holds its distances to every training row (an n × n matrix with a zero diagonal), and each query row its
    /// distances to the training rows. A row's neighbours are its smallest entries, ties to the smaller index; a
    /// training row lists itself first, as every search does. Zeros a sparse row leaves out are distances of 0.
    /// </summary>
    internal sealed class PrecomputedDistanceSearch : INearestNeighborSearch
    {
        private readonly VectorSet _data;
        private readonly int _threads;

        public PrecomputedDistanceSearch(VectorSet data, int threads)
        {
            _data = data;
            _threads = Math.Max(1, threads);
        }

        public int PointCount => _data.Count;

        public float DisconnectionDistance => float.PositiveInfinity;

        /// <summary>
        /// Between two rows of distances (only the spectral layout of disconnected components asks, for the distance
        /// between component centroids): the Euclidean distance of their distance profiles.
        /// </summary>
        public float Measure(VectorView x, VectorView y)
        {
            var euclidean = default(EuclideanDistance);
            return euclidean.ToDistance(Distance.Reduced(in euclidean, x, y));
        }

        /// <summary>
        /// Null when <paramref name="data"/> is a distance matrix (square, zero diagonal; finite non-negative values
        /// are checked with every row), otherwise what is wrong, to follow "Column 'X'".
        /// </summary>
        public static string? Violation(VectorSet data)
        {
            if (data.Dimension != data.Count)
                return $" has {data.Count:N0} rows of {data.Dimension:N0} values; with Metric = Precomputed each row holds its distances to every row, so the rows must be as many as the values in each (a square matrix)";
            for (int i = 0; i < data.Count; i++)
            {
                float self = ValueAt(data[i], i);
                if (self != 0f)
                    return $", row index {i}, holds {self.ToString(CultureInfo.InvariantCulture)} at position {i}, its distance to itself; a distance matrix has zeros on its diagonal";
            }
            return null;
        }

        public KnnGraph ComputeGraph(int neighborCount, FitMonitor monitor)
        {
            int n = _data.Count;
            var indices = new int[checked(n * neighborCount)];
            var distances = new float[indices.Length];
            monitor.Report(UmapStage.Neighbors, 0, n);
            ParallelRange.For(n, 256, _threads, (start, end) =>
            {
                for (int q = start; q < end; q++)
                {
                    indices[q * neighborCount] = q;
                    distances[q * neighborCount] = 0f;
                    Nearest(_data[q], indices.AsSpan(q * neighborCount + 1, neighborCount - 1), distances.AsSpan(q * neighborCount + 1, neighborCount - 1), excluded: q);
                }
                monitor.ThrowIfCancellationRequested();
            }, monitor.Cancellation);
            monitor.Report(UmapStage.Neighbors, n, n);
            return new KnnGraph(indices, distances, n, neighborCount);
        }

        /// <summary>Exact anyway: the whole graph afresh.</summary>
        public KnnGraph ExtendGraph(KnnGraph previous, int[] starts, int startCount, int neighborCount, FitMonitor monitor) => ComputeGraph(neighborCount, monitor);

        public void Query(VectorView query, Span<int> indices, Span<float> distances)
        {
            if (query.Dimension != _data.Count)
                throw new ArgumentException($"The row has {query.Dimension} distances; the model has {_data.Count} training rows to be measured against.", nameof(query));
            Nearest(query, indices, distances, excluded: -1);
        }

        private static void Nearest(VectorView row, Span<int> indices, Span<float> distances, int excluded)
        {
            NeighborHeap.Clear(distances, indices);
            if (indices.IsEmpty)
                return;
            if (row.IsSparse)
            {
                // Left-out entries are zeros, the smallest distance there is: visit every position in order.
                int next = 0;
                for (int c = 0; c < row.Dimension; c++)
                {
                    float d = 0f;
                    if (next < row.Indices.Length && row.Indices[next] == c)
                        d = row.Values[next++];
                    if (c != excluded && d <= distances[0])
                        NeighborHeap.Push(distances, indices, d, c);
                }
            }
            else
            {
                var values = row.Values;
                for (int c = 0; c < values.Length; c++)
                {
                    if (c != excluded && values[c] <= distances[0])
                        NeighborHeap.Push(distances, indices, values[c], c);
                }
            }
            NeighborHeap.SortAscending(distances, indices);
        }

        private static float ValueAt(VectorView row, int position)
        {
            if (!row.IsSparse)
                return row.Values[position];
            int found = row.Indices.BinarySearch(position);
            return found >= 0 ? row.Values[found] : 0f;
        }
    }
}
