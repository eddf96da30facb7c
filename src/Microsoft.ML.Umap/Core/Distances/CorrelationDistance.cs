using System;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// Correlation distance: the cosine distance of the mean-centred vectors (means over all positions, zeros of
    /// a sparse vector included). Two passes over dense data, for accuracy. Bounded by 2.
    /// </summary>
    internal readonly struct CorrelationDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            if (x.Length == 0)
                return 0f;
            var (sumX, sumY, _) = DistanceKernels.Sums(x, y, default(Means));
            var (dot, xx, yy) = DistanceKernels.Sums(x, y, new Centred(sumX / x.Length, sumY / x.Length));
            return FromCentredSums(dot, xx, yy);
        }

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            // Centred sums from raw ones: Σ(x − x̄)(y − ȳ) = Σxy − n x̄ ȳ, Σ(x − x̄)² = Σx² − n x̄².
            var raw = default(RawSums);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref raw);
            double meanX = raw.SumX / dimension, meanY = raw.SumY / dimension;
            double dot = raw.Dot - dimension * meanX * meanY;
            double xx = Math.Max(0, raw.XX - dimension * meanX * meanX);
            double yy = Math.Max(0, raw.YY - dimension * meanY * meanY);
            return FromCentredSums((float)dot, (float)xx, (float)yy);
        }

        // umap-learn: 0 for two constant vectors, 1 when the centred dot product vanishes.
        private static float FromCentredSums(float dot, float xx, float yy)
        {
            if (xx == 0f && yy == 0f)
                return 0f;
            if (dot == 0f)
                return 1f;
            return CosineDistance.FromSums(dot, xx, yy);
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => 2f;

        public bool IsAngular => true;

        private struct Means : IDenseTerms
        {
            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c)
            {
                a += x;
                b += y;
            }

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                a += x;
                b += y;
            }
        }

        private readonly struct Centred : IDenseTerms
        {
            private readonly float _meanX;
            private readonly float _meanY;

            public Centred(float meanX, float meanY)
            {
                _meanX = meanX;
                _meanY = meanY;
            }

            public void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c)
            {
                var cx = x - Vector256.Create(_meanX);
                var cy = y - Vector256.Create(_meanY);
                a = Simd.MultiplyAdd(cx, cy, a);
                b = Simd.MultiplyAdd(cx, cx, b);
                c = Simd.MultiplyAdd(cy, cy, c);
            }

            public void Accumulate(float x, float y, ref float a, ref float b, ref float c)
            {
                float cx = x - _meanX, cy = y - _meanY;
                a += cx * cy;
                b += cx * cx;
                c += cy * cy;
            }
        }

        private struct RawSums : ISparseTerms
        {
            public double SumX;
            public double SumY;
            public double Dot;
            public double XX;
            public double YY;

            public void Both(float x, float y)
            {
                SumX += x;
                SumY += y;
                Dot += (double)x * y;
                XX += (double)x * x;
                YY += (double)y * y;
            }

            public void OnlyX(float x)
            {
                SumX += x;
                XX += (double)x * x;
            }

            public void OnlyY(float y)
            {
                SumY += y;
                YY += (double)y * y;
            }
        }
    }
}
