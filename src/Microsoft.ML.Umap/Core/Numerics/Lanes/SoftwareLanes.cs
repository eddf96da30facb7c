using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>
    /// Four lanes as four floats, for a machine (or a run with DOTNET_EnableHWIntrinsic=0) without vector hardware: the
    /// same operations one float at a time, so the same bits as the vector widths. .NET's own Vector128 emulates the
    /// missing hardware far more slowly than these plain fields (docs/measurements.md).
    /// </summary>
    internal readonly struct SoftwareLanes : IWideLanes<SoftwareLanes>
    {
        private readonly float _x, _y, _z, _w;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private SoftwareLanes(float x, float y, float z, float w)
        {
            _x = x;
            _y = y;
            _z = z;
            _w = w;
        }

        public static int Count => 4;

        public static SoftwareLanes Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Create(float value) => new(value, value, value, value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Load(ref float source, nuint offset) =>
            new(Unsafe.Add(ref source, offset), Unsafe.Add(ref source, offset + 1), Unsafe.Add(ref source, offset + 2), Unsafe.Add(ref source, offset + 3));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(SoftwareLanes value, ref float destination, nuint offset)
        {
            Unsafe.Add(ref destination, offset) = value._x;
            Unsafe.Add(ref destination, offset + 1) = value._y;
            Unsafe.Add(ref destination, offset + 2) = value._z;
            Unsafe.Add(ref destination, offset + 3) = value._w;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes LoadBytes(ref byte source, nuint offset) =>
            new(Unsafe.Add(ref source, offset), Unsafe.Add(ref source, offset + 1), Unsafe.Add(ref source, offset + 2), Unsafe.Add(ref source, offset + 3));

        public static float Lane(SoftwareLanes value, int lane) => lane switch
        {
            0 => value._x,
            1 => value._y,
            2 => value._z,
            3 => value._w,
            _ => throw new ArgumentOutOfRangeException(nameof(lane)),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Bits(int value) => BitConverter.Int32BitsToSingle(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Int(float value) => BitConverter.SingleToInt32Bits(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Mask(bool set) => set ? Bits(-1) : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator +(SoftwareLanes a, SoftwareLanes b) => new(a._x + b._x, a._y + b._y, a._z + b._z, a._w + b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator -(SoftwareLanes a, SoftwareLanes b) => new(a._x - b._x, a._y - b._y, a._z - b._z, a._w - b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator *(SoftwareLanes a, SoftwareLanes b) => new(a._x * b._x, a._y * b._y, a._z * b._z, a._w * b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator /(SoftwareLanes a, SoftwareLanes b) => new(a._x / b._x, a._y / b._y, a._z / b._z, a._w / b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator &(SoftwareLanes a, SoftwareLanes b) =>
            new(Bits(Int(a._x) & Int(b._x)), Bits(Int(a._y) & Int(b._y)), Bits(Int(a._z) & Int(b._z)), Bits(Int(a._w) & Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator |(SoftwareLanes a, SoftwareLanes b) =>
            new(Bits(Int(a._x) | Int(b._x)), Bits(Int(a._y) | Int(b._y)), Bits(Int(a._z) | Int(b._z)), Bits(Int(a._w) | Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes operator ~(SoftwareLanes a) => new(Bits(~Int(a._x)), Bits(~Int(a._y)), Bits(~Int(a._z)), Bits(~Int(a._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Abs(SoftwareLanes value) => new(Math.Abs(value._x), Math.Abs(value._y), Math.Abs(value._z), Math.Abs(value._w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Sqrt(SoftwareLanes value) => new(MathF.Sqrt(value._x), MathF.Sqrt(value._y), MathF.Sqrt(value._z), MathF.Sqrt(value._w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Min(SoftwareLanes a, SoftwareLanes b) =>
            new(a._x < b._x ? a._x : b._x, a._y < b._y ? a._y : b._y, a._z < b._z ? a._z : b._z, a._w < b._w ? a._w : b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Max(SoftwareLanes a, SoftwareLanes b) =>
            new(a._x > b._x ? a._x : b._x, a._y > b._y ? a._y : b._y, a._z > b._z ? a._z : b._z, a._w > b._w ? a._w : b._w);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Equal(SoftwareLanes a, SoftwareLanes b) => new(Mask(a._x == b._x), Mask(a._y == b._y), Mask(a._z == b._z), Mask(a._w == b._w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes LessThan(SoftwareLanes a, SoftwareLanes b) => new(Mask(a._x < b._x), Mask(a._y < b._y), Mask(a._z < b._z), Mask(a._w < b._w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes GreaterThan(SoftwareLanes a, SoftwareLanes b) => new(Mask(a._x > b._x), Mask(a._y > b._y), Mask(a._z > b._z), Mask(a._w > b._w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes Select(SoftwareLanes mask, SoftwareLanes ifSet, SoftwareLanes ifClear) => (mask & ifSet) | (~mask & ifClear);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(SoftwareLanes mask) => (Int(mask._x) | Int(mask._y) | Int(mask._z) | Int(mask._w)) != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes CreateInt(int value) => Create(Bits(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes LoadInts(ref int source, nuint offset) =>
            new(Bits(Unsafe.Add(ref source, offset)), Bits(Unsafe.Add(ref source, offset + 1)), Bits(Unsafe.Add(ref source, offset + 2)), Bits(Unsafe.Add(ref source, offset + 3)));

        public static int IntLane(SoftwareLanes value, int lane) => Int(Lane(value, lane));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes AddInts(SoftwareLanes a, SoftwareLanes b) =>
            new(Bits(Int(a._x) + Int(b._x)), Bits(Int(a._y) + Int(b._y)), Bits(Int(a._z) + Int(b._z)), Bits(Int(a._w) + Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes MultiplyInts(SoftwareLanes a, SoftwareLanes b) =>
            new(Bits(Int(a._x) * Int(b._x)), Bits(Int(a._y) * Int(b._y)), Bits(Int(a._z) * Int(b._z)), Bits(Int(a._w) * Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes EqualInts(SoftwareLanes a, SoftwareLanes b) =>
            new(Mask(Int(a._x) == Int(b._x)), Mask(Int(a._y) == Int(b._y)), Mask(Int(a._z) == Int(b._z)), Mask(Int(a._w) == Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes LessThanInts(SoftwareLanes a, SoftwareLanes b) =>
            new(Mask(Int(a._x) < Int(b._x)), Mask(Int(a._y) < Int(b._y)), Mask(Int(a._z) < Int(b._z)), Mask(Int(a._w) < Int(b._w)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static SoftwareLanes ShiftRightLogicalInts(SoftwareLanes v, int count) =>
            new(Bits((int)((uint)Int(v._x) >> count)), Bits((int)((uint)Int(v._y) >> count)), Bits((int)((uint)Int(v._z) >> count)), Bits((int)((uint)Int(v._w) >> count)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe SoftwareLanes Gather(float* source, SoftwareLanes i) =>
            new(source[Int(i._x)], source[Int(i._y)], source[Int(i._z)], source[Int(i._w)]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe SoftwareLanes GatherRows(float* source, int* rows, int stride) =>
            new(source[rows[0] * stride], source[rows[1] * stride], source[rows[2] * stride], source[rows[3] * stride]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe SoftwareLanes GatherMasked(float* source, SoftwareLanes i, SoftwareLanes m) => Gather(source, i & m) & m;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe SoftwareLanes GatherIntsMasked(int* source, SoftwareLanes i, SoftwareLanes m)
        {
            var at = i & m;
            return new SoftwareLanes(Bits(source[Int(at._x)]), Bits(source[Int(at._y)]), Bits(source[Int(at._z)]), Bits(source[Int(at._w)])) & m;
        }

        /// <summary>Four of these hold the sixteen sums, as <see cref="Lanes128"/>'s four vectors do.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(SoftwareLanes first, SoftwareLanes second, SoftwareLanes third, SoftwareLanes fourth)
        {
            var quarters = (first + third) + (second + fourth);
            return LaneSums.Total(quarters._x, quarters._y, quarters._z, quarters._w);
        }
    }
}
