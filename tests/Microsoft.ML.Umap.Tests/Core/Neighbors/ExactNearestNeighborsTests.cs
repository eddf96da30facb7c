using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class ExactNearestNeighborsTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void MatchesNaiveSearchWithSelfFirst(int threads)
        {
            var data = TestMatrices.Gaussian(300, 13, seed: 1);
            var knn = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, threads).ComputeGraph(8, new FitMonitor());
            for (int i = 0; i < data.Rows; i++)
            {
                var expected = Enumerable.Range(0, data.Rows).Where(j => j != i)
                    .Select(j => (Index: j, Distance: Naive(data, i, j)))
                    .OrderBy(p => p.Distance).ThenBy(p => p.Index).Take(7).ToArray();
                Assert.Equal(i, knn.RowIndices(i)[0]);
                Assert.Equal(0f, knn.RowDistances(i)[0]);
                Assert.Equal(expected.Select(p => p.Index), knn.RowIndices(i).Slice(1).ToArray());
                for (int j = 0; j < 7; j++)
                    Assert.Equal(expected[j].Distance, knn.RowDistances(i)[j + 1], 1e-4f);
            }
        }

        [Fact]
        public void DuplicatesAndTiesResolveByIndexAndSelfStaysFirst()
        {
            // Rows 0, 2 and 4 are identical; rows 1 and 3 are equidistant from them.
            var data = new RowMatrix(new float[] { 0, 0, 1, 0, 0, 0, -1, 0, 0, 0 }, 5, 2);
            var knn = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 1).ComputeGraph(4, new FitMonitor());
            Assert.Equal(new[] { 2, 0, 4, 1 }, knn.RowIndices(2).ToArray());
            Assert.Equal(new[] { 4, 0, 2, 1 }, knn.RowIndices(4).ToArray());
            Assert.Equal(new[] { 0f, 0f, 0f, 1f }, knn.RowDistances(4).ToArray());
        }

        [Fact]
        public void MissingNeighboursAreMarkedWhenKExceedsTheData()
        {
            var data = TestMatrices.Gaussian(3, 2, seed: 2);
            var knn = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 1).ComputeGraph(5, new FitMonitor());
            Assert.Equal(-1, knn.RowIndices(0)[3]);
            Assert.Equal(-1, knn.RowIndices(0)[4]);
            Assert.True(float.IsPositiveInfinity(knn.RowDistances(0)[4]));
        }

        [Fact]
        public void QueryFindsTheNearestIndexedPoints()
        {
            var data = TestMatrices.Gaussian(100, 4, seed: 3);
            var search = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2);
            var query = new float[] { 0.1f, -0.2f, 0.3f, 0f };
            var indices = new int[5];
            var distances = new float[5];
            search.Query(VectorView.Dense(query), indices, distances);
            var expected = Enumerable.Range(0, 100).OrderBy(j => DistanceKernels.SquaredEuclidean(query, data.ReadOnlyRow(j))).ThenBy(j => j).Take(5);
            Assert.Equal(expected, indices);
            Assert.True(distances.Zip(distances.Skip(1)).All(p => p.First <= p.Second));
        }

        [Fact]
        public void CancellationStopsTheSearch()
        {
            var data = TestMatrices.Gaussian(2000, 8, seed: 4);
            using var cts = new System.Threading.CancellationTokenSource();
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(5, new FitMonitor(cancellation: cts.Token)));
        }

        private static float Naive(RowMatrix m, int i, int j)
        {
            double sum = 0;
            for (int d = 0; d < m.Columns; d++)
            {
                double diff = m.ReadOnlyRow(i)[d] - m.ReadOnlyRow(j)[d];
                sum += diff * diff;
            }
            return (float)Math.Sqrt(sum);
        }
    }
}
