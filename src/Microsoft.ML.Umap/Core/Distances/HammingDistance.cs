using System;
using System.Runtime.Intrinsics;

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

        private struct Terms : IDenseTerms, ISparseTerms
        {
            public float Differences;

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c) =>
                a += ~Vector256.Equals(x, y) & Vector256<float>.One;

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                if (x != y)
                    a += 1f;
            }

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
