// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Parquet;
using Parquet.Schema;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// Small Parquet files, and forgeries of them: numbers in the footer's metadata or in a page header replaced by
    /// other numbers (the Thrift compact protocol has no byte lengths for structs, so a number of another length can
    /// be spliced in), and the footer's length replaced. Paths into the metadata are Thrift field ids, with an index
    /// after a list field: the first row group's row count is { 4, 0, 3 }.
    /// </summary>
    internal static class ParquetForgery
    {
        public static readonly int[] FileRowCount = { 3 };

        public static int[] RowCount(int group) => new[] { 4, group, 3 };

        public static int[] ValueCount(int group, int column) => new[] { 4, group, 1, column, 3, 5 };

        public static int[] DataPageOffset(int group, int column) => new[] { 4, group, 1, column, 3, 9 };

        /// <summary>A page header's value count (data_page_header.num_values).</summary>
        public static readonly int[] PageValueCount = { 5, 1 };

        /// <summary>
        /// A file of <paramref name="groups"/> row groups of <paramref name="rows"/> rows: "id" (text), then the
        /// features "f0" (float) and "f1" (double); when <paramref name="nullable"/>, all three are optional, and
        /// "id" (and "f0", with <paramref name="nullFeatures"/>) are null from row <paramref name="nullsFrom"/> of
        /// each group on.
        /// </summary>
        public static byte[] Write(int groups, int rows, CompressionMethod compression, bool nullable, int seed, int nullsFrom = int.MaxValue, bool nullFeatures = true)
        {
            var random = new Random(seed);
            var f0 = nullable ? new DataField<float?>("f0") : (DataField)new DataField<float>("f0");
            var f1 = nullable ? new DataField<double?>("f1") : (DataField)new DataField<double>("f1");
            var id = new DataField<string>("id", nullable: nullable);
            var schema = new ParquetSchema(id, f0, f1);
            using var stream = new MemoryStream();
            var writer = ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = compression }).GetAwaiter().GetResult();
            {
                for (int g = 0; g < groups; g++)
                {
                    using var group = writer.CreateRowGroup();
                    group.WriteAsync(id, Enumerable.Range(0, rows).Select(r => r < nullsFrom ? $"row {g}-{r}" : null).ToArray()).GetAwaiter().GetResult();
                    var floats = Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble()).ToArray();
                    if (nullable)
                        group.WriteAsync<float>(f0, floats.Select((v, r) => r < nullsFrom || !nullFeatures ? v : (float?)null).ToArray().AsMemory()).GetAwaiter().GetResult();
                    else
                        group.WriteAsync<float>(f0, floats.AsMemory()).GetAwaiter().GetResult();
                    var values = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
                    if (nullable)
                        group.WriteAsync<double>(f1, values.Select(v => (double?)v).ToArray().AsMemory()).GetAwaiter().GetResult();
                    else
                        group.WriteAsync<double>(f1, values.AsMemory()).GetAwaiter().GetResult();
                }
            }
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return stream.ToArray();
        }

        /// <summary>The file with the footer's number at <paramref name="path"/> replaced by <paramref name="value"/>.</summary>
        public static byte[] WithFooterNumber(byte[] file, int[] path, long value)
        {
            var (start, length) = Footer(file);
            var (offset, size) = Locate(file.AsSpan(start, length), path);
            var encoded = Varint(value);
            var forged = file[..(start + offset)].Concat(encoded).Concat(file[(start + offset + size)..]).ToArray();
            return WithFooterLength(forged, (uint)(length - size + encoded.Length));
        }

        /// <summary>The footer's number at <paramref name="path"/>.</summary>
        public static long FooterNumber(byte[] file, int[] path)
        {
            var (start, length) = Footer(file);
            var (offset, size) = Locate(file.AsSpan(start, length), path);
            return Decode(file.AsSpan(start + offset, size));
        }

        /// <summary>The file with the number at <paramref name="path"/> of the page header at <paramref name="pageOffset"/> replaced, in place (it must encode to as many bytes).</summary>
        public static byte[] WithPageNumber(byte[] file, long pageOffset, int[] path, long value)
        {
            var (offset, size) = Locate(file.AsSpan((int)pageOffset), path);
            var encoded = Varint(value);
            if (encoded.Length != size)
                throw new ArgumentException($"{value} takes {encoded.Length} bytes, the number it replaces {size}.");
            var forged = file.ToArray();
            encoded.CopyTo(forged, (int)pageOffset + offset);
            return forged;
        }

        /// <summary>The bytes the page header at <paramref name="pageOffset"/> takes (its data follows).</summary>
        public static int PageHeaderLength(byte[] file, long pageOffset)
        {
            int position = 0;
            (int, int)? found = null;
            Struct(file.AsSpan((int)pageOffset), ref position, null, ref found);
            return position;
        }

        public static byte[] WithFooterLength(byte[] file, uint length)
        {
            var forged = file.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(forged.AsSpan(forged.Length - 8), length);
            return forged;
        }

        public static (int Start, int Length) Footer(byte[] file)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 8));
            return (file.Length - 8 - length, length);
        }

        /// <summary>Where the number at <paramref name="path"/> of the struct starting at <paramref name="bytes"/>' first byte is encoded.</summary>
        private static (int Offset, int Length) Locate(ReadOnlySpan<byte> bytes, int[] path)
        {
            int position = 0;
            (int, int)? found = null;
            Struct(bytes, ref position, path, ref found);
            return found ?? throw new ArgumentException($"No number at {string.Join('.', path)}.");
        }

        private static void Struct(ReadOnlySpan<byte> bytes, ref int position, int[]? path, ref (int, int)? found)
        {
            int field = 0;
            while (true)
            {
                byte header = bytes[position++];
                if (header == 0)
                    return;
                int type = header & 0x0F;
                field = header >> 4 != 0 ? field + (header >> 4) : (int)ZigZag(ReadVarint(bytes, ref position));
                bool onPath = path is { Length: > 0 } && path[0] == field;
                Value(bytes, ref position, type, onPath ? path![1..] : null, ref found);
            }
        }

        private static void Value(ReadOnlySpan<byte> bytes, ref int position, int type, int[]? path, ref (int, int)? found)
        {
            switch (type)
            {
                case 1 or 2:
                    break;
                case 3:
                    position++;
                    break;
                case 4 or 5 or 6:
                {
                    int start = position;
                    ReadVarint(bytes, ref position);
                    if (path is { Length: 0 })
                        found = (start, position - start);
                    break;
                }
                case 7:
                    position += 8;
                    break;
                case 8:
                {
                    int length = (int)ReadVarint(bytes, ref position);
                    position += length;
                    break;
                }
                case 9 or 10:
                {
                    byte sizeAndType = bytes[position++];
                    int count = sizeAndType >> 4 == 15 ? (int)ReadVarint(bytes, ref position) : sizeAndType >> 4;
                    for (int i = 0; i < count; i++)
                    {
                        int[]? element = path is { Length: > 0 } && path[0] == i ? path[1..] : null;
                        if ((sizeAndType & 0x0F) == 1 || (sizeAndType & 0x0F) == 2)
                            position++;
                        else
                            Value(bytes, ref position, sizeAndType & 0x0F, element, ref found);
                    }
                    break;
                }
                case 12:
                    Struct(bytes, ref position, path, ref found);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected Thrift type {type}.");
            }
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = bytes[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return value;
            }
        }

        private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private static long Decode(ReadOnlySpan<byte> bytes)
        {
            int position = 0;
            return ZigZag(ReadVarint(bytes, ref position));
        }

        private static byte[] Varint(long value)
        {
            ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
            var bytes = new List<byte>();
            do
            {
                byte b = (byte)(zigzag & 0x7F);
                zigzag >>= 7;
                bytes.Add(zigzag != 0 ? (byte)(b | 0x80) : b);
            }
            while (zigzag != 0);
            return bytes.ToArray();
        }
    }
}
#endif
