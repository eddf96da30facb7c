using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

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

        internal struct Means : IDenseTerms
        {
            public static int SumCount => 2;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                a += x;
                b += y;
            }
        }

        internal readonly struct Centred : IDenseTerms
        {
            public static int SumCount => 3;

            private readonly float _meanX;
            private readonly float _meanY;

            public Centred(float meanX, float meanY)
            {
                _meanX = meanX;
                _meanY = meanY;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes>
            {
                var cx = x - TLanes.Create(_meanX);
                var cy = y - TLanes.Create(_meanY);
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
