using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Bray–Curtis dissimilarity Σ|x − y| / Σ|x + y| (0 when the denominator is 0).</summary>
    internal readonly struct BrayCurtisDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            var (numerator, denominator, _) = DistanceKernels.Sums(x, y, default(Terms));
            return Ratio(numerator, denominator);
        }

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return Ratio(terms.Numerator, terms.Denominator);
        }

        private static float Ratio(float numerator, float denominator) => denominator > 0 ? numerator / denominator : 0f;

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 2;

            public float Numerator;
            public float Denominator;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                a += TLanes.Abs(x - y);
                b += TLanes.Abs(x + y);
            }

            public void Both(float x, float y)
            {
                Numerator += Math.Abs(x - y);
                Denominator += Math.Abs(x + y);
            }

            public void OnlyX(float x)
            {
                Numerator += Math.Abs(x);
                Denominator += Math.Abs(x);
            }

            public void OnlyY(float y)
            {
                Numerator += Math.Abs(y);
                Denominator += Math.Abs(y);
            }
        }
    }
}
