using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Approximate k-nearest-neighbour graph by NN-descent (Dong, Charikar &amp; Li, 2011) started from the
    /// leaves of a random-projection forest, as pynndescent builds it for umap-learn: a neighbour of a neighbour
    /// is probably a neighbour, so each round compares every point's candidate neighbours with one another.
    /// </summary>
    /// <remarks>
    /// Reproducible for a seed whatever the thread count: candidate sampling uses hash priorities rather than a
    /// shared random stream, distances are computed in parallel against thresholds frozen for the block, and
    /// the resulting updates are applied in a fixed order. Memory is O(n·(k + candidates)) plus the data.
    /// <para>
    /// The loop bodies that run the search are compiled optimised at their first call: each is called once per chunk,
    /// too few times for tiering to replace its precompiled or instrumented code before a first fit's search is over
    /// (figures in docs/measurements.md).
    /// </para>
    /// </remarks>
    internal sealed class NNDescent<TDistance> : INearestNeighborSearch
        where TDistance : struct, IDistance
    {
        // Points whose candidate joins are computed before their updates are applied; pynndescent uses 16384.
        private const int JoinBlock = 16384;

        // Points per parallel work item inside a block.
        private const int WorkItem = 256;

        // Fixed partition of the targets when applying updates (independent of the thread count).
        private const int TargetRanges = 16;

        private readonly VectorSet _data;
        private readonly TDistance _distance;
        private readonly int _threads;
        private readonly NNDescentSettings _settings;
        private readonly object _queryGate = new object();
        private KnnGraph? _graph;
        private volatile GraphSearch<TDistance>? _query;

        public NNDescent(VectorSet data, TDistance distance, int threads, NNDescentSettings? settings, KnnGraph? graph = null)
        {
            _data = data ?? throw new ArgumentNullException(nameof(data));
            _distance = distance;
            _threads = Math.Max(1, threads);
            _settings = settings ?? new NNDescentSettings();
            if (graph != null && graph.PointCount != data.Count)
                throw new ArgumentException("The neighbour graph does not match the data.", nameof(graph));
            _graph = graph;
        }

        public int PointCount => _data.Count;

        public float DisconnectionDistance => _distance.DisconnectionDistance;

        public float Measure(VectorView x, VectorView y) => _distance.ToDistance(Distance.Reduced(in _distance, x, y));

        /// <summary>The graph the queries walk: from <see cref="ComputeGraph"/>, or given at construction.</summary>
        public KnnGraph? Graph => _graph;

        /// <summary>
        /// Approximate query through the neighbour graph (see <see cref="GraphSearch{TDistance}"/>), whose
        /// structures are built on first use.
        /// </summary>
        public void Query(VectorView query, Span<int> indices, Span<float> distances)
        {
            var search = _query;
            if (search is null)
            {
                lock (_queryGate)
                {
                    if (_graph is null)
                        throw new InvalidOperationException("The neighbour graph has not been computed yet.");
                    _query ??= new GraphSearch<TDistance>(_data, _distance, _graph, NNDescentSettings.LeafSizeFor(_graph.NeighborCount), NNDescentSettings.SketchDimension, _settings.Seed, _threads);
                    search = _query;
                }
            }
            search.Query(query, indices, distances);
        }

        public KnnGraph ComputeGraph(int neighborCount, FitMonitor monitor)
        {
            _graph = Compute(neighborCount, monitor);
            _query = null;
            return _graph;
        }

        /// <summary>
        /// Extends a graph to new points (umap-learn's <c>update</c>, pynndescent's index update): the previous points
        /// keep their lists, marked as already joined; each new point starts from the neighbours it was given and is
        /// offered to those neighbours' lists in turn (reverse neighbours); NN-descent rounds then join the new
        /// entries with everything around them until few lists change.
        /// </summary>
        public KnnGraph ExtendGraph(KnnGraph previous, int[] starts, int startCount, int neighborCount, FitMonitor monitor)
        {
            int n = _data.Count, old = previous.PointCount, others = neighborCount - 1;
            if (others <= 0 || others >= n || previous.NeighborCount != neighborCount || old > n)
                return ComputeGraph(neighborCount, monitor);

            var lists = new NeighborLists(n, others);
            var distance = _distance;
            ParallelRange.For(old, 1024, _threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = previous.RowIndices(i);
                    for (int j = 1; j < row.Length; j++)
                    {
                        if (row[j] >= 0)
                            lists.Offer(i, row[j], Distance.Reduced(in distance, _data[i], _data[row[j]]), flag: 0);
                    }
                }
            }, monitor.Cancellation);

            // Distances to the given neighbours in parallel, then offered both ways in a fixed order.
            int added = n - old;
            var startDistances = new float[starts.Length];
            ParallelRange.For(added, 256, _threads, (start, end) =>
            {
                for (int r = start; r < end; r++)
                {
                    for (int j = 0; j < startCount; j++)
                    {
                        int q = starts[r * startCount + j];
                        startDistances[r * startCount + j] = q >= 0 ? Distance.Reduced(in distance, _data[old + r], _data[q]) : float.PositiveInfinity;
                    }
                }
            }, monitor.Cancellation);
            for (int r = 0; r < added; r++)
            {
                for (int j = 0; j < startCount; j++)
                {
                    int q = starts[r * startCount + j];
                    if (q < 0 || q == old + r)
                        continue;
                    lists.Offer(old + r, q, startDistances[r * startCount + j]);
                    lists.Offer(q, old + r, startDistances[r * startCount + j]);
                }
            }

            Descend(lists, neighborCount, stepsBefore: 0, monitor);
            _graph = lists.ToGraph(in _distance, _threads);
            _query = null;
            return _graph;
        }

        /// <param name="neighborCount">Neighbours per point, itself included.</param>
        /// <param name="monitor">Progress and cancellation.</param>
        /// <param name="reorder">Whether large dense data may be renumbered for locality (not again once it has been).</param>
        private KnnGraph Compute(int neighborCount, FitMonitor monitor, bool reorder = true)
        {
            int n = _data.Count;
            int others = neighborCount - 1;
            if (others <= 0 || others >= n)
                return new ExactNearestNeighbors<TDistance>(_data, _distance, _threads).ComputeGraph(neighborCount, monitor);
            // Past the caches, the candidate joins' reads of random rows dominate: rows renumbered in a tree's leaf order
            // put a point's likely neighbours near it in memory. The renumbering is undone on the graph.
            if (reorder && _data is DenseVectorSet dense && n >= _settings.LocalityOrderFromRows)
            {
                var order = LocalityOrder(neighborCount);
                var inner = new NNDescent<TDistance>(new DenseVectorSet(Reorder(dense.Matrix, order)), _distance, _threads, _settings);
                return Restore(inner.Compute(neighborCount, monitor, reorder: false), order);
            }

            var lists = new NeighborLists(n, others);
            int trees = NNDescentSettings.TreesFor(n);
            int iterations = NNDescentSettings.IterationsFor(n);
            long totalSteps = trees + iterations;
            monitor.Report(UmapStage.Neighbors, 0, totalSteps);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            InitializeFromForest(lists, trees, monitor, totalSteps);
            monitor.Info($"NN-descent: {trees} random-projection trees searched in {clock.Elapsed.TotalSeconds:F2} s.");
            StageGarbage.Collect(n); // the trees', before the candidate lists are allocated

            Descend(lists, neighborCount, trees, monitor);
            StageGarbage.Collect(n); // the candidate lists', before the graph is allocated
            return lists.ToGraph(in _distance, _threads);
        }

        /// <summary>The points in the order of one random-projection tree's leaves: points close in space, close in memory.</summary>
        private int[] LocalityOrder(int neighborCount)
        {
            var sketch = RandomSketch.Project(_data, NNDescentSettings.SketchDimension, _settings.Seed, _threads);
            var tree = RandomProjectionTree.Build(sketch, NNDescentSettings.LeafSizeFor(neighborCount), FastRandom.Mix(_settings.Seed ^ 0x10CA117UL), angular: _distance.IsAngular);
            return tree.Points;
        }

        private RowMatrix Reorder(RowMatrix rows, int[] order)
        {
            var reordered = new RowMatrix(rows.Rows, rows.Columns);
            ParallelRange.For(rows.Rows, 4096, _threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                    rows.ReadOnlyRow(order[i]).CopyTo(reordered.Row(i));
            });
            return reordered;
        }

        /// <summary>The graph of the reordered points, in the original order and indices.</summary>
        private KnnGraph Restore(KnnGraph graph, int[] order)
        {
            int n = graph.PointCount, k = graph.NeighborCount;
            var indices = new int[graph.Indices.Length];
            var distances = new float[indices.Length];
            ParallelRange.For(n, 4096, _threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    int original = order[i];
                    graph.RowDistances(i).CopyTo(distances.AsSpan(original * k, k));
                    var row = graph.RowIndices(i);
                    for (int j = 0; j < k; j++)
                        indices[original * k + j] = row[j] < 0 ? -1 : order[row[j]];
                }
            });
            return new KnnGraph(indices, distances, n, k);
        }

        /// <summary>NN-descent rounds (candidates, local join) until a round changes few entries or the round limit.</summary>
        private void Descend(NeighborLists lists, int neighborCount, int stepsBefore, FitMonitor monitor)
        {
            int n = _data.Count;
            int iterations = NNDescentSettings.IterationsFor(n);
            long totalSteps = stepsBefore + iterations;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int candidates = NNDescentSettings.MaximumCandidates;
            var newCandidates = new int[checked(n * candidates)];
            var oldCandidates = new int[newCandidates.Length];
            var reverse = new ReverseNeighbors(n, lists.Capacity);
            // The join's buffers live as long as the descent: a round's offers fill what earlier rounds grew, not fresh memory.
            var offers = new JoinOffers[(JoinBlock + WorkItem - 1) / WorkItem];
            for (int u = 0; u < offers.Length; u++)
                offers[u] = new JoinOffers();
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                monitor.ThrowIfCancellationRequested();
                BuildCandidates(lists, reverse, iteration, newCandidates, oldCandidates, candidates);
                var candidatesTime = clock.Elapsed;
                long changes = JoinCandidates(lists, newCandidates, oldCandidates, candidates, offers, monitor);
                monitor.Report(UmapStage.Neighbors, stepsBefore + iteration + 1, totalSteps);
                monitor.Info($"NN-descent: round {iteration + 1} changed {changes} neighbour entries ({clock.Elapsed.TotalSeconds:F2} s, candidates done at {candidatesTime.TotalSeconds:F2} s).");
                if (changes <= NNDescentSettings.Delta * n * neighborCount)
                    break;
            }
        }

        /// <summary>
        /// Each point's heap starts with the points sharing its leaves, tree after tree. Trees split a sketch of
        /// the data (see <see cref="RandomSketch"/>), which holds the same neighbourhoods in a fraction of the
        /// memory traffic; leaf-mates are then compared on the full vectors, leaf by leaf so a leaf's rows stay
        /// in cache. A point lies in exactly one leaf per tree, so leaves can be processed in parallel.
        /// </summary>
        private void InitializeFromForest(NeighborLists lists, int trees, FitMonitor monitor, long totalSteps)
        {
            int leafSize = NNDescentSettings.LeafSizeFor(lists.Capacity + 1);
            var distance = _distance;
            var sketch = RandomSketch.Project(_data, NNDescentSettings.SketchDimension, _settings.Seed, _threads);
            var rows = (_data as DenseVectorSet)?.Matrix;

            // Trees are built a few at a time (one per thread), then merged into the heaps in tree order, so
            // only a handful of trees is ever in memory.
            for (int first = 0; first < trees; first += _threads)
            {
                int batch = Math.Min(_threads, trees - first);
                var built = new RandomProjectionTree[batch];
                ParallelRange.For(batch, 1, _threads, (start, end) =>
                {
                    for (int t = start; t < end; t++)
                        built[t] = RandomProjectionTree.Build(sketch, leafSize, FastRandom.Mix(_settings.Seed + (ulong)(first + t) * FastRandom.GoldenGamma), angular: distance.IsAngular);
                }, monitor.Cancellation);

                foreach (var tree in built)
                {
                    ParallelRange.For(tree.LeafCount, 64, _threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (firstLeaf, lastLeaf) =>
                    {
                        for (int leaf = firstLeaf; leaf < lastLeaf; leaf++)
                        {
                            // The next leaf's rows are scattered over the matrix: asked for while this one is compared.
                            if (rows != null && leaf + 1 < lastLeaf)
                            {
                                foreach (int q in tree.Leaf(leaf + 1))
                                    rows.PrefetchRow(q);
                            }
                            var members = tree.Leaf(leaf);
                            for (int a = 0; a < members.Length; a++)
                            {
                                int p = members[a];
                                var row = _data[p];
                                for (int b = a + 1; b < members.Length; b++)
                                {
                                    int q = members[b];
                                    float d = Distance.Reduced(in distance, row, _data[q]);
                                    lists.Offer(p, q, d);
                                    lists.Offer(q, p, d);
                                }
                            }
                        }
                    }, monitor.Cancellation);
                }
                monitor.Report(UmapStage.Neighbors, first + batch, totalSteps);
            }
        }

        /// <summary>
        /// Samples up to <paramref name="maxCandidates"/> new and old candidates per point from its neighbours and
        /// reverse neighbours (pynndescent <c>new_build_candidates</c>), by a hash priority so the sample does not
        /// depend on processing order; sampled new neighbours are then marked old.
        /// </summary>
        /// <remarks>
        /// A point's candidates are offered in the order a scan of every list in point order meets them: the reverse
        /// entries from earlier lists, its own list, then the reverse entries from later lists. That order fixes where
        /// each candidate sits in its list, which the local join follows. The priorities live on the stack for one
        /// point at a time.
        /// </remarks>
        private void BuildCandidates(NeighborLists lists, ReverseNeighbors reverse, int iteration, int[] newCandidates, int[] oldCandidates, int maxCandidates)
        {
            int n = _data.Count, others = lists.Capacity;
            var heapIndices = lists.Indices;
            var heapFlags = lists.Flags;
            ulong seed = FastRandom.Mix(_settings.Seed ^ ((ulong)(iteration + 1) * 0xD1B54A32D192ED03UL));
            reverse.Build(lists, _threads);

            ParallelRange.For(n, 1024, _threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                Span<float> newPriorities = stackalloc float[maxCandidates];
                Span<float> oldPriorities = stackalloc float[maxCandidates];
                for (int target = start; target < end; target++)
                {
                    var newTargets = newCandidates.AsSpan(target * maxCandidates, maxCandidates);
                    var oldTargets = oldCandidates.AsSpan(target * maxCandidates, maxCandidates);
                    NeighborHeap.Clear(newPriorities, newTargets);
                    NeighborHeap.Clear(oldPriorities, oldTargets);
                    var sources = reverse.Of(target);
                    int r = 0;
                    for (; r < sources.Length && ReverseNeighbors.Source(sources[r]) < target; r++)
                        Offer(target, ReverseNeighbors.Source(sources[r]), ReverseNeighbors.IsNew(sources[r]), newPriorities, oldPriorities);
                    for (int j = target * others; j < (target + 1) * others; j++)
                    {
                        if (heapIndices[j] >= 0)
                            Offer(target, heapIndices[j], heapFlags[j] == NeighborLists.New, newPriorities, oldPriorities);
                    }
                    for (; r < sources.Length; r++)
                        Offer(target, ReverseNeighbors.Source(sources[r]), ReverseNeighbors.IsNew(sources[r]), newPriorities, oldPriorities);
                }
            });

            ParallelRange.For(n, 4096, _threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var sampled = newCandidates.AsSpan(i * maxCandidates, maxCandidates);
                    for (int j = 0; j < others; j++)
                    {
                        if (heapFlags[i * others + j] == NeighborLists.New && sampled.Contains(heapIndices[i * others + j]))
                            heapFlags[i * others + j] = 0;
                    }
                }
            });

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            void Offer(int target, int candidate, bool isNew, Span<float> newPriorities, Span<float> oldPriorities)
            {
                int at = target * maxCandidates;
                if (isNew)
                    NeighborHeap.CheckedPush(newPriorities, newCandidates.AsSpan(at, maxCandidates), Priority(seed, target, candidate), candidate);
                else
                    NeighborHeap.CheckedPush(oldPriorities, oldCandidates.AsSpan(at, maxCandidates), Priority(seed, target, candidate), candidate);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Priority(ulong seed, int target, int source) =>
            (FastRandom.Mix(seed ^ ((ulong)(uint)target << 32 | (uint)source)) >> 40) * (1.0f / (1 << 24));

        /// <summary>
        /// The local join: within each point's candidates, compares new × new and new × old pairs and offers each
        /// close pair to both points' heaps. Returns the number of heap entries that changed. The offers go through
        /// <paramref name="offers"/>, one buffer per work item of a block, reused by every block and round.
        /// </summary>
        private long JoinCandidates(NeighborLists lists, int[] newCandidates, int[] oldCandidates, int maxCandidates, JoinOffers[] offers, FitMonitor monitor)
        {
            int n = _data.Count;
            long changes = 0;
            var distance = _distance;
            int rangeSize = (n + TargetRanges - 1) / TargetRanges;

            for (int blockStart = 0; blockStart < n; blockStart += JoinBlock)
            {
                monitor.ThrowIfCancellationRequested();
                int blockEnd = Math.Min(n, blockStart + JoinBlock);
                int items = (blockEnd - blockStart + WorkItem - 1) / WorkItem;

                // Distances in parallel; heaps are only read here, so every item sees the same thresholds.
                ParallelRange.For(items, 1, _threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (firstItem, lastItem) =>
                {
                    for (int item = firstItem; item < lastItem; item++)
                    {
                        var list = offers[item];
                        list.Clear();
                        int start = blockStart + item * WorkItem, end = Math.Min(blockEnd, start + WorkItem);
                        for (int i = start; i < end; i++)
                        {
                            var fresh = newCandidates.AsSpan(i * maxCandidates, maxCandidates);
                            var stale = oldCandidates.AsSpan(i * maxCandidates, maxCandidates);
                            for (int a = 0; a < fresh.Length; a++)
                            {
                                int p = fresh[a];
                                if (p < 0)
                                    continue;
                                float thresholdP = lists.Threshold(p);
                                for (int b = a + 1; b < fresh.Length; b++)
                                    Consider(list, p, fresh[b], thresholdP);
                                for (int b = 0; b < stale.Length; b++)
                                    Consider(list, p, stale[b], thresholdP);
                            }
                        }
                    }
                }, monitor.Cancellation);

                // Offers applied by target range, each range in the same (item, emission) order.
                long blockChanges = 0;
                ParallelRange.For(TargetRanges, 1, _threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (firstRange, lastRange) =>
                {
                    long local = 0;
                    for (int range = firstRange; range < lastRange; range++)
                    {
                        int lo = range * rangeSize, hi = Math.Min(n, lo + rangeSize);
                        for (int item = 0; item < items; item++)
                        {
                            foreach (var u in offers[item].Offers)
                            {
                                if (u.Target >= lo && u.Target < hi && lists.Offer(u.Target, u.Other, u.Distance))
                                    local++;
                            }
                        }
                    }
                    Interlocked.Add(ref blockChanges, local);
                }, monitor.Cancellation);
                changes += blockChanges;
            }
            return changes;

            [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
            void Consider(JoinOffers list, int p, int q, float thresholdP)
            {
                if (q < 0 || q == p)
                    return;
                float d = Distance.Reduced(in distance, _data[p], _data[q]);
                if (d <= thresholdP)
                    list.Add(p, q, d);
                if (d <= lists.Threshold(q))
                    list.Add(q, p, d);
            }
        }
    }
}
