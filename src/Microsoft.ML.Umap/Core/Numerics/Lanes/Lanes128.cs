using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>Four lanes in a 128-bit vector: SSE on x64 without AVX, AdvSimd (NEON) on ARM64.</summary>
    internal readonly struct Lanes128 : IWideLanes<Lanes128>
    {
        private readonly Vector128<float> _value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes128(Vector128<float> value) => _value = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes128(Vector128<int> value) => _value = value.AsSingle();

        private Vector128<int> Ints => _value.AsInt32();

        public static int Count => Vector128<float>.Count;

        public static Lanes128 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Create(float value) => new(Vector128.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes128 value, ref float destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 LoadBytes(ref byte source, nuint offset)
        {
            var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref source, offset))).AsByte();
            return new(Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(bytes))));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Lane(Lanes128 value, int lane) => value._value.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator +(Lanes128 left, Lanes128 right) => new(left._value + right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator -(Lanes128 left, Lanes128 right) => new(left._value - right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator *(Lanes128 left, Lanes128 right) => new(left._value * right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator /(Lanes128 left, Lanes128 right) => new(left._value / right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator &(Lanes128 left, Lanes128 right) => new(left._value & right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator |(Lanes128 left, Lanes128 right) => new(left._value | right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 operator ~(Lanes128 value) => new(~value._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Abs(Lanes128 value) => new(Vector128.Abs(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Sqrt(Lanes128 value) => new(Vector128.Sqrt(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes128 Min(Lanes128 left, Lanes128 right) => new(Vector128.MinNative(left._value, right._value));
#else
        public static Lanes128 Min(Lanes128 left, Lanes128 right) => new(Vector128.Min(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes128 Max(Lanes128 left, Lanes128 right) => new(Vector128.MaxNative(left._value, right._value));
#else
        public static Lanes128 Max(Lanes128 left, Lanes128 right) => new(Vector128.Max(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Equal(Lanes128 left, Lanes128 right) => new(Vector128.Equals(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 LessThan(Lanes128 left, Lanes128 right) => new(Vector128.LessThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 GreaterThan(Lanes128 left, Lanes128 right) => new(Vector128.GreaterThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 Select(Lanes128 mask, Lanes128 ifSet, Lanes128 ifClear) => new(Vector128.ConditionalSelect(mask._value, ifSet._value, ifClear._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(Lanes128 mask) => mask.Ints != Vector128<int>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 CreateInt(int value) => new(Vector128.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 LoadInts(ref int source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int IntLane(Lanes128 value, int lane) => value.Ints.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 AddInts(Lanes128 left, Lanes128 right) => new(left.Ints + right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 MultiplyInts(Lanes128 left, Lanes128 right) => new(left.Ints * right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 EqualInts(Lanes128 left, Lanes128 right) => new(Vector128.Equals(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 LessThanInts(Lanes128 left, Lanes128 right) => new(Vector128.LessThan(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes128 ShiftRightLogicalInts(Lanes128 value, int count) => new(Vector128.ShiftRightLogical(value.Ints, count));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes128 Gather(float* source, Lanes128 indices)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherVector128(source, indices.Ints, sizeof(float)));
            var i = indices.Ints;
            return new(Vector128.Create(source[i.GetElement(0)], source[i.GetElement(1)], source[i.GetElement(2)], source[i.GetElement(3)]));
        }

        /// <remarks>Without a hardware gather the indices are read as scalars, not extracted from a vector.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes128 GatherRows(float* source, int* rows, int stride)
        {
            if (Avx2.IsSupported)
                return Gather(source, MultiplyInts(LoadInts(ref *rows, 0), CreateInt(stride)));
            return new(Vector128.Create(source[rows[0] * stride], source[rows[1] * stride], source[rows[2] * stride], source[rows[3] * stride]));
        }

        /// <remarks>Without a hardware gather the masked lanes read element 0 and are cleared: no branch per lane.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes128 GatherMasked(float* source, Lanes128 indices, Lanes128 mask)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherMaskVector128(Vector128<float>.Zero, source, indices.Ints, mask._value, sizeof(float)));
            return Gather(source, indices & mask) & mask;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes128 GatherIntsMasked(int* source, Lanes128 indices, Lanes128 mask)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherMaskVector128(Vector128<int>.Zero, source, indices.Ints, mask.Ints, sizeof(int)));
            var i = (indices & mask).Ints;
            return new Lanes128(Vector128.Create(source[i.GetElement(0)], source[i.GetElement(1)], source[i.GetElement(2)], source[i.GetElement(3)])) & mask;
        }

        /// <summary>The lanes as a vector, for the wider widths built of two of these.</summary>
        public Vector128<float> AsVector() => _value;

        /// <summary>Lanes holding the integers of <paramref name="value"/>.</summary>
        public static Lanes128 FromInts(Vector128<int> value) => new(value);

        /// <summary>Four vectors hold the sixteen sums: (p₀₋₃ + p₈₋₁₁) + (p₄₋₇ + p₁₂₋₁₅), then the last steps.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(Lanes128 first, Lanes128 second, Lanes128 third, Lanes128 fourth) =>
            LaneSums.Total((first._value + third._value) + (second._value + fourth._value));
    }
}
