using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using global::Parquet.Meta;

namespace Microsoft.ML.Umap.Tool.Tables.Parquet
{
    /// <summary>
    /// Checks what a Parquet file says about itself against the bytes that hold it, before Parquet.Net allocates
    /// anything on its word: the footer's length against the file, its metadata's counts and lengths against the
    /// footer, the schema for flat columns, and, for each row group, that every column chunk lies in the file, that
    /// its pages lie in the chunk and declare exactly the rows the row group claims, and that no page expands
    /// beyond what its codec can produce from its bytes. A file that fails is refused with
    /// <see cref="InvalidDataException"/> naming what is wrong; <see cref="ParquetTableReader"/> adds where.
    /// </summary>
    internal static class ParquetLayout
    {
        private const int MagicLength = 4;
        private static readonly byte[] Magic = "PAR1"u8.ToArray();

        // Page header fields (parquet.thrift).
        private const short PageType = 1, UncompressedSize = 2, CompressedSize = 3, DataPage = 5, DictionaryPage = 7, DataPageV2 = 8;
        private const short NumValues = 1, NumNulls = 2, DefinitionLevelsLength = 5, RepetitionLevelsLength = 6, IsCompressed = 7;
        private const short V1Encoding = 2, V2Encoding = 4;

        /// <summary>
        /// Checks the file's frame and its footer's metadata (flat columns only); returns where the footer starts,
        /// the end of the data the column chunks may occupy.
        /// </summary>
        public static long CheckFooter(FileStream file)
        {
            long length = file.Length;
            Span<byte> head = stackalloc byte[MagicLength];
            Span<byte> tail = stackalloc byte[MagicLength * 2];
            if (length < 3 * MagicLength)
                throw new InvalidDataException($"at {length} bytes it is too short to be a Parquet file.");
            file.Position = 0;
            file.ReadExactly(head);
            file.Position = length - tail.Length;
            file.ReadExactly(tail);
            if (!head.SequenceEqual(Magic) || !tail[MagicLength..].SequenceEqual(Magic))
                throw new InvalidDataException("it does not start and end with PAR1, as a Parquet file does.");
            long footerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
            long footerStart = length - tail.Length - footerLength;
            if (footerLength == 0 || footerStart < MagicLength)
                throw new InvalidDataException($"its footer claims {footerLength:N0} bytes, but the file holds {length:N0} in all.");
            var footer = new byte[footerLength];
            file.Position = footerStart;
            file.ReadExactly(footer);
            ThriftStruct metadata;
            try
            {
                metadata = ThriftStruct.Read(footer);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"its footer is not valid: {e.Message}", e);
            }
            CheckFlat(metadata);
            CheckRowCounts(metadata);
            return footerStart;
        }

