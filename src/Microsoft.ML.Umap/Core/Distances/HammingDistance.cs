using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Hamming distance: the fraction of positions where the two vectors differ.</summary>
    internal readonly struct HammingDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
            x.Length == 0 ? 0f : DistanceKernels.Sums(x, y, default(Terms)).A / x.Length;

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            // Positions where both are zero agree, so only the merged non-zero positions can differ.
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return dimension == 0 ? 0f : terms.Differences / dimension;
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 1;

            public float Differences;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes> =>
                a += ~TLanes.Equal(x, y) & TLanes.Create(1f);

            public void Both(float x, float y)
            {
                if (x != y)
                    Differences += 1f;
            }

            public void OnlyX(float x) => Differences += 1f;

            public void OnlyY(float y) => Differences += 1f;
        }
    }
}
