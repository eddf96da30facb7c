using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class ReverseNeighborsTests
    {
        /// <summary>Lists of random distinct neighbours (never the point itself), some slots empty, some entries new.</summary>
        private static NeighborLists RandomLists(int points, int capacity, ulong seed)
        {
            var lists = new NeighborLists(points, capacity);
            var rng = FastRandom.ForStream(seed);
            for (int i = 0; i < points; i++)
            {
                var used = new HashSet<int>();
                for (int j = 0; j < capacity; j++)
                {
                    int slot = i * capacity + j;
                    if (rng.NextInt(5) == 0)
                        continue;
                    int other = rng.NextInt(points);
                    if (other == i || !used.Add(other))
                        continue;
                    lists.Indices[slot] = other;
                    lists.Flags[slot] = rng.NextInt(2) == 0 ? NeighborLists.New : (byte)0;
                }
            }
            return lists;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void EachPointGetsTheListsHoldingItInAscendingOrderWithTheirFlags(int threads)
        {
            const int points = 20_000, capacity = 7;
            var lists = RandomLists(points, capacity, seed: 5);
            var reverse = new ReverseNeighbors(points, capacity);
            // Built twice: the second build must not keep anything of the first.
            reverse.Build(RandomLists(points, capacity, seed: 6), threads);
            reverse.Build(lists, threads);

            var expected = Enumerable.Range(0, points).Select(_ => new List<(int Source, bool IsNew)>()).ToArray();
            for (int i = 0; i < points; i++)
            {
                for (int j = 0; j < capacity; j++)
                {
                    int other = lists.Indices[i * capacity + j];
                    if (other >= 0)
                        expected[other].Add((i, lists.Flags[i * capacity + j] == NeighborLists.New));
                }
            }
            for (int t = 0; t < points; t++)
            {
                var actual = reverse.Of(t).ToArray().Select(e => (ReverseNeighbors.Source(e), ReverseNeighbors.IsNew(e))).ToList();
                Assert.Equal(expected[t], actual);
            }
        }
    }
}
