using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// The exponential, logarithm, power and cosine the fit needs, computed from additions, multiplications, divisions
    /// and exact scalings only, so that they give the same bits on every processor and operating system.
    /// </summary>
    /// <remarks>
    /// <see cref="Math.Exp(double)"/> and its kin call the C runtime of the machine, whose last bit differs between
    /// implementations (glibc's choice of routine even depends on the processor's fused multiply-add), and one
    /// different bit in a membership or a random draw sends the layout elsewhere. These are accurate to about one unit
    /// in the last place of a double, plenty for what is then rounded to float or compared with a tolerance.
    /// </remarks>
    internal static class PortableMath
    {
        /// <summary>ln 2 split so that k·<see cref="Ln2High"/> is exact for every exponent k of a double.</summary>
        private const double Ln2High = 6.93147180369123816490e-01;

        private const double Ln2Low = 1.90821492927058770002e-10;

        private const double Ln2 = 0.69314718055994530942;

        private const double InverseLn2 = 1.44269504088896340736;

        private const double TwoPi = 6.28318530717958647692;

        private const double SmallestNormal = 2.2250738585072014e-308;

        /// <summary>Beyond these, e^x overflows to +∞ or underflows to 0.</summary>
        private const double ExpOverflow = 709.782712893384;

        private const double ExpUnderflow = -745.1332191019412;

        /// <summary>e^<paramref name="x"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Exp(double x)
        {
            if (double.IsNaN(x))
                return x;
            if (x > ExpOverflow)
                return double.PositiveInfinity;
            if (x < ExpUnderflow)
                return 0.0;
            // x = k·ln 2 + r with |r| ≤ ln 2 / 2, then e^x = 2^k·e^r.
            double k = Math.Round(x * InverseLn2);
            double r = (x - k * Ln2High) - k * Ln2Low;
            return Math.ScaleB(ExpReduced(r), (int)k);
        }

        /// <summary>2^<paramref name="x"/>.</summary>
        public static double Exp2(double x)
        {
            if (double.IsNaN(x))
                return x;
            if (x > 1024)
                return double.PositiveInfinity;
            if (x < -1075)
                return 0.0;
            // The integer part is an exact scaling; only the fraction goes through the series.
            double whole = Math.Round(x);
            return Math.ScaleB(ExpReduced((x - whole) * Ln2), (int)whole);
        }

        /// <summary>e^r for |r| ≤ ln 2 / 2: the Taylor series to r¹³/13!, whose remainder is below half a unit in the last place.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double ExpReduced(double r)
        {
            var c = InverseFactorials;
            double sum = c[13];
            for (int n = 12; n >= 0; n--)
                sum = sum * r + c[n];
            return sum;
        }

        /// <summary>1/n! for n = 0 … 19: each an exact integer's reciprocal, rounded once.</summary>
        private static readonly double[] InverseFactorials = CreateInverseFactorials(19);

        /// <summary>2 / (2k + 1) for k = 0 … 11: the series of 2·atanh(s) / s in powers of s², to s²²; s² ≤ 0.03 makes the rest negligible.</summary>
        private static readonly double[] AtanhCoefficients = CreateAtanhCoefficients(11);

        private static double[] CreateAtanhCoefficients(int last)
        {
            var result = new double[last + 1];
            for (int k = 0; k <= last; k++)
                result[k] = 2.0 / (2 * k + 1);
            return result;
        }

        private static double[] CreateInverseFactorials(int last)
        {
            var result = new double[last + 1];
            double factorial = 1;
            for (int n = 0; n <= last; n++)
            {
                factorial *= Math.Max(1, n);
                result[n] = 1.0 / factorial;
            }
            return result;
        }

        /// <summary>ln <paramref name="x"/> (NaN below 0, −∞ at 0).</summary>
        public static double Log(double x)
        {
            if (double.IsNaN(x) || x < 0)
                return double.NaN;
            if (x == 0)
                return double.NegativeInfinity;
            if (double.IsPositiveInfinity(x))
                return x;
            int exponent = 0;
            if (x < SmallestNormal)
            {
                x *= 18014398509481984.0; // 2^54: a subnormal becomes normal
                exponent = -54;
            }
            long bits = BitConverter.DoubleToInt64Bits(x);
            exponent += (int)(bits >> 52) - 1023;
            double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
            // m in [√½, √2), so that f = m − 1 is small either side of 0 (both steps exact).
            if (m > 1.4142135623730951)
            {
                m *= 0.5;
                exponent++;
            }
            double f = m - 1.0;
            // ln(1 + f) = 2·atanh(s), s = f / (2 + f); written f − s·(f − R) with R = Σ 2 s^(2k) / (2k + 1).
            double s = f / (2.0 + f);
            double z = s * s;
            var c = AtanhCoefficients;
            double series = 0;
            for (int k = c.Length - 1; k >= 1; k--)
                series = (series + c[k]) * z;
            double lnM = f - s * (f - series);
            return exponent * Ln2High + (lnM + exponent * Ln2Low);
        }

        /// <summary>log₂ <paramref name="x"/>.</summary>
        public static double Log2(double x) => Log(x) * InverseLn2;

        /// <summary>
        /// <paramref name="x"/>^<paramref name="y"/> for <paramref name="x"/> ≥ 0 (e^(y·ln x); 0^y is 0 for y &gt; 0, 1 for
        /// y = 0, +∞ for y &lt; 0), NaN for a negative base. Relative error grows with |y·ln x|, about 1e-15 at 20.
        /// </summary>
        public static double Pow(double x, double y)
        {
            if (y == 0)
                return 1.0;
            if (x == 0)
                return y > 0 ? 0.0 : double.PositiveInfinity;
            if (x == 1)
                return 1.0;
            return Exp(y * Log(x));
        }

        /// <summary>
        /// cos(2π<paramref name="turns"/>) for 0 ≤ <paramref name="turns"/> ≤ 1: the angle is folded into [0, π/4] by
        /// exact subtractions of turns, then a Taylor series of the cosine or the sine.
        /// </summary>
        public static double CosTurns(double turns)
        {
            if (!(turns >= 0 && turns <= 1))
                throw new ArgumentOutOfRangeException(nameof(turns), turns, "Expected a fraction of a turn in [0, 1].");
            double t = turns > 0.5 ? 1.0 - turns : turns;     // cos(2πt) = cos(2π(1 − t))
            double sign = 1.0;
            if (t > 0.25)
            {
                t = 0.5 - t;                                   // cos(2πt) = −cos(2π(½ − t))
                sign = -1.0;
            }
            return t <= 0.125 ? sign * CosSeries(TwoPi * t) : sign * SinSeries(TwoPi * (0.25 - t));
        }

        /// <summary>cos x for |x| ≤ π/4: Taylor to x¹⁸/18!.</summary>
        private static double CosSeries(double x)
        {
            var c = InverseFactorials;
            double z = x * x, sum = 0;
            for (int n = 18; n >= 2; n -= 2)
                sum = (sum + (n / 2 % 2 == 0 ? c[n] : -c[n])) * z;
            return 1.0 + sum;
        }

        /// <summary>sin x for |x| ≤ π/4: Taylor to x¹⁹/19!.</summary>
        private static double SinSeries(double x)
        {
            var c = InverseFactorials;
            double z = x * x, sum = 0;
            for (int n = 19; n >= 3; n -= 2)
                sum = (sum + ((n - 1) / 2 % 2 == 0 ? c[n] : -c[n])) * z;
            return x + x * sum;
        }
    }
}
