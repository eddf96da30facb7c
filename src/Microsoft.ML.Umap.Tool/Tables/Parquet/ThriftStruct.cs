using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Tables.Parquet
{
    /// <summary>
    /// A struct of Parquet's metadata (Thrift compact protocol), read with every count and length checked against the
    /// bytes that hold it: a list cannot claim more elements than bytes remain, a string more bytes than remain, a
    /// number cannot run on past ten bytes, and nesting is bounded. Parquet.Net's own reader trusts these (it sizes
    /// lists and strings by the counts it reads, and loops forever on a number cut off at the end), so metadata
    /// reaches it only after this reader accepted it. Field values: integers (and booleans) as <see cref="long"/>,
    /// strings as <see cref="ThriftBinary"/>, structs as <see cref="ThriftStruct"/>, lists as <see cref="List{T}"/>.
    /// </summary>
    internal sealed class ThriftStruct
    {
        private const int MaximumDepth = 32;

        private readonly Dictionary<short, object> _fields = new();

        /// <summary>The bytes the struct was read from (its strings are slices of them).</summary>
        public ReadOnlyMemory<byte> Source { get; private init; }

        /// <summary>The bytes the struct took.</summary>
        public int Length { get; private set; }

        public long? Integer(short id) => _fields.TryGetValue(id, out var value) && value is long number ? number : null;

        public ThriftStruct? Struct(short id) => _fields.TryGetValue(id, out var value) ? value as ThriftStruct : null;

        public IReadOnlyList<object>? List(short id) => _fields.TryGetValue(id, out var value) ? value as List<object> : null;

        public string? Text(short id) =>
            _fields.TryGetValue(id, out var value) && value is ThriftBinary binary ? System.Text.Encoding.UTF8.GetString(Source.Span.Slice(binary.Offset, binary.Length)) : null;

        /// <summary>Reads the struct that starts at <paramref name="source"/>'s first byte; a struct it cannot read throws <see cref="InvalidDataException"/> saying why.</summary>
        public static ThriftStruct Read(ReadOnlyMemory<byte> source) =>
            ReadIfComplete(source) ?? throw new InvalidDataException("metadata is cut off, or claims more than its bytes hold.");

        /// <summary>Like <see cref="Read"/>, but null when the bytes end before the struct does (more may hold the rest).</summary>
        public static ThriftStruct? ReadIfComplete(ReadOnlyMemory<byte> source)
        {
            int position = 0;
            try
            {
                var result = ReadStruct(source, ref position, 0);
                result.Length = position;
                return result;
            }
            catch (TruncatedException)
            {
                return null;
            }
        }

        private static ThriftStruct ReadStruct(ReadOnlyMemory<byte> source, ref int position, int depth)
        {
            if (depth > MaximumDepth)
                throw new InvalidDataException($"metadata nested more than {MaximumDepth} deep.");
            var result = new ThriftStruct { Source = source };
            short fieldId = 0;
            while (true)
            {
                byte header = Byte(source.Span, ref position);
                if (header == 0)
                    return result;
                int delta = header >> 4;
                int type = header & 0x0F;
                fieldId = delta != 0 ? (short)(fieldId + delta) : (short)ZigZag(Varint(source.Span, ref position, 3));
                result._fields[fieldId] = type switch
                {
                    1 => 1L, // boolean true
                    2 => 0L, // boolean false
                    _ => Value(source, type, ref position, depth),
                };
            }
        }

        private static object Value(ReadOnlyMemory<byte> source, int type, ref int position, int depth)
        {
            var span = source.Span;
            switch (type)
            {
                case 1: // a boolean in a list or map: one byte
                case 2:
                case 3: // i8
                    return (long)(sbyte)Byte(span, ref position);
                case 4: // i16
                case 5: // i32
                {
                    ulong value = Varint(span, ref position, 5);
                    if (value > uint.MaxValue)
                        throw new InvalidDataException("metadata holds a 32-bit number out of range.");
                    return ZigZag(value);
                }
                case 6: // i64
                    return ZigZag(Varint(span, ref position, 10));
                case 7: // double
                    Take(span, ref position, 8);
                    return 0L;
                case 8: // binary
                {
                    int length = Count(span, ref position, minimumSize: 1);
                    int start = position;
                    Take(span, ref position, length);
                    return new ThriftBinary(start, length);
                }
                case 9: // list
                case 10: // set
                {
                    byte sizeAndType = Byte(span, ref position);
                    int count = sizeAndType >> 4;
                    int elementType = sizeAndType & 0x0F;
                    if (count == 15)
                        count = Count(span, ref position, minimumSize: 1);
                    else if (count > span.Length - position)
                        throw Truncated();
                    var list = new List<object>(count);
                    for (int i = 0; i < count; i++)
                        list.Add(Value(source, elementType, ref position, depth + 1));
                    return list;
                }
                case 11: // map
                {
                    int count = Count(span, ref position, minimumSize: 2);
                    if (count > 0)
                    {
                        byte types = Byte(span, ref position);
                        for (int i = 0; i < count; i++)
                        {
                            Value(source, types >> 4, ref position, depth + 1);
                            Value(source, types & 0x0F, ref position, depth + 1);
                        }
                    }
                    return 0L;
                }
                case 12: // struct
                    return ReadStruct(source, ref position, depth + 1);
                default:
                    throw new InvalidDataException($"metadata holds a value of unknown type {type}.");
            }
        }

        /// <summary>An element count or a length, which the remaining bytes must be able to hold at <paramref name="minimumSize"/> bytes each.</summary>
        private static int Count(ReadOnlySpan<byte> span, ref int position, int minimumSize)
        {
            ulong count = Varint(span, ref position, 5);
            if (count > (ulong)((span.Length - position) / minimumSize))
                throw Truncated();
            return (int)count;
        }

        private static ulong Varint(ReadOnlySpan<byte> span, ref int position, int maximumBytes)
        {
            ulong value = 0;
            for (int i = 0; i < maximumBytes; i++)
            {
                byte b = Byte(span, ref position);
                value |= (ulong)(b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0)
                    return value;
            }
            throw new InvalidDataException("metadata holds a number longer than its type allows.");
        }

        private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private static byte Byte(ReadOnlySpan<byte> span, ref int position)
        {
            if (position >= span.Length)
                throw Truncated();
            return span[position++];
        }

        private static void Take(ReadOnlySpan<byte> span, ref int position, int count)
        {
            if (count > span.Length - position)
                throw Truncated();
            position += count;
        }

        private static TruncatedException Truncated() => new();

        /// <summary>The bytes ended before the struct did, or a count claims more than they hold.</summary>
        private sealed class TruncatedException : Exception
        {
        }
    }

    /// <summary>A string or byte array in metadata: where it is in the struct's <see cref="ThriftStruct.Source"/>.</summary>
    internal readonly record struct ThriftBinary(int Offset, int Length);
}
