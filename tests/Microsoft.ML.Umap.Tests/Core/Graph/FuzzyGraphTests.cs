using System;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Graph
{
    public class FuzzyGraphTests
    {
        [Theory]
        [InlineData(1.0)]
        [InlineData(0.5)]
        [InlineData(0.0)]
        public void GraphIsSymmetricWithWeightsInUnitIntervalAndNoSelfLoops(double mix)
        {
            var data = TestMatrices.Gaussian(250, 6, seed: 7);
            var knn = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(10, new FitMonitor());
            var graph = FuzzySimplicialSet.Build(knn, 1.0, mix, threads: 2).Graph;
            for (int i = 0; i < graph.Rows; i++)
            {
                var columns = graph.RowColumns(i);
                var values = graph.RowValues(i);
                for (int p = 0; p < columns.Length; p++)
                {
                    Assert.NotEqual(i, columns[p]);
                    Assert.InRange(values[p], float.Epsilon, 1f);
                    Assert.Equal(values[p], graph[columns[p], i]);
                    if (p > 0)
                        Assert.True(columns[p] > columns[p - 1]);
                }
            }
        }

        [Fact]
        public void UnionAndIntersectionFollowTheFuzzyFormulas()
        {
            // Directed memberships: 0→1 = 0.5, 1→0 = 0.4, 0→2 = 1 (no 2→0).
            var directed = CsrMatrix.FromRows(3, 3, new[] { 0, 2, 3, 3 }, new[] { 2, 1, 0 }, new[] { 1f, 0.5f, 0.4f });
            var union = FuzzySetOperations.Symmetrize(directed, 1.0);
            Assert.Equal(0.5 + 0.4 - 0.2, union[0, 1], 6);
            Assert.Equal(1.0, union[2, 0], 6);
            var intersection = FuzzySetOperations.Symmetrize(directed, 0.0);
            Assert.Equal(0.2, intersection[1, 0], 6);
            Assert.Equal(0f, intersection[0, 2]);
            Assert.Equal(2, intersection.NonZeroCount);
            var mixed = FuzzySetOperations.Symmetrize(directed, 0.25);
            Assert.Equal(0.25 * 0.7 + 0.75 * 0.2, mixed[0, 1], 6);
        }

        [Fact]
        public void ConnectedComponentsAreLabelledInOrderOfTheirLowestVertex()
        {
            // Edges 0-3, 1-2, 4 isolated.
            var graph = CsrMatrix.FromRows(5, 5, new[] { 0, 1, 2, 3, 4, 4 }, new[] { 3, 2, 1, 0 }, new[] { 1f, 1f, 1f, 1f });
            var labels = ConnectedComponents.Label(graph, out int count);
            Assert.Equal(3, count);
            Assert.Equal(new[] { 0, 1, 1, 0, 2 }, labels);
        }

        [Theory]
        [InlineData(15)]
        [InlineData(200)]
        public void RowsAreSortedByColumnWithTheirValuesWhateverTheirLength(int length)
        {
            // Short rows (a k-nearest-neighbour row) are sorted by the matrix itself, long ones by the framework.
            var random = new Random(length);
            var columns = new int[length];
            for (int i = 0; i < length; i++)
                columns[i] = i * 3;
            random.Shuffle(columns);
            var values = Array.ConvertAll(columns, c => c * 0.5f);
            var matrix = CsrMatrix.FromRows(1, 3 * length, new[] { 0, length }, columns, values);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(i * 3, matrix.ColumnIndices[i]);
                Assert.Equal(i * 1.5f, matrix.Values[i]);
            }
        }
    }
}
