using System;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Brute-force nearest neighbours: every pair is measured, so the result is exact. Queries are processed
    /// in blocks on all threads, and candidate rows in blocks sized to stay in the L2 cache while a query
    /// block is scanned against them. O(n² d) work: the right choice below a few thousand rows.
    /// </summary>
    internal sealed class ExactNearestNeighbors<TDistance> : INearestNeighborSearch
        where TDistance : struct, IDistance
    {
        // Rows of the query block handled as one work item: enough to amortise a candidate block's load.
        private const int QueryBlockRows = 32;

        // Bytes of candidate rows scanned together; about a quarter of a typical per-core L2 cache.
        private const int CandidateBlockBytes = 256 * 1024;

        private readonly VectorSet _data;
        private readonly TDistance _distance;
        private readonly int _threads;

        public ExactNearestNeighbors(VectorSet data, TDistance distance, int threads)
        {
            _data = data ?? throw new ArgumentNullException(nameof(data));
            _distance = distance;
            _threads = Math.Max(1, threads);
        }

        public int PointCount => _data.Count;

        public float DisconnectionDistance => _distance.DisconnectionDistance;

        public float Measure(VectorView x, VectorView y) => _distance.ToDistance(Distance.Reduced(in _distance, x, y));

        public KnnGraph ComputeGraph(int neighborCount, FitMonitor monitor)
        {
            if (neighborCount < 1)
                throw new ArgumentOutOfRangeException(nameof(neighborCount), neighborCount, "At least one neighbour (the point itself) is required.");

            int n = _data.Count;
            int others = neighborCount - 1;
            var indices = new int[checked(n * neighborCount)];
            var distances = new float[indices.Length];
            long bytesPerRow = Math.Max(1, _data.StoredBytes / Math.Max(1, n));
            int candidateBlock = (int)Math.Max(8, CandidateBlockBytes / bytesPerRow);
            long blocksDone = 0;
            var progressGate = new object();
            long blockCount = (n + QueryBlockRows - 1) / QueryBlockRows;
            monitor.Report(UmapStage.Neighbors, 0, blockCount);
            var distance = _distance;

            ParallelRange.For(n, QueryBlockRows, _threads, (start, end) =>
            {
                for (int q = start; q < end; q++)
                {
                    NeighborHeap.Clear(distances.AsSpan(q * neighborCount + 1, others), indices.AsSpan(q * neighborCount + 1, others));
                }

                for (int cStart = 0; cStart < n; cStart += candidateBlock)
                {
                    monitor.ThrowIfCancellationRequested();
                    int cEnd = Math.Min(n, cStart + candidateBlock);
                    for (int q = start; q < end; q++)
                    {
                        if (others == 0)
                            break;
                        var query = _data[q];
                        var heapD = distances.AsSpan(q * neighborCount + 1, others);
                        var heapI = indices.AsSpan(q * neighborCount + 1, others);
                        for (int c = cStart; c < cEnd; c++)
                        {
                            if (c == q)
                                continue;
                            float d = Distance.Reduced(in distance, query, _data[c]);
                            if (d <= heapD[0])
                                NeighborHeap.Push(heapD, heapI, d, c);
                        }
                    }
                }

                for (int q = start; q < end; q++)
                {
                    var heapD = distances.AsSpan(q * neighborCount + 1, others);
                    var heapI = indices.AsSpan(q * neighborCount + 1, others);
                    NeighborHeap.SortAscending(heapD, heapI);
                    for (int j = 0; j < others; j++)
                    {
                        if (heapI[j] >= 0)
                            heapD[j] = distance.ToDistance(heapD[j]);
                    }
                    indices[q * neighborCount] = q;
                    distances[q * neighborCount] = 0f;
                }

                // Counted and reported under one lock: a worker's count overtaken by another's before it reached
                // the monitor would be dropped as a step backwards, and the reports would vary from fit to fit.
                lock (progressGate)
                    ReportTenths(monitor, ++blocksDone, blockCount);
            }, monitor.Cancellation);

            return new KnnGraph(indices, distances, n, neighborCount);
        }

        /// <summary>Exact anyway: the whole graph afresh.</summary>
        public KnnGraph ExtendGraph(KnnGraph previous, int[] starts, int startCount, int neighborCount, FitMonitor monitor) => ComputeGraph(neighborCount, monitor);

        public void Query(VectorView query, Span<int> indices, Span<float> distances) => Query(query, indices, distances, excluded: -1);

        /// <summary>The nearest indexed points to <paramref name="query"/> other than point <paramref name="excluded"/> (−1: none).</summary>
        public void Query(VectorView query, Span<int> indices, Span<float> distances, int excluded)
        {
            if (query.Dimension != _data.Dimension)
                throw new ArgumentException($"The query has {query.Dimension} values; the index holds vectors of {_data.Dimension}.", nameof(query));
            NeighborHeap.Clear(distances, indices);
            for (int c = 0; c < _data.Count; c++)
            {
                if (c == excluded)
                    continue;
                float d = Distance.Reduced(in _distance, query, _data[c]);
                if (d <= distances[0])
                    NeighborHeap.Push(distances, indices, d, c);
            }
            NeighborHeap.SortAscending(distances, indices);
            for (int j = 0; j < distances.Length; j++)
            {
                if (indices[j] >= 0)
                    distances[j] = _distance.ToDistance(distances[j]);
            }
        }

        private static void ReportTenths(FitMonitor monitor, long done, long total)
        {
            // Report only when a tenth is crossed, so the callback sees a handful of calls, not one per block.
            if (done * 10 / total != (done - 1) * 10 / total || done == total)
                monitor.Report(UmapStage.Neighbors, done, total);
        }
    }
}
