using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Neighbors;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class NeighborHeapTests
    {
        [Fact]
        public void KeepsTheSmallestCandidatesSortedWithTiesByIndex()
        {
            var rng = new Random(5);
            var candidates = Enumerable.Range(0, 200).Select(i => (Distance: (float)rng.Next(0, 20), Index: i)).ToArray();
            var distances = new float[7];
            var indices = new int[7];
            NeighborHeap.Clear(distances, indices);
            foreach (var (d, i) in Enumerable.Reverse(candidates))
                NeighborHeap.Push(distances, indices, d, i);
            NeighborHeap.SortAscending(distances, indices);

            var expected = candidates.OrderBy(c => c.Distance).ThenBy(c => c.Index).Take(7).ToArray();
            Assert.Equal(expected.Select(c => c.Index), indices);
            Assert.Equal(expected.Select(c => c.Distance), distances);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(14)]
        [InlineData(60)]
        public void ClearEmptiesEverySlotOfTheSpansItIsGiven(int length)
        {
            // Slices of larger arrays, as NN-descent clears them: nothing outside them may change.
            var distances = Enumerable.Repeat(3.5f, length + 2).ToArray();
            var indices = Enumerable.Repeat(9, length + 2).ToArray();
            NeighborHeap.Clear(distances.AsSpan(1, length), indices.AsSpan(1, length));
            Assert.All(distances.Skip(1).Take(length), d => Assert.Equal(float.PositiveInfinity, d));
            Assert.All(indices.Skip(1).Take(length), i => Assert.Equal(-1, i));
            Assert.Equal(new[] { 3.5f, 3.5f }, new[] { distances[0], distances[^1] });
            Assert.Equal(new[] { 9, 9 }, new[] { indices[0], indices[^1] });
        }

        [Fact]
        public void CheckedPushIgnoresAnIndexAlreadyHeld()
        {
            var distances = new float[3];
            var indices = new int[3];
            NeighborHeap.Clear(distances, indices);
            Assert.True(NeighborHeap.CheckedPush(distances, indices, 1f, 4));
            Assert.False(NeighborHeap.CheckedPush(distances, indices, 0.5f, 4));
            Assert.Equal(1, indices.Count(i => i == 4));
        }

        [Fact]
        public void UnfilledSlotsStayEmpty()
        {
            var distances = new float[4];
            var indices = new int[4];
            NeighborHeap.Clear(distances, indices);
            NeighborHeap.Push(distances, indices, 2f, 9);
            NeighborHeap.SortAscending(distances, indices);
            Assert.Equal(new[] { 9, -1, -1, -1 }, indices);
            Assert.True(float.IsPositiveInfinity(distances[3]));
        }
    }
}
