using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// The graph a query walks: every point's k nearest neighbours plus the points that have it among theirs
    /// (reverse edges make hubs reachable and bridge clusters), capped at twice k per point by keeping the
    /// closest (pynndescent prunes its search graph similarly).
    /// </summary>
    internal sealed class SearchGraph
    {
        private SearchGraph(int[] offsets, int[] neighbors)
        {
            Offsets = offsets;
            Neighbors = neighbors;
        }

        /// <summary>Point i's neighbours are <c>Neighbors[Offsets[i] .. Offsets[i + 1]]</c>, nearest first.</summary>
        public int[] Offsets { get; }

        public int[] Neighbors { get; }

        public ReadOnlySpan<int> NeighborsOf(int point) => Neighbors.AsSpan(Offsets[point], Offsets[point + 1] - Offsets[point]);

        /// <summary>
        /// Asks for <paramref name="point"/>'s neighbour list ahead of its expansion, so that expanding it does not
        /// wait on the list's cache miss before it can ask for the neighbours' rows.
        /// </summary>
        public unsafe void PrefetchNeighbors(int point)
        {
            if (!Prefetch.IsSupported)
                return;
            int start = Offsets[point], end = Offsets[point + 1];
            fixed (int* neighbors = Neighbors)
            {
                for (nint line = (nint)(neighbors + start) & ~(nint)63; line < (nint)(neighbors + end); line += 64)
                    Prefetch.ToNearestCache((void*)line);
            }
        }

        /// <summary>The search graph of a k-nearest-neighbour graph.</summary>
        public static SearchGraph Build(KnnGraph knn)
        {
            int n = knn.PointCount;
            int k = knn.NeighborCount;
            int maxDegree = Math.Max(1, 2 * (k - 1));

            // All forward and reverse edges, with their lengths.
            var degree = new int[n];
            for (int i = 0; i < n; i++)
            {
                foreach (int j in knn.RowIndices(i))
                {
                    if (j >= 0 && j != i)
                    {
                        degree[i]++;
                        degree[j]++;
                    }
                }
            }
            var offsets = new int[n + 1];
            for (int i = 0; i < n; i++)
                offsets[i + 1] = offsets[i] + degree[i];
            var next = (int[])offsets.Clone();
            var columns = new int[offsets[n]];
            var lengths = new float[offsets[n]];
            for (int i = 0; i < n; i++)
            {
                var row = knn.RowIndices(i);
                var distances = knn.RowDistances(i);
                for (int p = 0; p < row.Length; p++)
                {
                    int j = row[p];
                    if (j < 0 || j == i)
                        continue;
                    columns[next[i]] = j;
                    lengths[next[i]++] = distances[p];
                    columns[next[j]] = i;
                    lengths[next[j]++] = distances[p];
                }
            }

            // Per point: sort by (length, index), drop duplicates, keep the closest maxDegree.
            var resultOffsets = new int[n + 1];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                var cols = columns.AsSpan(offsets[i], degree[i]);
                var lens = lengths.AsSpan(offsets[i], degree[i]);
                lens.Sort(cols);
                int kept = 0;
                for (int p = 0; p < cols.Length && kept < maxDegree; p++)
                {
                    if (cols.Slice(0, kept).Contains(cols[p]))
                        continue;
                    cols[kept] = cols[p];
                    lens[kept] = lens[p];
                    kept++;
                }
                // Compact in place: rows only ever move left.
                cols.Slice(0, kept).CopyTo(columns.AsSpan(count));
                lens.Slice(0, kept).CopyTo(lengths.AsSpan(count));
                count += kept;
                resultOffsets[i + 1] = count;
            }
            Array.Resize(ref columns, count);
            return new SearchGraph(resultOffsets, columns);
        }
    }
}
