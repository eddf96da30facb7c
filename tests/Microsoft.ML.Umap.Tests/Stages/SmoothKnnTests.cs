using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Stages
{
    public class SmoothKnnTests
    {
        [Theory]
        [InlineData(5)]
        [InlineData(15)]
        [InlineData(30)]
        public void MembershipsOfEachRowSumToLog2K(int k)
        {
            var data = TestMatrices.Gaussian(400, 10, seed: k);
            var knn = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(k, new FitMonitor());
            var (sigmas, rhos) = SmoothKnnDistances.Compute(knn, localConnectivity: 1.0, threads: 2);
            for (int i = 0; i < data.Rows; i++)
            {
                var row = knn.RowDistances(i);
                double sum = 0;
                for (int j = 1; j < k; j++)
                    sum += MembershipStrengths.Membership(row[j], sigmas[i], rhos[i]);
                Assert.Equal(Math.Log2(k), sum, 3);
                Assert.Equal(row[1], rhos[i]); // local connectivity 1: rho is the nearest other point's distance
            }
        }

        [Fact]
        public void FractionalLocalConnectivityInterpolatesRho()
        {
            var distances = new float[] { 1f, 2f, 4f, 8f };
            Assert.Equal(1.0, SmoothKnnDistances.LocalRadius(distances, 1.0));
            Assert.Equal(1.5, SmoothKnnDistances.LocalRadius(distances, 1.5));
            Assert.Equal(3.0, SmoothKnnDistances.LocalRadius(distances, 2.5));
            Assert.Equal(0.5, SmoothKnnDistances.LocalRadius(distances, 0.5));
            Assert.Equal(0.0, SmoothKnnDistances.LocalRadius(distances, 0.0));
            // Fewer non-zero distances than asked for: the farthest one.
            Assert.Equal(8.0, SmoothKnnDistances.LocalRadius(distances, 6.0));
            // Zero (duplicate) and missing (+inf) distances are not counted.
            Assert.Equal(2.0, SmoothKnnDistances.LocalRadius(new float[] { 0f, 0f, 2f, 3f, float.PositiveInfinity }, 1.0));
        }

        [Fact]
        public void SigmaNeverFallsBelowTheMinimumScaleGuard()
        {
            // All neighbours at the same distance: the sum can never reach log2(k) from above 1 per neighbour,
            // so sigma collapses and the guard (1e-3 × mean distance) takes over.
            var distances = new float[] { 5f, 5f, 5f, 5f };
            var (sigma, rho) = SmoothKnnDistances.SmoothRow(distances, rowMean: 4.0, globalMean: 3.0, target: Math.Log2(5), localConnectivity: 1.0);
            Assert.Equal(5.0, rho);
            Assert.Equal(SmoothKnnDistances.MinimumDistanceScale * 4.0, sigma, 12);
        }

        [Fact]
        public void IdenticalPointsGetFiniteParameters()
        {
            var (sigma, rho) = SmoothKnnDistances.SmoothRow(new float[] { 0f, 0f, 0f }, 0.0, 0.0, Math.Log2(4), 1.0);
            Assert.Equal(0.0, rho);
            Assert.True(double.IsFinite(sigma) && sigma > 0);
            Assert.Equal(1f, MembershipStrengths.Membership(0f, (float)sigma, (float)rho));
        }
    }
}
