using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// Cosine distance 1 − x·y / (‖x‖ ‖y‖), in one fused pass; 0 between two zero vectors and 1 between a zero
    /// vector and any other (as umap-learn). Bounded by 2, so neighbours at distance 2 are disconnected.
    /// </summary>
    internal readonly struct CosineDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            var (dot, xx, yy) = DistanceKernels.Sums(x, y, default(Terms));
            return FromSums(dot, xx, yy);
        }

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return FromSums(terms.Dot, terms.XX, terms.YY);
        }

        /// <summary>The distance from Σxy, Σx², Σy² (shared with correlation, which centres first).</summary>
        internal static float FromSums(float dot, float xx, float yy)
        {
            if (xx == 0f && yy == 0f)
                return 0f;
            if (xx == 0f || yy == 0f)
                return 1f;
            return (float)Math.Max(0.0, 1.0 - dot / Math.Sqrt((double)xx * yy));
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => 2f;

        public bool IsAngular => true;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 3;

            public float Dot;
            public float XX;
            public float YY;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                a += x * y;
                b += x * x;
                c += y * y;
            }

            public void Both(float x, float y)
            {
                Dot += x * y;
                XX += x * x;
                YY += y * y;
            }

            public void OnlyX(float x) => XX += x * x;

            public void OnlyY(float y) => YY += y * y;
        }
    }
}
