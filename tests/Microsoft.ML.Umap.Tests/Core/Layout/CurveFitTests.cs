using System;
using Microsoft.ML.Umap.Core.Layout;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Layout
{
    public class CurveFitTests
    {
        // (spread, min_dist) → (a, b) from umap-learn 0.5.3 find_ab_params.
        [Theory]
        [InlineData(1.0, 0.1, 1.5769434601962196, 0.8950608779914887)]
        [InlineData(1.0, 0.001, 1.9290733952004866, 0.7915045329560677)]
        [InlineData(1.0, 0.0, 1.9328083975546724, 0.7904949734010681)]
        [InlineData(1.0, 0.5, 0.583030020479462, 1.3341669929263487)]
        [InlineData(2.0, 0.1, 0.5446605403757238, 0.8420554264219823)]
        [InlineData(0.5, 0.01, 5.720240832372411, 0.8108767596394644)]
        [InlineData(1.0, 1.0, 0.11497568285252263, 1.9292371466948077)]
        public void MatchesUmapLearn(double spread, double minimumDistance, double expectedA, double expectedB)
        {
            var (a, b) = CurveFit.FindAB(spread, minimumDistance);
            Assert.Equal(expectedA, a, 1e-3 * Math.Max(1, expectedA));
            Assert.Equal(expectedB, b, 1e-3);
        }

        [Fact]
        public void FitIsALeastSquaresMinimum()
        {
            var (a, b) = CurveFit.FindAB(1.0, 0.1);
            double best = Residual(a, b);
            foreach (var (da, db) in new[] { (0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01) })
                Assert.True(Residual(a + da, b + db) > best);
        }

        [Theory]
        [InlineData(0.0, 0.1)]
        [InlineData(-1.0, 0.1)]
        [InlineData(1.0, -0.1)]
        [InlineData(double.NaN, 0.1)]
        public void RejectsInvalidArguments(double spread, double minimumDistance)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => CurveFit.FindAB(spread, minimumDistance));
        }

        private static double Residual(double a, double b)
        {
            double sum = 0;
            for (int i = 0; i < 300; i++)
            {
                double x = 3.0 * i / 299;
                double target = x < 0.1 ? 1 : Math.Exp(-(x - 0.1));
                double fit = 1 / (1 + a * Math.Pow(x, 2 * b));
                sum += (fit - target) * (fit - target);
            }
            return sum;
        }
    }
}
