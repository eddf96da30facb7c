using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// Jaccard distance on the non-zero pattern: 1 − |both non-zero| / |either non-zero| (0 for two zero vectors).
    /// Bounded by 1.
    /// </summary>
    internal readonly struct JaccardDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            var (either, both, _) = DistanceKernels.Sums(x, y, default(Terms));
            return FromCounts(either, both);
        }

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return FromCounts(terms.Either, terms.Both);
        }

        private static float FromCounts(float either, float both) => either == 0f ? 0f : (either - both) / either;

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => 1f;

        public bool IsAngular => false;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 2;

            public float Either;
            public float Both;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                var xSet = ~TLanes.Equal(x, TLanes.Zero);
                var ySet = ~TLanes.Equal(y, TLanes.Zero);
                a += (xSet | ySet) & TLanes.Create(1f);
                b += (xSet & ySet) & TLanes.Create(1f);
            }

            void ISparseTerms.Both(float x, float y)
            {
                // Stored values can be explicit zeros only if a caller built them so; count what is really set.
                if (x != 0f || y != 0f)
                    Either += 1f;
                if (x != 0f && y != 0f)
                    Both += 1f;
            }

            public void OnlyX(float x)
            {
                if (x != 0f)
                    Either += 1f;
            }

            public void OnlyY(float y)
            {
                if (y != 0f)
                    Either += 1f;
            }
        }
    }
}
