using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A width policy for the walk's integer dot product Σ weight_c · code_c (<see cref="QuantizedRows"/>): a running
    /// sum that takes 32 byte codes and their 32 16-bit weights at a time, in the widest multiply-add of 16-bit pairs the
    /// machine has. Integer sums are exact, so every width gives the same result; the kernels are written once over
    /// this interface.
    /// </summary>
    internal interface ICodeDot<TSelf>
        where TSelf : struct, ICodeDot<TSelf>
    {
        /// <summary>The sum so far plus Σ weights[i] · codes[i] over the 32 codes (the first 16 in <paramref name="low"/>).</summary>
        static abstract TSelf Add(TSelf sum, Vector128<byte> low, Vector128<byte> high, ref short weights, nuint offset);

        static abstract int Total(TSelf sum);
    }

    /// <summary>AVX-512: one 32-lane multiply-add of 16-bit pairs.</summary>
    internal readonly struct CodeDot512 : ICodeDot<CodeDot512>
    {
        private readonly Vector512<int> _sum;

        private CodeDot512(Vector512<int> sum) => _sum = sum;

        public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512BW.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static CodeDot512 Add(CodeDot512 sum, Vector128<byte> low, Vector128<byte> high, ref short weights, nuint offset) =>
            new(sum._sum + Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Create(low, high)), Vector512.LoadUnsafe(ref weights, offset)));

        public static int Total(CodeDot512 sum) => Vector512.Sum(sum._sum);
    }

    /// <summary>AVX2: two 16-lane multiply-adds of 16-bit pairs.</summary>
    internal readonly struct CodeDot256 : ICodeDot<CodeDot256>
    {
        private readonly Vector256<int> _sum;

        private CodeDot256(Vector256<int> sum) => _sum = sum;

        public static bool IsSupported => Avx2.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static CodeDot256 Add(CodeDot256 sum, Vector128<byte> low, Vector128<byte> high, ref short weights, nuint offset) =>
            new(sum._sum
                + Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(low), Vector256.LoadUnsafe(ref weights, offset))
                + Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(high), Vector256.LoadUnsafe(ref weights, offset + 16)));

        public static int Total(CodeDot256 sum) => Vector256.Sum(sum._sum);
    }

    /// <summary>128-bit: SSE2's multiply-add of 16-bit pairs on x64, AdvSimd's widening multiply-accumulate on ARM64.</summary>
    internal readonly struct CodeDot128 : ICodeDot<CodeDot128>
    {
        private readonly Vector128<int> _sum;

        private CodeDot128(Vector128<int> sum) => _sum = sum;

        public static bool IsSupported => Sse2.IsSupported || AdvSimd.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static CodeDot128 Add(CodeDot128 sum, Vector128<byte> low, Vector128<byte> high, ref short weights, nuint offset)
        {
            var result = sum._sum;
            result = Add(result, Vector128.WidenLower(low).AsInt16(), Vector128.LoadUnsafe(ref weights, offset));
            result = Add(result, Vector128.WidenUpper(low).AsInt16(), Vector128.LoadUnsafe(ref weights, offset + 8));
            result = Add(result, Vector128.WidenLower(high).AsInt16(), Vector128.LoadUnsafe(ref weights, offset + 16));
            result = Add(result, Vector128.WidenUpper(high).AsInt16(), Vector128.LoadUnsafe(ref weights, offset + 24));
            return new(result);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Add(Vector128<int> sum, Vector128<short> codes, Vector128<short> weights)
        {
            if (AdvSimd.IsSupported)
            {
                sum = AdvSimd.MultiplyWideningLowerAndAdd(sum, codes.GetLower(), weights.GetLower());
                return AdvSimd.MultiplyWideningUpperAndAdd(sum, codes, weights);
            }
            return sum + Sse2.MultiplyAddAdjacent(codes, weights);
        }

        public static int Total(CodeDot128 sum) => Vector128.Sum(sum._sum);
    }

    /// <summary>No vector hardware: one product at a time.</summary>
    internal readonly struct CodeDotScalar : ICodeDot<CodeDotScalar>
    {
        private readonly int _sum;

        private CodeDotScalar(int sum) => _sum = sum;

        public static CodeDotScalar Add(CodeDotScalar sum, Vector128<byte> low, Vector128<byte> high, ref short weights, nuint offset)
        {
            int result = sum._sum;
            for (int i = 0; i < 16; i++)
            {
                result += Unsafe.Add(ref weights, offset + (nuint)i) * low.GetElement(i);
                result += Unsafe.Add(ref weights, offset + 16 + (nuint)i) * high.GetElement(i);
            }
            return new(result);
        }

        public static int Total(CodeDotScalar sum) => sum._sum;
    }
}
