using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>Eight lanes in a 256-bit vector: AVX2 on x64.</summary>
    internal readonly struct Lanes256 : IWideLanes<Lanes256>
    {
        private readonly Vector256<float> _value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes256(Vector256<float> value) => _value = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes256(Vector256<int> value) => _value = value.AsSingle();

        private Vector256<int> Ints => _value.AsInt32();

        public static int Count => Vector256<float>.Count;

        public static Lanes256 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Create(float value) => new(Vector256.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes256 value, ref float destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 LoadBytes(ref byte source, nuint offset)
        {
            var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, offset))).AsByte();
            if (Avx2.IsSupported)
                return new(Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(bytes)));
            var shorts = Vector128.WidenLower(bytes);
            return new(Vector256.ConvertToSingle(Vector256.Create(Vector128.WidenLower(shorts), Vector128.WidenUpper(shorts))));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Lane(Lanes256 value, int lane) => value._value.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left._value + right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left._value - right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left._value * right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator /(Lanes256 left, Lanes256 right) => new(left._value / right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator &(Lanes256 left, Lanes256 right) => new(left._value & right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator |(Lanes256 left, Lanes256 right) => new(left._value | right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 operator ~(Lanes256 value) => new(~value._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Abs(Lanes256 value) => new(Vector256.Abs(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Sqrt(Lanes256 value) => new(Vector256.Sqrt(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes256 Min(Lanes256 left, Lanes256 right) => new(Vector256.MinNative(left._value, right._value));
#else
        public static Lanes256 Min(Lanes256 left, Lanes256 right) => new(Vector256.Min(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes256 Max(Lanes256 left, Lanes256 right) => new(Vector256.MaxNative(left._value, right._value));
#else
        public static Lanes256 Max(Lanes256 left, Lanes256 right) => new(Vector256.Max(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Equal(Lanes256 left, Lanes256 right) => new(Vector256.Equals(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 LessThan(Lanes256 left, Lanes256 right) => new(Vector256.LessThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 GreaterThan(Lanes256 left, Lanes256 right) => new(Vector256.GreaterThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 Select(Lanes256 mask, Lanes256 ifSet, Lanes256 ifClear) => new(Vector256.ConditionalSelect(mask._value, ifSet._value, ifClear._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(Lanes256 mask) => mask.Ints != Vector256<int>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 CreateInt(int value) => new(Vector256.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 LoadInts(ref int source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int IntLane(Lanes256 value, int lane) => value.Ints.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 AddInts(Lanes256 left, Lanes256 right) => new(left.Ints + right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 MultiplyInts(Lanes256 left, Lanes256 right) => new(left.Ints * right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 EqualInts(Lanes256 left, Lanes256 right) => new(Vector256.Equals(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 LessThanInts(Lanes256 left, Lanes256 right) => new(Vector256.LessThan(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes256 ShiftRightLogicalInts(Lanes256 value, int count) => new(Vector256.ShiftRightLogical(value.Ints, count));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes256 Gather(float* source, Lanes256 indices)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherVector256(source, indices.Ints, sizeof(float)));
            return new(Vector256.Create(
                Lanes128.Gather(source, Lanes128.FromInts(indices.Ints.GetLower())).AsVector(),
                Lanes128.Gather(source, Lanes128.FromInts(indices.Ints.GetUpper())).AsVector()));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes256 GatherRows(float* source, int* rows, int stride)
        {
            if (Avx2.IsSupported)
                return Gather(source, MultiplyInts(LoadInts(ref *rows, 0), CreateInt(stride)));
            return new(Vector256.Create(Lanes128.GatherRows(source, rows, stride).AsVector(), Lanes128.GatherRows(source, rows + 4, stride).AsVector()));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes256 GatherMasked(float* source, Lanes256 indices, Lanes256 mask)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherMaskVector256(Vector256<float>.Zero, source, indices.Ints, mask._value, sizeof(float)));
            return new(Vector256.Create(
                Lanes128.GatherMasked(source, Lanes128.FromInts(indices.Ints.GetLower()), Lanes128.FromInts(mask.Ints.GetLower())).AsVector(),
                Lanes128.GatherMasked(source, Lanes128.FromInts(indices.Ints.GetUpper()), Lanes128.FromInts(mask.Ints.GetUpper())).AsVector()));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes256 GatherIntsMasked(int* source, Lanes256 indices, Lanes256 mask)
        {
            if (Avx2.IsSupported)
                return new(Avx2.GatherMaskVector256(Vector256<int>.Zero, source, indices.Ints, mask.Ints, sizeof(int)));
            return new(Vector256.Create(
                Lanes128.GatherIntsMasked(source, Lanes128.FromInts(indices.Ints.GetLower()), Lanes128.FromInts(mask.Ints.GetLower())).AsVector(),
                Lanes128.GatherIntsMasked(source, Lanes128.FromInts(indices.Ints.GetUpper()), Lanes128.FromInts(mask.Ints.GetUpper())).AsVector()));
        }

        /// <summary>Two vectors hold the sixteen sums: p₀₋₇ + p₈₋₁₅, its halves added, then the last steps.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(Lanes256 first, Lanes256 second, Lanes256 third, Lanes256 fourth)
        {
            var eight = first._value + second._value;
            return LaneSums.Total(eight.GetLower() + eight.GetUpper());
        }

        /// <summary>The lanes as a vector, for the wider widths built of two of these.</summary>
        public Vector256<float> AsVector() => _value;

        /// <summary>Lanes holding the integers of <paramref name="value"/>.</summary>
        public static Lanes256 FromInts(Vector256<int> value) => new(value);
    }
}