        /// <summary>
        /// Checks one column chunk of a row group of <paramref name="rows"/> rows: its place in the file (before
        /// <paramref name="dataEnd"/>) and its pages, read from <paramref name="file"/>. Where a page's values are
        /// plainly encoded at a fixed width, its bytes must hold them (<paramref name="required"/>: the column has no
        /// nulls, so every value is stored).
        /// </summary>
        public static void CheckColumnChunk(ColumnChunk? chunk, bool required, long rows, long dataEnd, FileStream file)
        {
            var metadata = chunk?.MetaData ?? throw new InvalidDataException("the row group has no metadata for this column.");
            if (metadata.NumValues != rows)
                throw new InvalidDataException($"the row group claims {rows:N0} rows but the column chunk {metadata.NumValues:N0} values.");
            var (start, length) = Extent(metadata);
            if (start < MagicLength || length <= 0 || start > dataEnd - length)
                throw new InvalidDataException($"the column chunk claims bytes {start:N0} to {start + length:N0}, outside the file's data (bytes {MagicLength} to {dataEnd:N0}).");

            long end = start + length;
            long position = start;
            long values = 0;
            while (values < rows)
            {
                if (position >= end)
                    throw new InvalidDataException($"the row group claims {rows:N0} rows, but the column chunk's pages hold {values:N0} values.");
                var header = PageHeader(file, position, end);
                position += header.Length;
                long compressed = header.Integer(CompressedSize) ?? -1;
                long uncompressed = header.Integer(UncompressedSize) ?? -1;
                if (compressed < 0 || compressed > end - position)
                    throw new InvalidDataException($"a page at byte {position:N0} claims {compressed:N0} bytes, more than its column chunk holds.");
                if (uncompressed < 0 || uncompressed > MaximumExpansion(metadata.Codec, compressed))
                    throw new InvalidDataException($"a page at byte {position:N0} claims to expand from {compressed:N0} to {uncompressed:N0} bytes, more than {metadata.Codec} can.");
                long pageValues;
                long storedValues;
                long levelsLength = 0;
                long encoding;
                bool compressedData = metadata.Codec != CompressionCodec.UNCOMPRESSED;
                switch (header.Integer(PageType))
                {
                    case (long)global::Parquet.Meta.PageType.DATA_PAGE:
                        pageValues = header.Struct(DataPage)?.Integer(NumValues) ?? -1;
                        storedValues = required ? pageValues : 0;
                        encoding = header.Struct(DataPage)?.Integer(V1Encoding) ?? -1;
                        break;
                    case (long)global::Parquet.Meta.PageType.DATA_PAGE_V2:
                    {
                        var v2 = header.Struct(DataPageV2);
                        pageValues = v2?.Integer(NumValues) ?? -1;
                        long nulls = v2?.Integer(NumNulls) ?? 0;
                        levelsLength = (v2?.Integer(DefinitionLevelsLength) ?? 0) + (v2?.Integer(RepetitionLevelsLength) ?? 0);
                        compressedData &= (v2?.Integer(IsCompressed) ?? 1) != 0;
                        storedValues = pageValues - nulls;
                        encoding = v2?.Integer(V2Encoding) ?? -1;
                        if (nulls < 0 || nulls > pageValues || levelsLength < 0 || levelsLength > Math.Min(compressed, uncompressed))
                            throw new InvalidDataException($"a page at byte {position:N0} has inconsistent counts ({nulls:N0} nulls, {levelsLength:N0} bytes of levels).");
                        break;
                    }
                    case (long)global::Parquet.Meta.PageType.DICTIONARY_PAGE:
                    {
                        // A dictionary's values take at least a bit each (booleans), so its count is bounded by its bytes.
                        long entries = header.Struct(DictionaryPage)?.Integer(NumValues) ?? -1;
                        if (entries < 0 || entries > 8 * uncompressed)
                            throw new InvalidDataException($"a dictionary page at byte {position:N0} claims {entries:N0} values in {uncompressed:N0} bytes.");
                        pageValues = storedValues = 0;
                        encoding = -1;
                        break;
                    }
                    default:
                        throw new InvalidDataException($"a page at byte {position:N0} is of a type ({header.Integer(PageType)}) the tool does not read.");
                }
                if (pageValues < 0 || pageValues > rows - values)
                    throw new InvalidDataException($"a page at byte {position:N0} claims {pageValues:N0} values, more than the {rows - values:N0} rows left in the row group.");
                if (encoding == (long)Encoding.PLAIN && storedValues > Capacity(metadata.Type, uncompressed - levelsLength))
                    throw new InvalidDataException($"a page at byte {position:N0} claims {storedValues:N0} {metadata.Type} values in {uncompressed - levelsLength:N0} bytes.");
                if (metadata.Codec == CompressionCodec.SNAPPY && compressedData)
                    CheckSnappyLength(file, position + levelsLength, compressed - levelsLength, uncompressed - levelsLength);
                values += pageValues;
                position += compressed;
            }
        }

        /// <summary>The bytes of the chunk: from its first page (Parquet.Net starts at the lowest offset it is given) for TotalCompressedSize bytes.</summary>
        public static (long Start, long Length) Extent(ColumnMetaData metadata)
        {
            long start = new[] { metadata.DictionaryPageOffset ?? 0, metadata.DataPageOffset, metadata.IndexPageOffset ?? 0 }.Where(o => o != 0).DefaultIfEmpty(0).Min();
            return (start, metadata.TotalCompressedSize);
        }

        /// <summary>The file's row count is the sum of its row groups' (a row group lost from the list shows).</summary>
        private static void CheckRowCounts(ThriftStruct metadata)
        {
            const short FileRows = 3, RowGroups = 4, GroupRows = 3;
            long claimed = metadata.Integer(FileRows) ?? -1;
            long sum = 0;
            foreach (var group in metadata.List(RowGroups) ?? Array.Empty<object>())
            {
                long rows = (group as ThriftStruct)?.Integer(GroupRows) ?? -1;
                if (rows < 0 || rows > long.MaxValue - sum)
                    throw new InvalidDataException($"a row group claims {rows:N0} rows.");
                sum += rows;
            }
            if (sum != claimed)
                throw new InvalidDataException($"its footer claims {claimed:N0} rows, but its row groups {sum:N0}.");
        }

