using System;
using System.Linq;
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

        /// <summary>
        /// The search skips the sums its bounds already decide, and finds bit for bit the sigma of umap-learn's plain
        /// bisection (written out here): distances from tiny to huge, duplicates (zeros), missing neighbours (+∞),
        /// local connectivity 0 (a new row's), 1 and fractional, and targets the rows barely reach.
        /// </summary>
        [Fact]
        public void SkippingDecidedSumsLeavesTheBisectionAsItWas()
        {
            var rng = new Random(7);
            for (int trial = 0; trial < 3000; trial++)
            {
                int k = 2 + rng.Next(30);
                double scale = Math.Pow(10, rng.Next(-6, 7));
                var distances = Enumerable.Range(0, k).Select(_ => (float)(rng.NextDouble() * scale)).OrderBy(d => d).ToArray();
                if (trial % 5 == 0)
                    distances[0] = distances[Math.Min(1, k - 1)] = 0f;
                if (trial % 7 == 0)
                    distances[^1] = float.PositiveInfinity;
                double connectivity = new[] { 0.0, 1.0, 1.5, 2.0 }[trial % 4];
                double target = trial % 11 == 0 ? k - 0.5 : Math.Log2(k + 1);
                var (sigma, rho) = SmoothKnnDistances.SmoothRow(distances, 1.0, 1.0, target, connectivity);

                double lo = 0.0, hi = double.PositiveInfinity, mid = 1.0;
                for (int iteration = 0; iteration < SmoothKnnDistances.Iterations; iteration++)
                {
                    double psum = 0.0;
                    foreach (float d in distances)
                    {
                        double excess = d - rho;
                        psum += excess > 0 ? Math.Exp(-(excess / mid)) : 1.0;
                    }
                    if (Math.Abs(psum - target) < SmoothKnnDistances.Tolerance)
                        break;
                    if (psum > target)
                    {
                        hi = mid;
                        mid = (lo + hi) / 2.0;
                    }
                    else
                    {
                        lo = mid;
                        mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2.0;
                    }
                }
                Assert.Equal(Math.Max(mid, SmoothKnnDistances.MinimumDistanceScale), sigma); // both means are 1
            }
        }

        /// <summary>
        /// sigma scales with the distances, so the memberships are the same at any scale a float can hold: the search
        /// reaches a sigma far from 1 (where umap-learn's, starting at 1, runs out of its 64 steps) and still bisects.
        /// </summary>
        [Fact]
        public void MembershipsDoNotDependOnTheScaleOfTheDistances()
        {
            var rng = new Random(11);
            for (int trial = 0; trial < 100; trial++)
            {
                int k = 3 + rng.Next(28);
                var distances = Enumerable.Range(0, k).Select(_ => (float)(0.5 + rng.NextDouble() * 60)).OrderBy(d => d).ToArray();
                double connectivity = new[] { 0.0, 1.0, 1.5 }[trial % 3];
                var reference = Memberships(distances, connectivity);
                for (int power = -35; power <= 36; power++)
                {
                    float scale = (float)Math.Pow(10, power);
                    var scaled = distances.Select(d => d * scale).ToArray();
                    var memberships = Memberships(scaled, connectivity);
                    Assert.True(Math.Abs(memberships.Sum() - Math.Log2(k)) < 1e-3, $"k {k}, scale 1e{power}: memberships sum to {memberships.Sum()}, not log2(k) = {Math.Log2(k)}");
                    for (int j = 0; j < k; j++)
                        Assert.True(Math.Abs(memberships[j] - reference[j]) < 1e-3, $"k {k}, scale 1e{power}, neighbour {j}: membership {memberships[j]} against {reference[j]} unscaled");
                }
            }

            static double[] Memberships(float[] distances, double connectivity)
            {
                double mean = distances.Average(d => (double)d);
                var (sigma, rho) = SmoothKnnDistances.SmoothRow(distances, mean, mean, Math.Log2(distances.Length), connectivity);
                return distances.Select(d => (double)MembershipStrengths.Membership(d, (float)sigma, (float)rho)).ToArray();
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
