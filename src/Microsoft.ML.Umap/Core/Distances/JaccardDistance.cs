using System;
using System.Runtime.Intrinsics;

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

        private struct Terms : IDenseTerms, ISparseTerms
        {
            public float Either;
            public float Both;

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c)
            {
                var xSet = ~Vector256.Equals(x, Vector256<float>.Zero);
                var ySet = ~Vector256.Equals(y, Vector256<float>.Zero);
                a += (xSet | ySet) & Vector256<float>.One;
                b += (xSet & ySet) & Vector256<float>.One;
            }

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                bool xSet = x != 0f, ySet = y != 0f;
                if (xSet || ySet)
                    a += 1f;
                if (xSet && ySet)
                    b += 1f;
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
