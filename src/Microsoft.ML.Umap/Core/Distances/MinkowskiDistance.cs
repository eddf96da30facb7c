using System;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Minkowski distance (Σ|x − y|^p)^(1/p); ranks by the sum and takes the root only at the end.</summary>
    internal readonly struct MinkowskiDistance : IDistance
    {
        private readonly float _p;

        public MinkowskiDistance(float p)
        {
            if (!(p > 0) || !float.IsFinite(p))
                throw new ArgumentOutOfRangeException(nameof(p), p, "The Minkowski exponent must be positive and finite.");
            _p = p;
        }

        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.Sums(x, y, new Terms(_p)).A;

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = new Terms(_p);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return terms.Sum;
        }

        public float ToDistance(float reduced) => MathF.Pow(reduced, 1f / _p);

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        private struct Terms : IDenseTerms, ISparseTerms
        {
            private readonly float _p;
            public float Sum;

            public Terms(float p)
            {
                _p = p;
                Sum = 0f;
            }

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c) =>
                a += DistanceKernels.AbsolutePower(x - y, _p);

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c) => a += MathF.Pow(Math.Abs(x - y), _p);

            public void Both(float x, float y) => Sum += MathF.Pow(Math.Abs(x - y), _p);

            public void OnlyX(float x) => Sum += MathF.Pow(Math.Abs(x), _p);

            public void OnlyY(float y) => Sum += MathF.Pow(Math.Abs(y), _p);
        }
    }
}
