using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// x^b for one fixed exponent b and positive finite x, to a few parts in 10⁷, from multiplications and additions
    /// only: x = m·2^e with m in [1, 2), so x^b = m^b · 2^(e·b), with m^b from a polynomial fitted once for this b and
    /// 2^(e·b) from a table of the 256 exponents. The same code serves one value (<see cref="Of(float)"/>) and every
    /// vector width (<see cref="Of{TLanes}"/>), with the same bits in every lane on every machine.
    /// </summary>
    /// <remarks>
    /// The layout applies its moves one after the other, so each move waits for the power of the previous one;
    /// <see cref="MathF.Pow(float, float)"/> handles every exponent, is several times longer on that path, and is the C
    /// runtime's, whose last bit differs between machines. Subnormal inputs are scaled into the normal range by an exact
    /// 2⁶⁴ and the result scaled back; 0 gives a meaningless finite value, which callers mask.
    /// </remarks>
    internal sealed class FixedPower
    {
        private const int Degree = 7;

        /// <summary>The smallest positive normal float, 2^−126: below it the exponent field is 0.</summary>
        public const float SmallestNormal = 1.17549435E-38f;

        /// <summary>2⁶⁴, which lifts every positive subnormal float into the normal range exactly.</summary>
        private const float SubnormalLift = 18446744073709551616f;

        // Pinned, so the vector widths gather from a fixed address.
        private readonly float[] _scale = GC.AllocateArray<float>(256, pinned: true);
        private readonly unsafe float* _scaleTable;
        private readonly float _subnormalScale;
        private readonly float _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7;

        public FixedPower(double exponent)
        {
            Exponent = exponent;
            for (int e = 0; e < 256; e++)
                _scale[e] = (float)PortableMath.Exp2((e - 127) * exponent);
            _subnormalScale = (float)PortableMath.Exp2(-64 * exponent);
            unsafe
            {
                _scaleTable = (float*)Unsafe.AsPointer(ref _scale[0]);
            }

            // Interpolate m^b at Chebyshev nodes of [1, 2], in powers of t = m − 1.5 (well conditioned there).
            var matrix = new double[Degree + 1, Degree + 2];
            for (int i = 0; i <= Degree; i++)
            {
                double t = 0.5 * PortableMath.CosTurns((i + 0.5) / (2 * (Degree + 1)));
                double power = 1;
                for (int j = 0; j <= Degree; j++, power *= t)
                    matrix[i, j] = power;
                matrix[i, Degree + 1] = PortableMath.Pow(1.5 + t, exponent);
            }
            var c = Solve(matrix);
            (_c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7) = ((float)c[0], (float)c[1], (float)c[2], (float)c[3], (float)c[4], (float)c[5], (float)c[6], (float)c[7]);
        }

        /// <summary>The exponent b.</summary>
        public double Exponent { get; }

        /// <summary>x^b for x &gt; 0 and finite.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Of(float x) => Of(new OneLane(x)).Value;

        /// <summary>x^b in every lane of <paramref name="x"/> (each positive and finite; a zero lane gets a finite meaningless value).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public unsafe TLanes Of<TLanes>(TLanes x)
            where TLanes : struct, ILanes<TLanes>
        {
            var subnormal = TLanes.LessThan(x, TLanes.Create(SmallestNormal));
            x = TLanes.Select(subnormal, x * TLanes.Create(SubnormalLift), x);
            var biased = TLanes.ShiftRightLogicalInts(x, 23);
            var t = ((x & TLanes.CreateInt(0x007FFFFF)) | TLanes.CreateInt(0x3F800000)) - TLanes.Create(1.5f);
            // Estrin's scheme: the four pairs are independent, so the chain is three products and sums deep.
            var t2 = t * t;
            var p01 = TLanes.Create(_c1) * t + TLanes.Create(_c0);
            var p23 = TLanes.Create(_c3) * t + TLanes.Create(_c2);
            var p45 = TLanes.Create(_c5) * t + TLanes.Create(_c4);
            var p67 = TLanes.Create(_c7) * t + TLanes.Create(_c6);
            var p03 = p23 * t2 + p01;
            var p47 = p67 * t2 + p45;
            var result = (p47 * (t2 * t2) + p03) * TLanes.Gather(_scaleTable, biased);
            return TLanes.Select(subnormal, result * TLanes.Create(_subnormalScale), result);
        }

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
