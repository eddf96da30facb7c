using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>Sixteen lanes in a 512-bit vector: AVX-512 on x64.</summary>
    internal readonly struct Lanes512 : IWideLanes<Lanes512>
    {
        private readonly Vector512<float> _value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes512(Vector512<float> value) => _value = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Lanes512(Vector512<int> value) => _value = value.AsSingle();

        private Vector512<int> Ints => _value.AsInt32();

        public static int Count => Vector512<float>.Count;

        public static Lanes512 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Create(float value) => new(Vector512.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes512 value, ref float destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 LoadBytes(ref byte source, nuint offset) =>
            new(Vector512.ConvertToSingle(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref source, offset))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Lane(Lanes512 value, int lane) => value._value.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left._value + right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left._value - right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left._value * right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator /(Lanes512 left, Lanes512 right) => new(left._value / right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator &(Lanes512 left, Lanes512 right) => new(left._value & right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator |(Lanes512 left, Lanes512 right) => new(left._value | right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 operator ~(Lanes512 value) => new(~value._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Abs(Lanes512 value) => new(Vector512.Abs(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Sqrt(Lanes512 value) => new(Vector512.Sqrt(value._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes512 Min(Lanes512 left, Lanes512 right) => new(Vector512.MinNative(left._value, right._value));
#else
        public static Lanes512 Min(Lanes512 left, Lanes512 right) => new(Vector512.Min(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Lanes512 Max(Lanes512 left, Lanes512 right) => new(Vector512.MaxNative(left._value, right._value));
#else
        public static Lanes512 Max(Lanes512 left, Lanes512 right) => new(Vector512.Max(left._value, right._value));
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Equal(Lanes512 left, Lanes512 right) => new(Vector512.Equals(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 LessThan(Lanes512 left, Lanes512 right) => new(Vector512.LessThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 GreaterThan(Lanes512 left, Lanes512 right) => new(Vector512.GreaterThan(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 Select(Lanes512 mask, Lanes512 ifSet, Lanes512 ifClear) => new(Vector512.ConditionalSelect(mask._value, ifSet._value, ifClear._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(Lanes512 mask) => mask.Ints != Vector512<int>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 CreateInt(int value) => new(Vector512.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 LoadInts(ref int source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int IntLane(Lanes512 value, int lane) => value.Ints.GetElement(lane);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 AddInts(Lanes512 left, Lanes512 right) => new(left.Ints + right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 MultiplyInts(Lanes512 left, Lanes512 right) => new(left.Ints * right.Ints);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 EqualInts(Lanes512 left, Lanes512 right) => new(Vector512.Equals(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 LessThanInts(Lanes512 left, Lanes512 right) => new(Vector512.LessThan(left.Ints, right.Ints));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes512 ShiftRightLogicalInts(Lanes512 value, int count) => new(Vector512.ShiftRightLogical(value.Ints, count));

        // No sixteen-lane gather among .NET's intrinsics: two of eight.

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes512 Gather(float* source, Lanes512 indices) => new(Vector512.Create(
            Lanes256.Gather(source, Lanes256.FromInts(indices.Ints.GetLower())).AsVector(),
            Lanes256.Gather(source, Lanes256.FromInts(indices.Ints.GetUpper())).AsVector()));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes512 GatherRows(float* source, int* rows, int stride) => new(Vector512.Create(
            Lanes256.GatherRows(source, rows, stride).AsVector(),
            Lanes256.GatherRows(source, rows + 8, stride).AsVector()));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes512 GatherMasked(float* source, Lanes512 indices, Lanes512 mask) => new(Vector512.Create(
            Lanes256.GatherMasked(source, Lanes256.FromInts(indices.Ints.GetLower()), Lanes256.FromInts(mask.Ints.GetLower())).AsVector(),
            Lanes256.GatherMasked(source, Lanes256.FromInts(indices.Ints.GetUpper()), Lanes256.FromInts(mask.Ints.GetUpper())).AsVector()));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe Lanes512 GatherIntsMasked(int* source, Lanes512 indices, Lanes512 mask) => new(Vector512.Create(
            Lanes256.GatherIntsMasked(source, Lanes256.FromInts(indices.Ints.GetLower()), Lanes256.FromInts(mask.Ints.GetLower())).AsVector(),
            Lanes256.GatherIntsMasked(source, Lanes256.FromInts(indices.Ints.GetUpper()), Lanes256.FromInts(mask.Ints.GetUpper())).AsVector()));

        /// <summary>One vector holds the sixteen sums: its halves added (pₗ + pₗ₊₈), their halves, then the last steps.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(Lanes512 first, Lanes512 second, Lanes512 third, Lanes512 fourth)
        {
            var eight = first._value.GetLower() + first._value.GetUpper();
            return LaneSums.Total(eight.GetLower() + eight.GetUpper());
        }
    }
}
