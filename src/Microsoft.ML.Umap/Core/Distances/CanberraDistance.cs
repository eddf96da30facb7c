using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Canberra distance Σ |x − y| / (|x| + |y|), terms with a zero denominator skipped.</summary>
    internal readonly struct CanberraDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.Sums(x, y, default(Terms)).A;

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return terms.Sum;
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 1;

            public float Sum;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                var denominator = TLanes.Abs(x) + TLanes.Abs(y);
                a += TLanes.Abs(x - y) / denominator & TLanes.GreaterThan(denominator, TLanes.Zero);
            }

            // Where only one vector is non-zero the term is |v| / |v| = 1.
            public void Both(float x, float y)
            {
                float denominator = Math.Abs(x) + Math.Abs(y);
                if (denominator > 0)
                    Sum += Math.Abs(x - y) / denominator;
            }

            public void OnlyX(float x) => Sum += 1f;

            public void OnlyY(float y) => Sum += 1f;
        }
    }
}
