using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

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

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 3;

            public float Roots;
            public float SumX;
            public float SumY;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                // x·y may be −0, the only zero pair Max sees: its second operand, +0, is what every width keeps.
                a += TLanes.Sqrt(TLanes.Max(x * y, TLanes.Zero));
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
