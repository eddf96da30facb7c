using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>
    /// One lane: the scalar form of a kernel written over <see cref="ILanes{TSelf}"/>, for code that handles one value at
    /// a time (a lone move, a reduction's leftover terms) and must give a vector lane's bits.
    /// </summary>
    internal readonly struct OneLane : ILanes<OneLane>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public OneLane(float value) => Value = value;

        public float Value { get; }

        private int Int => BitConverter.SingleToInt32Bits(Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static OneLane FromInt(int value) => new(BitConverter.Int32BitsToSingle(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static OneLane Mask(bool set) => FromInt(set ? -1 : 0);

        public static int Count => 1;

        public static OneLane Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Create(float value) => new(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Load(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(OneLane value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value.Value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane LoadBytes(ref byte source, nuint offset) => new(Unsafe.Add(ref source, offset));

        public static float Lane(OneLane value, int lane) => lane == 0 ? value.Value : throw new ArgumentOutOfRangeException(nameof(lane));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator +(OneLane left, OneLane right) => new(left.Value + right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator -(OneLane left, OneLane right) => new(left.Value - right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator *(OneLane left, OneLane right) => new(left.Value * right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator /(OneLane left, OneLane right) => new(left.Value / right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator &(OneLane left, OneLane right) => FromInt(left.Int & right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator |(OneLane left, OneLane right) => FromInt(left.Int | right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane operator ~(OneLane value) => FromInt(~value.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Abs(OneLane value) => new(Math.Abs(value.Value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Sqrt(OneLane value) => new(MathF.Sqrt(value.Value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Min(OneLane left, OneLane right) => left.Value < right.Value ? left : right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Max(OneLane left, OneLane right) => left.Value > right.Value ? left : right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Equal(OneLane left, OneLane right) => Mask(left.Value == right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane LessThan(OneLane left, OneLane right) => Mask(left.Value < right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane GreaterThan(OneLane left, OneLane right) => Mask(left.Value > right.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane Select(OneLane mask, OneLane ifSet, OneLane ifClear) => FromInt((mask.Int & ifSet.Int) | (~mask.Int & ifClear.Int));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(OneLane mask) => mask.Int != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane CreateInt(int value) => FromInt(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane LoadInts(ref int source, nuint offset) => FromInt(Unsafe.Add(ref source, offset));

        public static int IntLane(OneLane value, int lane) => lane == 0 ? value.Int : throw new ArgumentOutOfRangeException(nameof(lane));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane AddInts(OneLane left, OneLane right) => FromInt(left.Int + right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane MultiplyInts(OneLane left, OneLane right) => FromInt(left.Int * right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane EqualInts(OneLane left, OneLane right) => Mask(left.Int == right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane LessThanInts(OneLane left, OneLane right) => Mask(left.Int < right.Int);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static OneLane ShiftRightLogicalInts(OneLane value, int count) => FromInt((int)((uint)value.Int >> count));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe OneLane Gather(float* source, OneLane indices) => new(source[indices.Int]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe OneLane GatherRows(float* source, int* rows, int stride) => new(source[rows[0] * stride]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe OneLane GatherMasked(float* source, OneLane indices, OneLane mask) => Gather(source, indices & mask) & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe OneLane GatherIntsMasked(int* source, OneLane indices, OneLane mask) => FromInt(source[(indices & mask).Int] & mask.Int);
    }
}
