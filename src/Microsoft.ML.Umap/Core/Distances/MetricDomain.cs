using System;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// The rows a metric can measure: finite values are not enough, since distances are computed in single
    /// precision and a row of values near 1e20 overflows a squared distance, which would surface stages later as an
    /// eigensolver failure or NaN coordinates. Each row is checked once, in double precision, against a bound that
    /// keeps every distance it takes part in finite, with a margin for rounding; Hellinger also needs non-negative
    /// values.
    /// </summary>
    internal readonly struct MetricDomain
    {
        // Every sum a kernel forms stays below float.MaxValue when the inputs stay below a 16th of it.
        private const double Ceiling = float.MaxValue / 16.0;
        private static readonly double Log2Ceiling = PortableMath.Log2(Ceiling);

        private readonly UmapMetric _metric;
        private readonly double _p;

        public MetricDomain(UmapMetric metric, double minkowskiP)
        {
            _metric = metric;
            _p = minkowskiP;
        }

        /// <summary>
        /// Null when every distance from the row (its values; positions for a sparse row) stays finite, otherwise
        /// what is wrong, to follow "Column 'X', row index r, " in a message.
        /// </summary>
        public string? Violation(ReadOnlySpan<float> values, ReadOnlySpan<int> indices = default)
        {
            switch (_metric)
            {
                case UmapMetric.Euclidean:
                case UmapMetric.SquaredEuclidean:
                case UmapMetric.Cosine:
                case UmapMetric.Correlation:
                {
                    // The SIMD float sum settles almost every row; only a large one (or an overflow) is redone exactly.
                    if (TensorPrimitives.SumOfSquares(values) <= Ceiling / 2)
                        return null;
                    double sum = 0;
                    foreach (float v in values)
                        sum += (double)v * v;
                    return sum <= Ceiling ? null : TooLarge($"the sum of their squares is {Format(sum)}");
                }
                case UmapMetric.Manhattan:
                case UmapMetric.BrayCurtis:
                {
                    if (TensorPrimitives.SumOfMagnitudes(values) <= Ceiling / 2)
                        return null;
                    double sum = 0;
                    foreach (float v in values)
                        sum += Math.Abs(v);
                    return sum <= Ceiling ? null : TooLarge($"the sum of their magnitudes is {Format(sum)}");
                }
                case UmapMetric.Chebyshev:
                case UmapMetric.Canberra:
                {
                    double max = values.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(values));
                    return max <= Ceiling ? null : TooLarge($"the largest is {Format(max)}");
                }
                case UmapMetric.Minkowski:
                    return MinkowskiViolation(values);
                case UmapMetric.Hellinger:
                {
                    if (Negative(values, indices, "slot", "the Hellinger metric needs non-negative values (counts or distributions)") is string negative)
                        return negative;
                    double sum = 0;
                    foreach (float v in values)
                        sum += v;
                    // Products of two rows' values and of their sums must stay finite too.
                    return sum * sum <= Ceiling ? null : TooLarge($"their sum is {Format(sum)}");
                }
                case UmapMetric.Precomputed:
                    return Negative(values, indices, "position", "with Metric = Precomputed the values are distances, which are never negative");
                default:
                    return null; // Hamming and Jaccard only compare values; a custom distance's results are checked
            }
        }

        /// <summary>"holds v at {place} p; {rule}" for the first negative value, or null when there is none.</summary>
        private static string? Negative(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, string place, string rule)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < 0)
                    return $"holds {values[i].ToString(CultureInfo.InvariantCulture)} at {place} {(indices.IsEmpty ? i : indices[i])}; {rule}";
            }
            return null;
        }

        private string? MinkowskiViolation(ReadOnlySpan<float> values)
        {
            // Σ|x − y|^p ≤ 2^max(p, 1) · max(Σ|x|^p, Σ|y|^p), and the distance is that sum to the power 1/p: both
            // must stay under the ceiling. Worked in log2 so the check itself cannot overflow.
            double max = 0;
            foreach (float v in values)
                max = Math.Max(max, Math.Abs(v));
            if (max == 0)
                return null;
            double sum = 0;
            foreach (float v in values)
                sum += PortableMath.Pow(Math.Abs(v) / max, _p);
            double log2Sum = _p * PortableMath.Log2(max) + PortableMath.Log2(sum) + Math.Max(_p, 1.0);
            bool fits = log2Sum <= Log2Ceiling && log2Sum / _p <= Log2Ceiling;
            return fits ? null : TooLarge($"the sum of their magnitudes to the power p = {_p.ToString(CultureInfo.InvariantCulture)} is about 2^{log2Sum:F0}");
        }

        private string TooLarge(string detail) =>
            $"holds values too large for the {_metric} metric ({detail}): its distances would overflow single precision. Scale the column first, for example with mlContext.Transforms.NormalizeMinMax or NormalizeMeanVariance";

        private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
    }
}
