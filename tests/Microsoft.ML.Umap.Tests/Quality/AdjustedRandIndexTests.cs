using System;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Quality
{
    public class AdjustedRandIndexTests
    {
        // Expected values from scikit-learn's adjusted_rand_score.
        [Theory]
        [InlineData(new[] { 0, 0, 1, 1, 2, 2 }, new[] { 1, 1, 0, 0, 2, 2 }, 1.0)]
        [InlineData(new[] { 0, 0, 0, 1, 1, 1 }, new[] { 0, 0, 1, 1, 2, 2 }, 0.24242424242424243)]
        [InlineData(new[] { 0, 1, 2, 0, 1, 2, 0, 1 }, new[] { 0, 0, 1, 1, 2, 2, 0, 1 }, -0.14285714285714285)]
        [InlineData(new[] { 3, 3, 3 }, new[] { 5, 5, 5 }, 1.0)]
        public void MatchesScikitLearn(int[] labels, int[] clusters, double expected)
        {
            Assert.Equal(expected, UmapMetrics.AdjustedRandIndex(labels, clusters), 12);
        }

        [Fact]
        public void RejectsMismatchedLengths()
        {
            Assert.Throws<ArgumentException>(() => UmapMetrics.AdjustedRandIndex(new[] { 1, 2 }, new[] { 1 }));
        }
    }
}
