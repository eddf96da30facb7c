using System;
using System.Runtime.Intrinsics;

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

        private struct Terms : IDenseTerms, ISparseTerms
        {
            public float Sum;

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c) => a += Vector256.Abs(x - y);

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c) => a += Math.Abs(x - y);

            public void Both(float x, float y) => Sum += Math.Abs(x - y);

            public void OnlyX(float x) => Sum += Math.Abs(x);

            public void OnlyY(float y) => Sum += Math.Abs(y);
        }
    }
}