        /// <summary>The most values of a physical type that <paramref name="bytes"/> bytes hold plainly encoded (each byte array takes its 4-byte length at least).</summary>
        private static long Capacity(global::Parquet.Meta.Type type, long bytes) => type switch
        {
            global::Parquet.Meta.Type.BOOLEAN => 8 * bytes,
            global::Parquet.Meta.Type.INT32 or global::Parquet.Meta.Type.FLOAT or global::Parquet.Meta.Type.BYTE_ARRAY => bytes / 4,
            global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.DOUBLE => bytes / 8,
            global::Parquet.Meta.Type.INT96 => bytes / 12,
            _ => long.MaxValue,
        };

        /// <summary>Only a root and its leaf columns: no groups (nested columns) and no repeated columns.</summary>
        private static void CheckFlat(ThriftStruct metadata)
        {
            const short Schema = 2, RepetitionType = 3, Name = 4, NumChildren = 5;
            const long Repeated = 2;
            var schema = metadata.List(Schema);
            if (schema is not { Count: > 0 } || schema[0] is not ThriftStruct root)
                throw new InvalidDataException("its footer holds no schema.");
            if ((root.Integer(NumChildren) ?? 0) != schema.Count - 1)
                throw new InvalidDataException($"its schema's root claims {root.Integer(NumChildren) ?? 0:N0} columns, but {schema.Count - 1:N0} follow; the file is corrupt, or has nested columns, which the tool does not read.");
            foreach (var element in schema.Skip(1))
            {
                if (element is not ThriftStruct column)
                    throw new InvalidDataException("its schema is corrupt.");
                if ((column.Integer(NumChildren) ?? 0) != 0 || column.Integer(RepetitionType) == Repeated)
                    throw new InvalidDataException($"the column {TerminalText.Quote(column.Text(Name) ?? "")} is nested or repeated; the tool reads and writes flat columns only.");
            }
        }

        /// <summary>The page header at <paramref name="position"/>, read from as few of the chunk's bytes as it takes.</summary>
        private static ThriftStruct PageHeader(FileStream file, long position, long end)
        {
            for (long size = 4096; ; size *= 16)
            {
                var bytes = new byte[Math.Min(size, end - position)];
                file.Position = position;
                file.ReadExactly(bytes);
                try
                {
                    if (ThriftStruct.ReadIfComplete(bytes) is { } header)
                        return header;
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"the page header at byte {position:N0} is not valid: {e.Message}", e);
                }
                if (bytes.Length == end - position)
                    throw new InvalidDataException($"the page header at byte {position:N0} runs past the end of its column chunk.");
                // A header with large statistics: read more of the chunk.
            }
        }

        /// <summary>
        /// The most bytes a page of <paramref name="compressed"/> bytes can expand to: the codec's largest ratio (one
        /// Snappy copy of 64 bytes takes 3; deflate's limit is 1,032 to 1; an LZ4 sequence adds 255 bytes a byte; a
        /// Zstandard or Brotli block repeats one byte up to 128 KiB for 4).
        /// </summary>
        private static long MaximumExpansion(CompressionCodec codec, long compressed) => codec switch
        {
            CompressionCodec.UNCOMPRESSED => compressed,
            CompressionCodec.SNAPPY => (compressed * 64 / 3) + 64,
            CompressionCodec.GZIP => (compressed * 1032) + 1024,
            CompressionCodec.LZ4 or CompressionCodec.LZ4_RAW => (compressed * 255) + 64,
            _ => (compressed * 32_768) + (128 * 1024),
        };

        /// <summary>Snappy data starts with its expanded length, by which the decoder allocates: it must not exceed the page's.</summary>
        private static void CheckSnappyLength(FileStream file, long position, long compressed, long uncompressed)
        {
            Span<byte> bytes = stackalloc byte[5];
            bytes = bytes[..(int)Math.Min(bytes.Length, compressed)];
            file.Position = position;
            file.ReadExactly(bytes);
            ulong length = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                length |= (ulong)(bytes[i] & 0x7F) << (7 * i);
                if ((bytes[i] & 0x80) == 0)
                {
                    if (length > (ulong)uncompressed)
                        break;
                    return;
                }
            }
            throw new InvalidDataException($"a Snappy page at byte {position:N0} claims to expand beyond its page's {uncompressed:N0} bytes.");
        }
    }
}
