using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// Per-point distance normalisation of UMAP (umap-learn <c>smooth_knn_dist</c>): <c>rho</c> is the
    /// distance to the <c>LocalConnectivity</c>-th nearest neighbour (interpolated for fractional values), and
    /// <c>sigma</c> is found by binary search so that Σ_j exp(−max(0, d_j − rho) / sigma) = log2(k) × bandwidth
    /// over the point's neighbours (the point itself excluded).
    /// </summary>
    internal static class SmoothKnnDistances
    {
        /// <summary>Binary-search stopping tolerance on the membership sum (umap-learn SMOOTH_K_TOLERANCE).</summary>
        public const double Tolerance = 1e-5;

        /// <summary>
        /// Lower bound on sigma as a fraction of the mean neighbour distance (umap-learn MIN_K_DIST_SCALE); it
        /// keeps memberships finite when a point's neighbours are all at nearly the same distance.
        /// </summary>
        public const double MinimumDistanceScale = 1e-3;

        /// <summary>Binary-search iterations (umap-learn's n_iter).</summary>
        public const int Iterations = 64;

        /// <summary>
        /// The search starts at sigma = 1, as umap-learn's does, for rows whose largest distance beyond rho lies within
        /// 2^±this; a row farther from 1 starts at its own power of two instead. From 1, the iterations cannot reach a
        /// sigma beyond 2^±64, and near it none are left to bisect, so huge distances would get memberships of about 0
        /// (a graph in pieces) and tiny ones of about 1. Within 2^±32 at least 32 iterations are left to bisect.
        /// </summary>
        public const int UnitStartExponentRange = 32;

        /// <summary>
        /// sigma and rho for every point of <paramref name="knn"/> (whose rows start with the point itself).
        /// </summary>
        public static (float[] Sigmas, float[] Rhos) Compute(KnnGraph knn, double localConnectivity, int threads, double bandwidth = 1.0)
        {
            int n = knn.PointCount;
            int k = knn.NeighborCount;
            var sigmas = new float[n];
            var rhos = new float[n];
            double target = PortableMath.Log2(k) * bandwidth;
            double globalMean = MeanFinite(knn.Distances);

            ParallelRange.For(n, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = knn.RowDistances(i);
                    // The first entry is the point itself; umap-learn's search skips it the same way.
                    var (sigma, rho) = SmoothRow(row.Slice(1), MeanFinite(row), globalMean, target, localConnectivity);
                    sigmas[i] = (float)sigma;
                    rhos[i] = (float)rho;
                }
            });
            return (sigmas, rhos);
        }

        /// <summary>
        /// sigma and rho of one point from the distances to its neighbours (ascending; +∞ marks a missing
        /// neighbour). <paramref name="rowMean"/> and <paramref name="globalMean"/> feed the minimum-scale guard.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static (double Sigma, double Rho) SmoothRow(ReadOnlySpan<float> distances, double rowMean, double globalMean, double target, double localConnectivity)
        {
            double rho = LocalRadius(distances, localConnectivity);

            // The sum has `ones` terms of 1 and `others` between exp(−largest / mid) and exp(−smallest / mid). Where
            // those bounds put it on one side of the target by twice the tolerance (far beyond the sum's rounding),
            // the iteration takes that side at the cost of one exp instead of one a neighbour: the same steps, the
            // same sigma (a row whose distances are far above 1 spends most of its search doubling mid from 1).
            int ones = 0, others = 0;
            double smallest = double.PositiveInfinity, largest = 0.0, largestFinite = 0.0;
            foreach (float d in distances)
            {
                double excess = d - rho;
                if (excess > 0)
                {
                    others++;
                    smallest = Math.Min(smallest, excess);
                    largest = Math.Max(largest, excess);
                    if (double.IsFinite(excess))
                        largestFinite = Math.Max(largestFinite, excess);
                }
                else
                {
                    ones++;
                }
            }

            double lo = 0.0, hi = double.PositiveInfinity, mid = StartingSigma(largestFinite);
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                bool above;
                if (ones + others * PortableMath.Exp(-(smallest / mid)) < target - 2 * Tolerance)
                {
                    above = false;
                }
                else if (ones + others * PortableMath.Exp(-(largest / mid)) > target + 2 * Tolerance)
                {
                    above = true;
                }
                else
                {
                    double psum = 0.0;
                    foreach (float d in distances)
                    {
                        double excess = d - rho;
                        psum += excess > 0 ? PortableMath.Exp(-(excess / mid)) : 1.0;
                    }

                    if (Math.Abs(psum - target) < Tolerance)
                        break;
                    above = psum > target;
                }
                if (above)
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

            double floor = MinimumDistanceScale * (rho > 0.0 ? rowMean : globalMean);
            return (Math.Max(mid, floor), rho);
        }

        /// <summary>
        /// 1, or for a row whose largest finite distance beyond rho is far from 1, that distance's power of two: from
        /// there the search is exactly the one from 1 over the row scaled by a power of two, so sigma scales with the
        /// distances.
        /// </summary>
        private static double StartingSigma(double largestExcess)
        {
            if (largestExcess == 0.0)
                return 1.0;
            int exponent = Math.ILogB(largestExcess);
            return Math.Abs(exponent) <= UnitStartExponentRange ? 1.0 : Math.ScaleB(1.0, exponent);
        }

        /// <summary>
        /// rho: the distance to the <paramref name="localConnectivity"/>-th nearest non-identical neighbour,
        /// interpolating linearly between neighbours for a fractional value; the farthest one if there are too few.
        /// </summary>
        public static double LocalRadius(ReadOnlySpan<float> distances, double localConnectivity)
        {
            // Distances are ascending, so the non-zero ones form a suffix ending before any +∞ (missing) entries.
            int firstNonZero = 0;
            while (firstNonZero < distances.Length && distances[firstNonZero] <= 0f)
                firstNonZero++;
            int end = firstNonZero;
            while (end < distances.Length && float.IsFinite(distances[end]))
                end++;
            var nonZero = distances.Slice(firstNonZero, end - firstNonZero);

            if (nonZero.Length == 0)
                return 0.0; // duplicates only (or no neighbour at all): umap-learn would index an empty array here
            if (nonZero.Length >= localConnectivity)
            {
                int index = (int)Math.Floor(localConnectivity);
                double interpolation = localConnectivity - index;
                if (index > 0)
                {
                    double rho = nonZero[index - 1];
                    if (interpolation > Tolerance)
                        rho += interpolation * (nonZero[index] - nonZero[index - 1]);
                    return rho;
                }
                return interpolation * nonZero[0];
            }
            return nonZero[^1];
        }

        private static double MeanFinite(ReadOnlySpan<float> values)
        {
            double sum = 0.0;
            int count = 0;
            foreach (float v in values)
            {
                if (float.IsFinite(v))
                {
                    sum += v;
                    count++;
                }
            }
            return count == 0 ? 0.0 : sum / count;
        }
    }
}
