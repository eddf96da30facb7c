using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Manhattan (L1, taxicab) distance Σ|x − y|.</summary>
    internal readonly struct ManhattanDistance : IDistance
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
                where TLanes : struct, ILanes<TLanes> => a += TLanes.Abs(x - y);

            public void Both(float x, float y) => Sum += Math.Abs(x - y);

            public void OnlyX(float x) => Sum += Math.Abs(x);

            public void OnlyY(float y) => Sum += Math.Abs(y);
        }
    }
}
