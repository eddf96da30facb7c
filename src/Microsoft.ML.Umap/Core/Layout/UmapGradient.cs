using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The gradient coefficients of UMAP's cross-entropy for the low-dimensional similarity
    /// q = 1 / (1 + a·d^(2b)), as functions of the squared distance d² (umap-learn <c>layouts.py</c>).
    /// Constants are folded once; d²^(b−1) is computed as d²^b / d² to save a power, and the power itself by
    /// <see cref="FixedPower"/>, which the chain of sequential moves waits on. Each formula is written once, over lanes
    /// (<see cref="ILanes{TSelf}"/>): a single move and a vector of moves get the same bits.
    /// </summary>
    internal readonly struct UmapGradient
    {
        /// <summary>Each gradient component is clipped to ±4, as in umap-learn, to keep early steps bounded.</summary>
        public const float Clip = 4f;

        /// <summary>Added to d² in the repulsive term so coincident points do not blow it up (umap-learn: 0.001).</summary>
        public const float RepulsionEpsilon = 0.001f;

        private readonly float _a;
        private readonly float _minusTwoAB;
        private readonly float _twoGammaB;

        public UmapGradient(double a, double b, double repulsionStrength)
        {
            _a = (float)a;
            _minusTwoAB = (float)(-2.0 * a * b);
            _twoGammaB = (float)(2.0 * repulsionStrength * b);
            PowerB = new FixedPower(b);
        }

        /// <summary>d² ↦ d²^b, shared with densMAP's term.</summary>
        public FixedPower PowerB { get; }

        /// <summary>Coefficient of (y_i − y_j) in the attractive gradient; 0 for coincident points.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Attraction(float distanceSquared)
        {
            if (!(distanceSquared > 0f))
                return 0f;
            var d2 = new OneLane(distanceSquared);
            return Attraction(d2, PowerB.Of(d2)).Value;
        }

        /// <summary>Coefficient of (y_i − y_j) in the repulsive gradient, for d² &gt; 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Repulsion(float distanceSquared)
        {
            var d2 = new OneLane(distanceSquared);
            return Repulsion(d2, PowerB.Of(d2)).Value;
        }

        /// <summary>
        /// The attractive coefficient −2ab·d²^b / (d²·(a·d²^b + 1)) for squared distances d² &gt; 0 with their
        /// <paramref name="powB"/> = d²^b: one division, as <see cref="Coefficient{TLanes}"/> divides.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TLanes Attraction<TLanes>(TLanes distanceSquared, TLanes powB)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Create(_minusTwoAB) * powB / (distanceSquared * Denominator(powB));

        /// <summary>The repulsive coefficient 2γb / ((ε + d²)·(a·d²^b + 1)) for squared distances with their <paramref name="powB"/> = d²^b.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TLanes Repulsion<TLanes>(TLanes distanceSquared, TLanes powB)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Create(_twoGammaB) / ((TLanes.Create(RepulsionEpsilon) + distanceSquared) * Denominator(powB));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TLanes Denominator<TLanes>(TLanes powB)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Create(_a) * powB + TLanes.Create(1f);

        /// <summary>
        /// The attractive coefficient in the lanes set in <paramref name="attraction"/> (0 where d² is 0, as
        /// <see cref="Attraction(float)"/>), the repulsive one in the others: numerators and denominators chosen first,
        /// so a vector of mixed moves divides once (lane by lane the operations of the two forms above).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TLanes Coefficient<TLanes>(TLanes distanceSquared, TLanes powB, TLanes attraction)
            where TLanes : struct, ILanes<TLanes>
        {
            var numerator = TLanes.Select(attraction, TLanes.Create(_minusTwoAB) * powB, TLanes.Create(_twoGammaB));
            var distance = TLanes.Select(attraction, distanceSquared, TLanes.Create(RepulsionEpsilon) + distanceSquared);
            var coefficient = numerator / (distance * Denominator(powB));
            // Coincident points attract with 0 (0 / 0 otherwise).
            return coefficient & ~(attraction & TLanes.Equal(distanceSquared, TLanes.Zero));
        }

        /// <summary>Clips one gradient component to [−<see cref="Clip"/>, <see cref="Clip"/>].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float ClipComponent(float value) => ClipComponents(new OneLane(value)).Value;

        /// <summary>Clips every lane to [−<see cref="Clip"/>, <see cref="Clip"/>] (min and max instructions: no branch on the layout's hottest line).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes ClipComponents<TLanes>(TLanes values)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Min(TLanes.Max(values, TLanes.Create(-Clip)), TLanes.Create(Clip));

        /// <summary>Squared Euclidean distance between two embedded points (a handful of coordinates: a plain loop wins).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static float SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            float sum = 0f;
            for (int d = 0; d < x.Length; d++)
            {
                float diff = x[d] - y[d];
                sum += diff * diff;
            }
            return sum;
        }
    }
}
