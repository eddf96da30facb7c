using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Minkowski distance (Σ|x − y|^p)^(1/p); ranks by the sum and takes the root only at the end.</summary>
    internal readonly struct MinkowskiDistance : IDistance
    {
        private readonly FixedPower _power;
        private readonly FixedPower _root;

        public MinkowskiDistance(float p)
        {
            if (!(p > 0) || !float.IsFinite(p))
                throw new ArgumentOutOfRangeException(nameof(p), p, "The Minkowski exponent must be positive and finite.");
            _power = new FixedPower(p);
            _root = new FixedPower(1.0 / p);
        }

        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.Sums(x, y, new Terms(_power)).A;

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = new Terms(_power);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return terms.Sum;
        }

        public float ToDistance(float reduced) => reduced > 0f ? _root.Of(reduced) : 0f;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        internal struct Terms : IDenseTerms, ISparseTerms
        {
            public static int SumCount => 1;

            private readonly FixedPower _power;
            public float Sum;

            public Terms(FixedPower power)
            {
                _power = power;
                Sum = 0f;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes> => a += AbsolutePower(x - y);

            public void Both(float x, float y) => Sum += AbsolutePower(new OneLane(x - y)).Value;

            public void OnlyX(float x) => Sum += AbsolutePower(new OneLane(x)).Value;

            public void OnlyY(float y) => Sum += AbsolutePower(new OneLane(y)).Value;

            /// <summary>|v|^p lane by lane, 0 for v = 0 (the power itself is meaningless there).</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private readonly TLanes AbsolutePower<TLanes>(TLanes v)
                where TLanes : struct, ILanes<TLanes>
            {
                var magnitude = TLanes.Abs(v);
                return _power.Of(magnitude) & ~TLanes.Equal(magnitude, TLanes.Zero);
            }
        }
    }
}
