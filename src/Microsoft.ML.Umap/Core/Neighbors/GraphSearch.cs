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
    /// <remarks>
    /// Under the Euclidean metrics on dense rows the walk measures a copy of the rows at half a byte or a byte per
    /// value (<see cref="QuantizedRows"/>) and its <see cref="RerankFactor"/>·k best candidates are then measured
    /// again exactly, from the rows or from a byte copy that gives them back bit for bit
    /// (<see cref="QuantizedRows.ExactRows"/>): the answer holds exact distances, in exact order, and the walk reads
    /// an eighth or a quarter of the bytes.
    /// </remarks>
    internal sealed class GraphSearch<TDistance>
        where TDistance : struct, IDistance
    {
        /// <summary>Trees routed per query; each adds one leaf of seeds.</summary>
        public const int Trees = 3;

        /// <summary>
        /// How far past the k-th best distance the walk still expands. umap-learn uses 0.12 on pynndescent's pruned
        /// search graph; this graph keeps more edges per point, so a smaller margin finds more of the true neighbours
        /// with fewer distance evaluations. A smaller one still costs the placed rows' quality (recall, time and
        /// quality per margin in docs/measurements.md).
        /// </summary>
        public const float Epsilon = 0.04f;

        /// <summary>
        /// The walk's best candidates measured exactly, as a multiple of k: on the codes the k-th and the next few can
        /// trade places, so a few more than k are measured again to keep the recall of a walk on the rows themselves
        /// (docs/measurements.md).
        /// </summary>
        public const double RerankFactor = 1.5;

        // Cache lines of each row requested ahead of measuring it (the hardware prefetcher follows on from there).
        private const int PrefetchLines = 4;

        // Exact rows requested ahead of re-measuring them.
        private const int RerankAhead = 2;

        private readonly VectorSet _data;
        private readonly TDistance _distance;
        private readonly SearchGraph _graph;
        private readonly RandomSketch? _sketch;
        private readonly QuantizedRows? _codes;
        private readonly RandomProjectionTree[] _trees;
        // Working memory of finished queries, taken by the next (no thread affinity, nothing to dispose).
        private readonly ConcurrentBag<Scratch> _idleScratch = new();

        /// <summary>Builds the query structures for <paramref name="data"/> from its k-nearest-neighbour graph.</summary>
        public GraphSearch(VectorSet data, TDistance distance, KnnGraph knn, int leafSize, int sketchDimension, ulong seed, int threads)
        {
            _data = data;
            _distance = distance;
            _graph = SearchGraph.Build(knn);
            if (data is DenseVectorSet dense && distance is EuclideanDistance or SquaredEuclideanDistance)
                _codes = QuantizedRows.TryBuild(dense.Matrix, knn, threads);
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
            var scratch = _idleScratch.TryTake(out var idle) ? idle : new Scratch(_data.Count, _sketch?.OutputDimension ?? _data.Dimension, _codes?.PaddedColumns ?? 0, _data.Dimension);
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
            scratch.ForgetVisits(); // the previous query's marks (cleared here so that one that threw leaves none behind)
            scratch.Candidates.Clear();
            NeighborHeap.Clear(distances, indices);
            // A dense model's queries are dense; anything else, or a query too far out for the codes' arithmetic, is
            // measured exactly all the way.
            var codes = query.IsSparse ? null : _codes;
            if (codes != null && !codes.Prepare(query.Values, scratch.Coded))
                codes = null;
            scratch.Codes = codes;
            if (codes != null)
                scratch.ClearRerank((int)Math.Ceiling(RerankFactor * indices.Length));

            ReadOnlySpan<float> routed;
            if (_sketch != null)
            {
                _sketch.ProjectQuery(query, scratch.Sketch);
                routed = scratch.Sketch;
            }
            else
            {
                routed = query.Values; // dense and narrow: the trees split the rows themselves
            }
            Span<int> leaves = stackalloc int[Trees];
            RandomProjectionTree.FindLeaves(_trees, routed, leaves);
            for (int t = 0; t < Trees; t++)
            {
                var seeds = _trees[t].Leaf(leaves[t]);
                PrefetchRows(seeds, scratch);
                foreach (int p in seeds)
                    Visit(p, query, indices, distances, scratch);
            }

            while (scratch.Candidates.TryDequeue(out int current, out float currentDistance))
            {
                if (_distance.ToDistance(currentDistance) > Bound(indices, distances))
                    break;
                var neighbors = _graph.NeighborsOf(current);
                PrefetchRows(neighbors, scratch);
                foreach (int neighbor in neighbors)
                    Visit(neighbor, query, indices, distances, scratch);
            }

            if (codes != null)
                Rerank(query, indices, distances, scratch);
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
        private void PrefetchRows(ReadOnlySpan<int> points, Scratch scratch)
        {
            foreach (int p in points)
            {
                if (scratch.WasVisited(p))
                    continue;
                if (scratch.Codes != null)
                    scratch.Codes.Prefetch(p);
                else
                    PrefetchExactRow(p);
            }
        }

        /// <summary>Asks for the first <see cref="PrefetchLines"/> cache lines of a dense row, or all of them.</summary>
        private void PrefetchExactRow(int point, bool wholeRow = false)
        {
            if (_data is DenseVectorSet dense)
                dense.Matrix.PrefetchRow(point, wholeRow ? int.MaxValue : PrefetchLines);
        }

        /// <summary>Measures a point not yet seen by this query; keeps it if it is within the search bound.</summary>
        private void Visit(int point, VectorView query, Span<int> indices, Span<float> distances, Scratch scratch)
        {
            if (!scratch.MarkVisited(point))
                return;
            var codes = scratch.Codes;
            float d = codes != null ? codes.SquaredDistance(scratch.Coded, point) : Distance.Reduced(in _distance, query, _data[point]);
            if (_distance.ToDistance(d) < Bound(indices, distances))
            {
                NeighborHeap.Push(distances, indices, d, point);
                scratch.Candidates.Enqueue(point, d);
                _graph.PrefetchNeighbors(point); // its list is read if it is expanded (docs/measurements.md)
                if (codes != null)
                    NeighborHeap.Push(scratch.RerankDistances, scratch.RerankPoints, d, point);
            }
        }

        /// <summary>
        /// Replaces the walk's approximate answer by the exact distances of its best <see cref="RerankFactor"/>·k
        /// candidates (a heap fed every point the walk kept at some time; the best k of them are the approximate
        /// answer), in whatever order the heap holds them: the answer is ordered afterwards.
        /// </summary>
        private void Rerank(VectorView query, Span<int> indices, Span<float> distances, Scratch scratch)
        {
            var kept = scratch.RerankPoints.AsSpan();
            int found = 0;
            foreach (int p in kept)
                found += p >= 0 ? 1 : 0;
            if (found < kept.Length)
            {
                // Fewer candidates than the heap holds: the empty slots (−1) sort first when kept ascending.
                kept.Sort();
                kept = kept[(kept.Length - found)..];
            }
            NeighborHeap.Clear(distances, indices);
            // From a byte copy that gives the rows back bit for bit where there is one: a quarter of the bytes.
            var exact = scratch.Codes!.ExactRows;
            // Every candidate's byte row asked at once into the second-level cache, whose queue is deeper than the
            // nearest cache's, so their misses overlap, then a few rows at a time into the nearest
            // (docs/measurements.md).
            if (exact != null)
            {
                foreach (int p in kept)
                    exact.Prefetch(p, secondLevel: true);
            }
            for (int j = 0; j < Math.Min(RerankAhead, kept.Length); j++)
                PrefetchForRerank(kept[j], exact);
            for (int j = 0; j < kept.Length; j++)
            {
                // A few whole rows in flight at a time: more would queue behind each other in the memory system.
                if (j + RerankAhead < kept.Length)
                    PrefetchForRerank(kept[j + RerankAhead], exact);
                NeighborHeap.Push(distances, indices, ExactReduced(query, kept[j], exact, scratch.Row), kept[j]);
            }
        }

        private void PrefetchForRerank(int point, QuantizedRows? exact)
        {
            if (exact != null)
                exact.Prefetch(point);
            else
                PrefetchExactRow(point, wholeRow: true);
        }

        /// <summary>The reduced distance from the query to a training row, read from <paramref name="exact"/> when given.</summary>
        private float ExactReduced(VectorView query, int point, QuantizedRows? exact, float[] row)
        {
            if (exact == null)
                return Distance.Reduced(in _distance, query, _data[point]);
            exact.Reconstruct(point, row);
            return Distance.Reduced(in _distance, query, VectorView.Dense(row));
        }

        /// <summary>(1 + ε) times the k-th best true distance so far; unbounded until k points are found.</summary>
        private float Bound(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances) =>
            indices[0] < 0 ? float.PositiveInfinity : _distance.ToDistance(distances[0]) * (1f + Epsilon);

        /// <summary>The working memory of one query at a time.</summary>
        private sealed class Scratch
        {
            // One bit a point, set when the current query has seen it: n / 8 bytes, small enough to stay in the nearest
            // cache, where an int stamp a point (32 times the size) would cost a cache miss of its own per visit.
            private readonly ulong[] _visited;
            // The words of _visited holding a set bit, cleared after each query in time proportional to its visits.
            private readonly int[] _dirtyWords;
            private int _dirty;

            public Scratch(int points, int sketchDimension, int codedColumns, int dimension)
            {
                _visited = new ulong[(points + 63) / 64];
                _dirtyWords = new int[_visited.Length];
                Sketch = new float[sketchDimension];
                Coded = new CodedQuery(codedColumns);
                // Sized by the rows, not by the walk's codes: with every column constant the codes have no columns,
                // yet the exact copy still gives whole rows back.
                Row = new float[dimension];
            }

            public bool WasVisited(int point) => (_visited[point >> 6] & (1UL << point)) != 0;

            /// <summary>Marks <paramref name="point"/> seen; false when it already was.</summary>
            public bool MarkVisited(int point)
            {
                ref ulong word = ref _visited[point >> 6];
                ulong bit = 1UL << point; // the shift count is taken mod 64
                if ((word & bit) != 0)
                    return false;
                if (word == 0)
                    _dirtyWords[_dirty++] = point >> 6;
                word |= bit;
                return true;
            }

            /// <summary>Clears every mark, in time proportional to the marked words.</summary>
            public void ForgetVisits()
            {
                foreach (int w in _dirtyWords.AsSpan(0, _dirty))
                    _visited[w] = 0;
                _dirty = 0;
            }

            public float[] Sketch { get; }

            /// <summary>The coded rows the current query's walk measures, or null when it measures the rows themselves.</summary>
            public QuantizedRows? Codes;

            /// <summary>The query in the form <see cref="QuantizedRows.SquaredDistance"/> takes.</summary>
            public CodedQuery Coded { get; }

            /// <summary>A training row rebuilt from exact codes, to be measured again.</summary>
            public float[] Row { get; }

            /// <summary>The best candidates the walk kept, by approximate distance (a heap, −1 in empty slots).</summary>
            public int[] RerankPoints = Array.Empty<int>();

            public float[] RerankDistances = Array.Empty<float>();

            /// <summary>Empties the candidates' heap, sized for <paramref name="count"/>.</summary>
            public void ClearRerank(int count)
            {
                if (RerankPoints.Length != count)
                {
                    RerankPoints = new int[count];
                    RerankDistances = new float[count];
                }
                NeighborHeap.Clear(RerankDistances, RerankPoints);
            }

            public PriorityQueue<int, float> Candidates { get; } = new PriorityQueue<int, float>();
        }
    }
}
