using System;
using System.Runtime.Intrinsics;

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

        private struct Terms : IDenseTerms, ISparseTerms
        {
            public float Sum;

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c)
            {
                var denominator = Vector256.Abs(x) + Vector256.Abs(y);
                var term = Vector256.Abs(x - y) / denominator;
                a += Vector256.ConditionalSelect(Vector256.GreaterThan(denominator, Vector256<float>.Zero), term, Vector256<float>.Zero);
            }

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                float denominator = Math.Abs(x) + Math.Abs(y);
                if (denominator > 0)
                    a += Math.Abs(x - y) / denominator;
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
