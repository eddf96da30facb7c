using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// For each point, the points whose neighbour lists hold it, in ascending order, each with whether that entry is
    /// new: the reverse half of NN-descent's candidates, gathered once a round instead of by a scan of every list for
    /// each group of targets. Its loops are compiled optimised at their first call, as NN-descent's are.
    /// </summary>
    internal sealed class ReverseNeighbors
    {
        private readonly int[] _offsets;
        private readonly int[] _cursors;
        // A source, or its complement when its entry is new; each point's run sorted by source.
        private readonly int[] _entries;

        /// <param name="points">Points in the graph.</param>
        /// <param name="capacity">Entries in one point's neighbour list.</param>
        public ReverseNeighbors(int points, int capacity)
        {
            _offsets = new int[points + 1];
            _cursors = new int[points];
            _entries = new int[checked(points * capacity)];
        }

        /// <summary>The sources of <paramref name="point"/>'s entries, in ascending order (see <see cref="Source"/>, <see cref="IsNew"/>).</summary>
        public ReadOnlySpan<int> Of(int point) => new ReadOnlySpan<int>(_entries, _offsets[point], _offsets[point + 1] - _offsets[point]);

        public static int Source(int entry) => entry < 0 ? ~entry : entry;

        public static bool IsNew(int entry) => entry < 0;

        /// <summary>Gathers the reverse lists of the lists in <paramref name="lists"/>.</summary>
        public void Build(NeighborLists lists, int threads)
        {
            int n = _cursors.Length, others = lists.Capacity;
            var indices = lists.Indices;
            var flags = lists.Flags;
            Array.Clear(_cursors);
            ParallelRange.For(n, 4096, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                for (int i = start * others; i < end * others; i++)
                {
                    if (indices[i] >= 0)
                        Interlocked.Increment(ref _cursors[indices[i]]);
                }
            });
            for (int t = 0; t < n; t++)
            {
                _offsets[t + 1] = _offsets[t] + _cursors[t];
                _cursors[t] = _offsets[t];
            }

            // Threads fill each run in any order; sorting the runs makes the result the same on any thread count.
            ParallelRange.For(n, 4096, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    for (int j = i * others; j < (i + 1) * others; j++)
                    {
                        int target = indices[j];
                        if (target >= 0)
                            _entries[Interlocked.Increment(ref _cursors[target]) - 1] = flags[j] == NeighborLists.New ? ~i : i;
                    }
                }
            });
            ParallelRange.For(n, 4096, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                for (int t = start; t < end; t++)
                    SortBySource(_entries.AsSpan(_offsets[t], _offsets[t + 1] - _offsets[t]));
            });
        }

        /// <summary>Insertion sort: a run holds a point's in-degree, a handful of entries on average.</summary>
        private static void SortBySource(Span<int> run)
        {
            for (int i = 1; i < run.Length; i++)
            {
                int entry = run[i], key = Source(entry), j = i - 1;
                for (; j >= 0 && Source(run[j]) > key; j--)
                    run[j + 1] = run[j];
                run[j + 1] = entry;
            }
        }
    }
}
