using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// x^b for one fixed exponent b and positive finite x, to about 1e-7 relative error, in a short chain of
    /// multiply-adds: x = m·2^e with m in [1, 2), so x^b = m^b · 2^(e·b), with m^b from a polynomial fitted once
    /// for this b and 2^(e·b) from a table of the 256 exponents.
    /// </summary>
    /// <remarks>
    /// The layout applies its moves one after the other, so each move waits for the power of the previous one;
    /// <see cref="MathF.Pow(float, float)"/> handles every exponent and is several times longer on that path.
    /// </remarks>
    internal sealed class FixedPower
    {
        private const int Degree = 7;

        /// <summary>The smallest positive normal float, 2^−126: below it the exponent field is 0.</summary>
        public const float SmallestNormal = 1.17549435E-38f;

        private readonly float _exponent;
        // Pinned, so the vector path gathers from a fixed address without pinning it at each call.
        private readonly float[] _scale = GC.AllocateArray<float>(256, pinned: true);
        private readonly unsafe float* _scaleTable;
        private readonly float _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7;

        public FixedPower(double exponent)
        {
            _exponent = (float)exponent;
            for (int e = 0; e < 256; e++)
                _scale[e] = (float)Math.Pow(2.0, (e - 127) * exponent);
            unsafe
            {
                _scaleTable = (float*)Unsafe.AsPointer(ref _scale[0]);
            }

            // Interpolate m^b at Chebyshev nodes of [1, 2], in powers of t = m − 1.5 (well conditioned there).
            var matrix = new double[Degree + 1, Degree + 2];
            for (int i = 0; i <= Degree; i++)
            {
                double t = 0.5 * Math.Cos(Math.PI * (i + 0.5) / (Degree + 1));
                for (int j = 0; j <= Degree; j++)
                    matrix[i, j] = Math.Pow(t, j);
                matrix[i, Degree + 1] = Math.Pow(1.5 + t, exponent);
            }
            var c = Solve(matrix);
            (_c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7) = ((float)c[0], (float)c[1], (float)c[2], (float)c[3], (float)c[4], (float)c[5], (float)c[6], (float)c[7]);
        }

        /// <summary>x^b for x &gt; 0 and finite.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Of(float x)
        {
            int bits = BitConverter.SingleToInt32Bits(x);
            int biased = bits >> 23;
            if (biased == 0)
                return MathF.Pow(x, _exponent); // subnormal: too small to matter for speed
            float t = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F800000) - 1.5f;
            // Estrin's scheme: the four pairs are independent, so the chain is three multiply-adds deep.
            float t2 = t * t;
            float p01 = MathF.FusedMultiplyAdd(_c1, t, _c0);
            float p23 = MathF.FusedMultiplyAdd(_c3, t, _c2);
            float p45 = MathF.FusedMultiplyAdd(_c5, t, _c4);
            float p67 = MathF.FusedMultiplyAdd(_c7, t, _c6);
            float p03 = MathF.FusedMultiplyAdd(p23, t2, p01);
            float p47 = MathF.FusedMultiplyAdd(p67, t2, p45);
            return MathF.FusedMultiplyAdd(p47, t2 * t2, p03) * _scale[biased];
        }

        /// <summary>
        /// <see cref="Of(float)"/> of eight normal floats (x ≥ <see cref="SmallestNormal"/>) at once, lane by lane the
        /// same result (the same fused multiply-adds, the same table); a zero or subnormal lane gets a meaningless
        /// value, which the caller must detect (the scalar form's fallback for them would put a call in the
        /// caller's loop). Needs AVX2 and FMA (<see cref="VectorIsSupported"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public unsafe Vector256<float> OfNormal(Vector256<float> x)
        {
            var bits = x.AsInt32();
            var biased = Avx2.ShiftRightLogical(bits, 23);
            var t = (bits & Vector256.Create(0x007FFFFF) | Vector256.Create(0x3F800000)).AsSingle() - Vector256.Create(1.5f);
            var t2 = t * t;
            var p01 = Fma.MultiplyAdd(Vector256.Create(_c1), t, Vector256.Create(_c0));
            var p23 = Fma.MultiplyAdd(Vector256.Create(_c3), t, Vector256.Create(_c2));
            var p45 = Fma.MultiplyAdd(Vector256.Create(_c5), t, Vector256.Create(_c4));
            var p67 = Fma.MultiplyAdd(Vector256.Create(_c7), t, Vector256.Create(_c6));
            var p03 = Fma.MultiplyAdd(p23, t2, p01);
            var p47 = Fma.MultiplyAdd(p67, t2, p45);
            var scale = Avx2.GatherVector256(_scaleTable, biased, 4);
            return Fma.MultiplyAdd(p47, t2 * t2, p03) * scale;
        }

        /// <summary>
        /// <see cref="OfNormal(Vector256{float})"/> for sixteen values: the same operations on twice the lanes. Needs
        /// <see cref="WideVectorIsSupported"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public unsafe Vector512<float> OfNormal(Vector512<float> x)
        {
            var bits = x.AsInt32();
            var biased = Vector512.ShiftRightLogical(bits, 23);
            var t = (bits & Vector512.Create(0x007FFFFF) | Vector512.Create(0x3F800000)).AsSingle() - Vector512.Create(1.5f);
            var t2 = t * t;
            var p01 = Avx512F.FusedMultiplyAdd(Vector512.Create(_c1), t, Vector512.Create(_c0));
            var p23 = Avx512F.FusedMultiplyAdd(Vector512.Create(_c3), t, Vector512.Create(_c2));
            var p45 = Avx512F.FusedMultiplyAdd(Vector512.Create(_c5), t, Vector512.Create(_c4));
            var p67 = Avx512F.FusedMultiplyAdd(Vector512.Create(_c7), t, Vector512.Create(_c6));
            var p03 = Avx512F.FusedMultiplyAdd(p23, t2, p01);
            var p47 = Avx512F.FusedMultiplyAdd(p67, t2, p45);
            // No 16-lane gather in .NET's intrinsics: two of eight.
            var scale = Vector512.Create(Avx2.GatherVector256(_scaleTable, biased.GetLower(), 4), Avx2.GatherVector256(_scaleTable, biased.GetUpper(), 4));
            return Avx512F.FusedMultiplyAdd(p47, t2 * t2, p03) * scale;
        }

        /// <summary>Whether <see cref="OfNormal(Vector512{float})"/> runs on this machine (AVX-512 beside AVX2 and FMA).</summary>
        public static bool WideVectorIsSupported => VectorIsSupported && Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

        /// <summary>Whether <see cref="OfNormal(Vector256{float})"/> runs on this machine.</summary>
        public static bool VectorIsSupported => Avx2.IsSupported && Fma.IsSupported;

        /// <summary>Gaussian elimination with partial pivoting on an augmented (n) × (n + 1) matrix.</summary>
        private static double[] Solve(double[,] m)
        {
            int n = m.GetLength(0);
            for (int col = 0; col < n; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < n; r++)
                {
                    if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                        pivot = r;
                }
                for (int j = 0; j <= n; j++)
                    (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
                for (int r = col + 1; r < n; r++)
                {
                    double f = m[r, col] / m[col, col];
                    for (int j = col; j <= n; j++)
                        m[r, j] -= f * m[col, j];
                }
            }
            var x = new double[n];
            for (int r = n - 1; r >= 0; r--)
            {
                double sum = m[r, n];
                for (int j = r + 1; j < n; j++)
                    sum -= m[r, j] * x[j];
                x[r] = sum / m[r, r];
            }
            return x;
        }
    }
}
