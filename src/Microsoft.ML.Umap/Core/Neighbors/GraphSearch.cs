using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Approximate nearest-neighbour queries over an indexed set (pynndescent's query): the query is routed down a
    /// few random-projection trees to leaves whose points seed a best-first walk of the search graph, which stops
    /// once every unexpanded candidate is farther than (1 + ε) times the k-th best distance found. Thread-safe;
    /// concurrent queries take separate scratch space. The result depends only on the query and the index.
    /// </summary>
    internal sealed class GraphSearch<TDistance>
        where TDistance : struct, IDistance
    {
        /// <summary>Trees routed per query; each adds one leaf of seeds.</summary>
        public const int Trees = 3;

        /// <summary>
        /// How far past the k-th best distance the walk still expands. umap-learn uses 0.12 on pynndescent's pruned
        /// search graph; this graph keeps more edges per point, so a smaller margin finds as many true neighbours
        /// with fewer distance evaluations (docs/measurements.md).
        /// </summary>
        public const float Epsilon = 0.06f;

        // Cache lines of each row requested ahead of measuring it (the hardware prefetcher follows on from there).
        private const int PrefetchLines = 4;

        private readonly VectorSet _data;
        private readonly TDistance _distance;
        private readonly SearchGraph _graph;
        private readonly RandomSketch? _sketch;
        private readonly RandomProjectionTree[] _trees;
        // Working memory of finished queries, taken by the next (no thread affinity, nothing to dispose).
        private readonly ConcurrentBag<Scratch> _idleScratch = new();

        /// <summary>Builds the query structures for <paramref name="data"/> from its k-nearest-neighbour graph.</summary>
        public GraphSearch(VectorSet data, TDistance distance, KnnGraph knn, int leafSize, int sketchDimension, ulong seed, int threads)
        {
            _data = data;
            _distance = distance;
            _graph = SearchGraph.Build(knn);
            _sketch = RandomSketch.For(data, sketchDimension, seed);
            var sketched = _sketch?.Project(data, threads) ?? ((DenseVectorSet)data).Matrix;
            _trees = new RandomProjectionTree[Trees];
            ParallelRange.For(Trees, 1, threads, (start, end) =>
            {
                for (int t = start; t < end; t++)
                    _trees[t] = RandomProjectionTree.Build(sketched, leafSize, FastRandom.Mix(seed ^ (0x5EA4C4UL + (ulong)t)), keepHyperplanes: true, angular: distance.IsAngular);
            });
        }

        /// <summary>The nearest indexed points to <paramref name="query"/>, ascending by (distance, index), true distances.</summary>
        public void Query(VectorView query, Span<int> indices, Span<float> distances)
        {
            var scratch = _idleScratch.TryTake(out var idle) ? idle : new Scratch(_data.Count, _sketch?.OutputDimension ?? _data.Dimension);
            try
            {
                Query(query, indices, distances, scratch);
            }
            finally
            {
                _idleScratch.Add(scratch);
            }
        }

        private void Query(VectorView query, Span<int> indices, Span<float> distances, Scratch scratch)
        {
            int stamp = scratch.NextStamp();
            scratch.Candidates.Clear();
            NeighborHeap.Clear(distances, indices);

            ReadOnlySpan<float> routed;
            if (_sketch != null)
            {
                _sketch.Project(query, scratch.Sketch);
                routed = scratch.Sketch;
            }
            else
            {
                routed = query.Values; // dense and narrow: the trees split the rows themselves
            }
            foreach (var tree in _trees)
            {
                foreach (int p in tree.Leaf(tree.FindLeaf(routed)))
                    Visit(p, query, indices, distances, scratch, stamp);
            }

            while (scratch.Candidates.TryDequeue(out int current, out float currentDistance))
            {
                if (_distance.ToDistance(currentDistance) > Bound(indices, distances))
                    break;
                var neighbors = _graph.NeighborsOf(current);
                PrefetchRows(neighbors, scratch, stamp);
                foreach (int neighbor in neighbors)
                    Visit(neighbor, query, indices, distances, scratch, stamp);
            }

            NeighborHeap.SortAscending(distances, indices);
            for (int j = 0; j < distances.Length; j++)
            {
                if (indices[j] >= 0)
                    distances[j] = _distance.ToDistance(distances[j]);
            }
        }

        /// <summary>
        /// Asks the memory system for the rows about to be measured, so their cache misses overlap instead of
        /// arriving one after another (the walk is bound by memory latency, not arithmetic).
        /// </summary>
        private unsafe void PrefetchRows(ReadOnlySpan<int> points, Scratch scratch, int stamp)
        {
            if (!System.Runtime.Intrinsics.X86.Sse.IsSupported || _data is not DenseVectorSet dense)
                return;
            var matrix = dense.Matrix;
            int rowBytes = matrix.Columns * sizeof(float);
            int lines = Math.Min(PrefetchLines, (rowBytes + 63) / 64);
            fixed (float* basePointer = matrix.Values)
            {
                foreach (int p in points)
                {
                    if (scratch.Visited[p] == stamp)
                        continue;
                    byte* row = (byte*)(basePointer + (long)p * matrix.Columns);
                    for (int line = 0; line < lines; line++)
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + line * 64);
                }
            }
        }

        /// <summary>Measures a point not yet seen by this query; keeps it if it is within the search bound.</summary>
        private void Visit(int point, VectorView query, Span<int> indices, Span<float> distances, Scratch scratch, int stamp)
        {
            if (scratch.Visited[point] == stamp)
                return;
            scratch.Visited[point] = stamp;
            float d = Distance.Reduced(in _distance, query, _data[point]);
            if (_distance.ToDistance(d) < Bound(indices, distances))
            {
                NeighborHeap.Push(distances, indices, d, point);
                scratch.Candidates.Enqueue(point, d);
            }
        }

        /// <summary>(1 + ε) times the k-th best true distance so far; unbounded until k points are found.</summary>
        private float Bound(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances) =>
            indices[0] < 0 ? float.PositiveInfinity : _distance.ToDistance(distances[0]) * (1f + Epsilon);

        /// <summary>The working memory of one query at a time.</summary>
        private sealed class Scratch
        {
            private int _stamp;

            public Scratch(int points, int sketchDimension)
            {
                Visited = new int[points];
                Sketch = new float[sketchDimension];
            }

            /// <summary>Visited[p] == current stamp marks p as seen by this query (no clearing between queries).</summary>
            public int[] Visited { get; }

            public float[] Sketch { get; }

            public PriorityQueue<int, float> Candidates { get; } = new PriorityQueue<int, float>();

            public int NextStamp()
            {
                if (++_stamp == int.MaxValue)
                {
                    Array.Clear(Visited);
                    _stamp = 1;
                }
                return _stamp;
            }
        }
    }
}
