using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// A saved transformer (<see cref="UmapTransformer.Save(Stream)"/>, format version 5) as bytes a test can edit
    /// field by field, written independently of the library from the layout documented in UmapModelFormat, and
    /// re-signed with a valid checksum: a hostile file need not be a corrupt one.
    /// </summary>
    internal sealed class ModelBytes
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("UMAPMDL\0");

        public ModelBytes(byte[] bytes)
        {
            Bytes = bytes;
            Start = bytes.AsSpan().IndexOf(Magic);
            if (Start < 0 || BitConverter.ToInt32(bytes, Start + 8) != 5)
                throw new ArgumentException("Not a version-5 UMAP transformer.");
            NameLength = BitConverter.ToInt32(bytes, Start + 153);
            LabelNameLength = BitConverter.ToInt32(bytes, Start + 157 + NameLength);
            int neighborNames = Start + 157 + NameLength + 4 + LabelNameLength + 17;
            int indicesNameLength = BitConverter.ToInt32(bytes, neighborNames);
            NeighborNamesLength = 4 + indicesNameLength + 4 + BitConverter.ToInt32(bytes, neighborNames + 4 + indicesNameLength);
        }

        public byte[] Bytes { get; }

        /// <summary>Where the model format starts (after the transformer's signature and column names).</summary>
        public int Start { get; }

        public int NameLength { get; }

        public int LabelNameLength { get; }

        /// <summary>Bytes of the two precomputed-neighbour column names (each a length and UTF-8 bytes).</summary>
        public int NeighborNamesLength { get; }

        // Offsets from Start, in the order UmapModelFormat writes them.
        public const int NumberOfComponents = 12, NumberOfNeighbors = 16, MinimumDistance = 20, Spread = 28, NumberOfEpochs = 36;
        public const int LearningRate = 40, NegativeSampleRate = 48, RepulsionStrength = 56, LocalConnectivity = 64, SetOperationMixRatio = 72;
        public const int A = 80, B = 88, Initialization = 96, Metric = 100, NeighborSearch = 104, Seed = 108, NumberOfTransformEpochs = 116;
        public const int MinkowskiP = 120, DensMap = 128, DensityStrength = 129, DensityFraction = 137, DensityVarianceShift = 145;

        // Offsets after the two names (custom distance, label column), the supervision settings and the neighbour column names.
        private int Tail => Start + 157 + NameLength + 4 + LabelNameLength + 17 + NeighborNamesLength;

        public int FittedA => Tail - Start;

        public int FittedB => Tail - Start + 8;

        public int Epochs => Tail - Start + 16;

        public int NeighborsUsed => Tail - Start + 20;

        public int InitializationUsed => Tail - Start + 24;

        public int Rows => Tail - Start + 28;

        public int Columns => Tail - Start + 32;

        public int K => Tail - Start + 36;

        public int Storage => Tail - Start + 40;

        /// <summary>Sparse models: the non-zero count, then the row offsets.</summary>
        public int NonZeroCount => Storage + 1;

        public int RowOffset(int row) => NonZeroCount + 4 + 4 * row;

        public int GetInt(int offset) => BitConverter.ToInt32(Bytes, Start + offset);

        public double GetDouble(int offset) => BitConverter.ToDouble(Bytes, Start + offset);

        public ModelBytes SetInt(int offset, int value)
        {
            BitConverter.GetBytes(value).CopyTo(Bytes, Start + offset);
            return this;
        }

        public ModelBytes SetDouble(int offset, double value)
        {
            BitConverter.GetBytes(value).CopyTo(Bytes, Start + offset);
            return this;
        }

        /// <summary>Recomputes the trailing checksum (FNV-1a over 64-bit words of everything from the model signature on).</summary>
        public ModelBytes Resign()
        {
            Checksum(Bytes.AsSpan(Start, Bytes.Length - 8 - Start)).CopyTo(Bytes.AsSpan(Bytes.Length - 8));
            return this;
        }

        /// <summary>
        /// The checksum a reader computes over <paramref name="content"/>: FNV-1a over the 64-bit words of each field
        /// as the format reads it, the bytes of a field's last partial word folded one by one. Fields are walked as
        /// the reader walks them; where forged sizes run past the content, what remains is hashed as one field (the
        /// reader finds the file truncated before it gets to the checksum anyway).
        /// </summary>
        public static byte[] Checksum(ReadOnlySpan<byte> content)
        {
            ulong hash = 0xCBF29CE484222325UL;
            const ulong Prime = 0x100000001B3UL;
            foreach (var (start, length) in Fields(content))
            {
                var bytes = content.Slice(start, length);
                var words = MemoryMarshal.Cast<byte, ulong>(bytes);
                foreach (ulong w in words)
                    hash = (hash ^ w) * Prime;
                for (int i = words.Length * 8; i < bytes.Length; i++)
                    hash = (hash ^ bytes[i]) * Prime;
            }
            return BitConverter.GetBytes(hash);
        }

        /// <summary>The reads of a version-5 model, in order, as (start, length) within its content.</summary>
        private static System.Collections.Generic.List<(int Start, int Length)> Fields(ReadOnlySpan<byte> content)
        {
            var list = new System.Collections.Generic.List<(int, int)>();
            int at = 0;
            int total = content.Length;
            bool Take(long length)
            {
                int size = (int)Math.Max(0, Math.Min(length, total - at));
                if (size > 0)
                    list.Add((at, size));
                at += size;
                return size == length;
            }
            bool Large(long length)
            {
                const int Block = 1 << 20;
                for (long i = 0; i < length; i += Block)
                {
                    if (!Take(Math.Min(Block, length - i)))
                        return false;
                }
                return true;
            }
            int ReadInt(ReadOnlySpan<byte> c) => at + 4 <= total ? BitConverter.ToInt32(c.Slice(at, 4)) : 0;

            if (!Take(8) || !Take(4))
                return list;
            foreach (int size in new[] { 4, 4, 8, 8, 4, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 8, 4, 8, 1, 8, 8, 8 })
            {
                if (!Take(size))
                    return list;
            }
            int nameLength = ReadInt(content);
            if (!Take(4) || nameLength < 0 || !Take(nameLength))
                return list;
            int labelLength = ReadInt(content);
            if (!Take(4) || labelLength < 0 || !Take(labelLength))
                return list;
            foreach (int size in new[] { 4, 8, 4, 1 })
            {
                if (!Take(size))
                    return list;
            }
            for (int name = 0; name < 2; name++)
            {
                int length = ReadInt(content);
                if (!Take(4) || length < 0 || !Take(length))
                    return list;
            }
            foreach (int size in new[] { 8, 8, 4, 4, 4 })
            {
                if (!Take(size))
                    return list;
            }
            long n = ReadInt(content);
            Take(4);
            long d = ReadInt(content);
            Take(4);
            long k = ReadInt(content);
            if (!Take(4) || at >= total)
                return list;
            long components = BitConverter.ToInt32(content.Slice(NumberOfComponents, 4));
            byte storage = content[at];
            Take(1);
            if (storage == 0)
            {
                if (!Large(4 * n * d))
                    return list;
            }
            else
            {
                long nnz = ReadInt(content);
                if (!Take(4) || !Large(4 * (n + 1)) || !Large(4 * nnz) || !Large(4 * nnz))
                    return list;
            }
            if (Large(4 * n * components) && Large(4 * n * k))
                Large(4 * n * k);
            return list;
        }
    }
}
