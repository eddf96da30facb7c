using System;
using MathNet.Numerics;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// Fits the low-dimensional similarity curve 1 / (1 + a·x^(2b)) to the target
    /// "1 within MinimumDistance, exp(−(x − MinimumDistance) / Spread) beyond it" (umap-learn
    /// <c>find_ab_params</c>), by nonlinear least squares on the same 300-point grid over [0, 3·Spread].
    /// </summary>
    internal static class CurveFit
    {
        /// <summary>Grid size and extent match umap-learn, so a and b agree with its values.</summary>
        private const int GridPoints = 300;

        /// <summary>(a, b) for the given spread and minimum distance.</summary>
        public static (double A, double B) FindAB(double spread, double minimumDistance)
        {
            if (!(spread > 0) || !double.IsFinite(spread))
                throw new ArgumentOutOfRangeException(nameof(spread), spread, "Spread must be positive and finite.");
            if (!(minimumDistance >= 0) || !double.IsFinite(minimumDistance))
                throw new ArgumentOutOfRangeException(nameof(minimumDistance), minimumDistance, "MinimumDistance must be non-negative and finite.");

            var x = Generate.LinearSpaced(GridPoints, 0.0, 3.0 * spread);
            var y = new double[GridPoints];
            for (int i = 0; i < GridPoints; i++)
                y[i] = x[i] < minimumDistance ? 1.0 : Math.Exp(-(x[i] - minimumDistance) / spread);

            var (a, b) = Fit.Curve(x, y, (a, b, t) => 1.0 / (1.0 + a * Math.Pow(t, 2.0 * b)), 1.0, 1.0);
            if (!double.IsFinite(a) || !double.IsFinite(b) || a <= 0 || b <= 0)
                throw new InvalidOperationException($"Could not fit the curve parameters a and b for Spread = {spread} and MinimumDistance = {minimumDistance}; set A and B explicitly.");
            return (a, b);
        }
    }
}
