using System;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// Hellinger distance √(1 − Σ√(x y) / √(Σx Σy)) between non-negative vectors (distributions, counts);
    /// 0 between two zero vectors, 1 between a zero vector and any other. Bounded by 1.
    /// </summary>
    internal readonly struct HellingerDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            var (roots, sumX, sumY) = DistanceKernels.Sums(x, y, default(Terms));
            return FromSums(roots, sumX, sumY);
        }

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return FromSums(terms.Roots, terms.SumX, terms.SumY);
        }

        private static float FromSums(float roots, float sumX, float sumY)
        {
            if (sumX == 0f && sumY == 0f)
                return 0f;
            if (sumX == 0f || sumY == 0f)
                return 1f;
            return (float)Math.Sqrt(Math.Max(0.0, 1.0 - roots / Math.Sqrt((double)sumX * sumY)));
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => 1f;

        public bool IsAngular => false;

        private struct Terms : IDenseTerms, ISparseTerms
        {
            public float Roots;
            public float SumX;
            public float SumY;

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c)
            {
                a += Vector256.Sqrt(Vector256.Max(x * y, Vector256<float>.Zero));
                b += x;
                c += y;
            }

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                a += MathF.Sqrt(Math.Max(x * y, 0f));
                b += x;
                c += y;
            }

            public void Both(float x, float y)
            {
                Roots += MathF.Sqrt(Math.Max(x * y, 0f));
                SumX += x;
                SumY += y;
            }

            public void OnlyX(float x) => SumX += x;

            public void OnlyY(float y) => SumY += y;
        }
    }
}
