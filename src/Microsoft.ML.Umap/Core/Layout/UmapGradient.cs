#if !NET9_0_OR_GREATER
using System;
#endif
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The gradient coefficients of UMAP's cross-entropy for the low-dimensional similarity
    /// q = 1 / (1 + a·d^(2b)), as functions of the squared distance d² (umap-learn <c>layouts.py</c>).
    /// Constants are folded once; d²^(b−1) is computed as d²^b / d² to save a power, and the power itself by
    /// <see cref="FixedPower"/>, which the chain of sequential moves waits on.
    /// </summary>
    internal readonly struct UmapGradient
    {
        /// <summary>Each gradient component is clipped to ±4, as in umap-learn, to keep early steps bounded.</summary>
        public const float Clip = 4f;

        /// <summary>Added to d² in the repulsive term so coincident points do not blow it up (umap-learn: 0.001).</summary>
        public const float RepulsionEpsilon = 0.001f;

        private readonly float _a;
#if NET9_0_OR_GREATER
        private readonly float _b; // the vector path's exp(b·ln d²); the scalar path uses _powerB
#endif
        private readonly float _minusTwoAB;
        private readonly float _twoGammaB;
        private readonly FixedPower _powerB;

        public UmapGradient(double a, double b, double repulsionStrength)
        {
            _a = (float)a;
#if NET9_0_OR_GREATER
            _b = (float)b;
#endif
            _minusTwoAB = (float)(-2.0 * a * b);
            _twoGammaB = (float)(2.0 * repulsionStrength * b);
            _powerB = new FixedPower(b);
        }

        /// <summary>Coefficient of (y_i − y_j) in the attractive gradient; 0 for coincident points.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Attraction(float distanceSquared)
        {
            if (!(distanceSquared > 0f))
                return 0f;
            float powB = _powerB.Of(distanceSquared);
            return _minusTwoAB * (powB / distanceSquared) / (_a * powB + 1f);
        }

        /// <summary>Coefficient of (y_i − y_j) in the repulsive gradient, for d² &gt; 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Repulsion(float distanceSquared)
        {
            float powB = _powerB.Of(distanceSquared);
            return _twoGammaB / ((RepulsionEpsilon + distanceSquared) * (_a * powB + 1f));
        }

        /// <summary>
        /// <see cref="Repulsion(float)"/> for eight squared distances that are normal floats, lane by lane the same
        /// result; a zero or subnormal lane gets a meaningless value (see <see cref="FixedPower.OfNormal(Vector256{float})"/>). Needs
        /// <see cref="FixedPower.VectorIsSupported"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> RepulsionOfNormal(Vector256<float> distanceSquared)
        {
            var powB = _powerB.OfNormal(distanceSquared);
            return Vector256.Create(_twoGammaB) / ((Vector256.Create(RepulsionEpsilon) + distanceSquared) * (Vector256.Create(_a) * powB + Vector256<float>.One));
        }

        /// <summary>
        /// <see cref="RepulsionOfNormal(Vector256{float})"/> for sixteen squared distances; needs
        /// <see cref="FixedPower.WideVectorIsSupported"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> RepulsionOfNormal(Vector512<float> distanceSquared)
        {
            var powB = _powerB.OfNormal(distanceSquared);
            return Vector512.Create(_twoGammaB) / ((Vector512.Create(RepulsionEpsilon) + distanceSquared) * (Vector512.Create(_a) * powB + Vector512<float>.One));
        }

#if NET9_0_OR_GREATER
        /// <summary>d²^b for eight squared distances, computed as exp(b·ln d²); shared by the gradient and densMAP's term.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> PowerB(Vector256<float> distanceSquared) =>
            Vector256.Exp(Vector256.Create(_b) * Vector256.Log(distanceSquared));

        /// <summary>
        /// For eight squared distances at once (with their <paramref name="powB"/> = d²^b), <see cref="Attraction(float)"/>
        /// in the lanes set in <paramref name="attraction"/> and <see cref="Repulsion(float)"/> in the others.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Coefficient(Vector256<float> distanceSquared, Vector256<float> powB, Vector256<float> attraction)
        {
            var denominator = Vector256.Create(_a) * powB + Vector256<float>.One;
            var attractive = Vector256.Create(_minusTwoAB) * (powB / distanceSquared) / denominator;
            var repulsive = Vector256.Create(_twoGammaB) / ((Vector256.Create(RepulsionEpsilon) + distanceSquared) * denominator);
            // Coincident points attract with 0, as in the scalar form (0 / 0 otherwise).
            attractive &= Vector256.GreaterThan(distanceSquared, Vector256<float>.Zero);
            return Vector256.ConditionalSelect(attraction, attractive, repulsive);
        }
#endif

        /// <summary>Clips one gradient component to [−<see cref="Clip"/>, <see cref="Clip"/>].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        // The native form compiles to min/max instructions: no branch to mispredict on the layout's hottest line.
        public static float ClipComponent(float value) => float.ClampNative(value, -Clip, Clip);
#else
        public static float ClipComponent(float value) => Math.Clamp(value, -Clip, Clip);
#endif

        /// <summary>
        /// <see cref="ClipComponent(float)"/> of eight values, by plain min and max instructions as the scalar form
        /// (the IEEE forms of Vector256's Min and Max compile to several instructions each).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> ClipComponents(Vector256<float> values) =>
#if NET9_0_OR_GREATER
            Vector256.ClampNative(values, Vector256.Create(-Clip), Vector256.Create(Clip));
#else
            Vector256.Min(Vector256.Max(values, Vector256.Create(-Clip)), Vector256.Create(Clip));
#endif

        /// <summary><see cref="ClipComponents(Vector256{float})"/> of sixteen values.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> ClipComponents(Vector512<float> values) =>
#if NET9_0_OR_GREATER
            Vector512.ClampNative(values, Vector512.Create(-Clip), Vector512.Create(Clip));
#else
            Vector512.Min(Vector512.Max(values, Vector512.Create(-Clip)), Vector512.Create(Clip));
#endif
    }
}
