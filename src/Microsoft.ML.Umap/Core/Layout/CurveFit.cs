using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// Fits the low-dimensional similarity curve 1 / (1 + a·x^(2b)) to the target
    /// "1 within MinimumDistance, exp(−(x − MinimumDistance) / Spread) beyond it" (umap-learn
    /// <c>find_ab_params</c>), by nonlinear least squares on the same 300-point grid over [0, 3·Spread], from the same
    /// start (1, 1), with Levenberg–Marquardt steps as scipy's <c>curve_fit</c> takes.
    /// </summary>
    /// <remarks>
    /// Written here with <see cref="PortableMath"/> so that a and b, on which every move of the layout depends, come
    /// out with the same bits on every machine.
    /// </remarks>
    internal static class CurveFit
    {
        /// <summary>Grid size and extent match umap-learn, so a and b agree with its values.</summary>
        private const int GridPoints = 300;

        private const int MaximumIterations = 500;

        /// <summary>(a, b) for the given spread and minimum distance.</summary>
        public static (double A, double B) FindAB(double spread, double minimumDistance)
        {
            if (!(spread > 0) || !double.IsFinite(spread))
                throw new ArgumentOutOfRangeException(nameof(spread), spread, "Spread must be positive and finite.");
            if (!(minimumDistance >= 0) || !double.IsFinite(minimumDistance))
                throw new ArgumentOutOfRangeException(nameof(minimumDistance), minimumDistance, "MinimumDistance must be non-negative and finite.");

            // numpy.linspace(0, 3·spread, 300): start + i·step, the last point the end itself.
            var x = new double[GridPoints];
            var y = new double[GridPoints];
            double stop = 3.0 * spread, step = stop / (GridPoints - 1);
            for (int i = 0; i < GridPoints; i++)
            {
                x[i] = i == GridPoints - 1 ? stop : i * step;
                y[i] = x[i] < minimumDistance ? 1.0 : PortableMath.Exp(-(x[i] - minimumDistance) / spread);
            }

            var (a, b) = LevenbergMarquardt(x, y);
            if (!double.IsFinite(a) || !double.IsFinite(b) || a <= 0 || b <= 0)
                throw new InvalidOperationException($"Could not fit the curve parameters a and b for Spread = {spread} and MinimumDistance = {minimumDistance}; set A and B explicitly.");
            return (a, b);
        }

        /// <summary>Least squares of 1 / (1 + a·x^(2b)) against <paramref name="y"/>, from (1, 1).</summary>
        private static (double A, double B) LevenbergMarquardt(double[] x, double[] y)
        {
            double a = 1, b = 1, damping = 1e-3;
            double cost = Cost(x, y, a, b);
            for (int iteration = 0; iteration < MaximumIterations; iteration++)
            {
                // Normal equations JᵀJ·δ = −Jᵀr of the residuals r = f − y.
                double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    if (x[i] <= 0)
                        continue; // f = 1 at x = 0 whatever a and b: no gradient
                    double u = PortableMath.Pow(x[i], 2 * b);
                    double f = 1 / (1 + a * u);
                    double residual = f - y[i];
                    double da = -u * f * f;
                    double db = -a * u * 2 * PortableMath.Log(x[i]) * f * f;
                    jaa += da * da;
                    jab += da * db;
                    jbb += db * db;
                    ga += da * residual;
                    gb += db * residual;
                }
                bool improved = false;
                while (damping < 1e16)
                {
                    // Marquardt's scaling: the diagonal is damped in proportion to itself.
                    double maa = jaa * (1 + damping), mbb = jbb * (1 + damping);
                    double determinant = maa * mbb - jab * jab;
                    double stepA = -(mbb * ga - jab * gb) / determinant;
                    double stepB = -(maa * gb - jab * ga) / determinant;
                    double nextA = a + stepA, nextB = b + stepB;
                    double nextCost = nextA > 0 && nextB > 0 ? Cost(x, y, nextA, nextB) : double.PositiveInfinity;
                    if (double.IsFinite(determinant) && determinant > 0 && nextCost <= cost)
                    {
                        bool converged = Math.Abs(stepA) <= 1e-12 * (Math.Abs(a) + 1e-12) && Math.Abs(stepB) <= 1e-12 * (Math.Abs(b) + 1e-12);
                        (a, b, cost) = (nextA, nextB, nextCost);
                        damping = Math.Max(damping / 10, 1e-15);
                        improved = true;
                        if (converged)
                            return (a, b);
                        break;
                    }
                    damping *= 10;
                }
                if (!improved)
                    break;
            }
            return (a, b);
        }

        private static double Cost(double[] x, double[] y, double a, double b)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double f = x[i] > 0 ? 1 / (1 + a * PortableMath.Pow(x[i], 2 * b)) : 1;
                sum += (f - y[i]) * (f - y[i]);
            }
            return sum;
        }
    }
}
