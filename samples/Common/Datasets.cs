using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.Umap.Samples
{
    /// <summary>A labelled dataset as a flat row-major matrix.</summary>
    public sealed class LabelledData
    {
        public LabelledData(float[] features, int rows, int columns, int[] labels)
        {
            Features = features;
            Rows = rows;
            Columns = columns;
            Labels = labels;
        }

        /// <summary>Row-major features, Rows × Columns.</summary>
        public float[] Features { get; }

        public int Rows { get; }

        public int Columns { get; }

        public int[] Labels { get; }

        /// <summary>Row <paramref name="i"/> as a new array.</summary>
        public float[] Row(int i) => Features.AsSpan(i * Columns, Columns).ToArray();

        /// <summary>Every row as its own array.</summary>
        public float[][] ToJagged()
        {
            var rows = new float[Rows][];
            for (int i = 0; i < Rows; i++)
                rows[i] = Row(i);
            return rows;
        }

        /// <summary>The first <paramref name="count"/> rows.</summary>
        public LabelledData Take(int count)
        {
            count = Math.Min(count, Rows);
            return new LabelledData(Features.AsSpan(0, count * Columns).ToArray(), count, Columns, Labels.AsSpan(0, count).ToArray());
        }
    }

    /// <summary>Readers for the datasets shipped in the repository's <c>data</c> folder (see data/README.md).</summary>
    public static class Datasets
    {
        /// <summary>
        /// The <c>data</c> folder: searched upwards from the program's folder and from the working directory,
        /// so tests, samples and benchmarks find it wherever they are run from.
        /// </summary>
        public static string DataDirectory(string marker = "optdigits")
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "data");
                    if (Directory.Exists(Path.Combine(candidate, marker)))
                        return candidate;
                }
            }
            throw new DirectoryNotFoundException($"Could not find the data folder (with a '{marker}' subfolder) above {AppContext.BaseDirectory}.");
        }

        /// <summary>The UCI optical digits (scikit-learn's "digits"): 1,797 rows × 64 features, labels 0–9.</summary>
        public static LabelledData Digits(string? path = null)
        {
            path ??= Path.Combine(DataDirectory(), "optdigits", "digits.csv");
            var lines = File.ReadAllLines(path);
            int columns = lines[0].Split(',').Length - 1;
            var features = new float[lines.Length * columns];
            var labels = new int[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                var parts = lines[i].Split(',');
                if (parts.Length != columns + 1)
                    throw new InvalidDataException($"{path}: line {i + 1} has {parts.Length} fields; expected {columns + 1}.");
                for (int j = 0; j < columns; j++)
                    features[i * columns + j] = float.Parse(parts[j], CultureInfo.InvariantCulture);
                labels[i] = int.Parse(parts[columns], CultureInfo.InvariantCulture);
            }
            return new LabelledData(features, lines.Length, columns, labels);
        }

        /// <summary>
        /// MNIST from pairs of gzipped IDX files (images and labels), pixels as floats 0–255. Each prefix ("t10k",
        /// "train") names one pair; several prefixes are read one after the other into a single matrix.
        /// <paramref name="directory"/> defaults to data/mnist.
        /// </summary>
        public static LabelledData Mnist(string prefix = "t10k", string? directory = null) => Mnist(directory, new[] { prefix });

        /// <inheritdoc cref="Mnist(string, string)"/>
        public static LabelledData Mnist(string? directory, params string[] prefixes)
        {
            directory ??= Path.Combine(DataDirectory("mnist"), "mnist");
            var labels = new System.Collections.Generic.List<int>();
            int columns = 0;
            foreach (var prefix in prefixes)
            {
                foreach (byte b in ReadIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, out _))
                    labels.Add(b);
                using var images = OpenIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 0x803, out var dims);
                columns = dims[1] * dims[2];
            }

            // Pixels are converted straight into the final matrix, a block at a time.
            var features = new float[(long)labels.Count * columns];
            long written = 0;
            var block = new byte[1 << 16];
            foreach (var prefix in prefixes)
            {
                using var images = OpenIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 0x803, out var dims);
                long count = (long)dims[0] * dims[1] * dims[2];
                while (count > 0)
                {
                    int read = images.Read(block, 0, (int)Math.Min(block.Length, count));
                    if (read == 0)
                        throw new InvalidDataException($"{directory}/{prefix}: the image file ends early.");
                    for (int i = 0; i < read; i++)
                        features[written + i] = block[i];
                    written += read;
                    count -= read;
                }
            }
            if (written != features.Length)
                throw new InvalidDataException($"{directory}: {written / Math.Max(1, columns)} images but {labels.Count} labels.");
            return new LabelledData(features, labels.Count, columns, labels.ToArray());
        }

        private static byte[] ReadIdx(string path, int expectedMagic, out int[] dims)
        {
            using var stream = OpenIdx(path, expectedMagic, out dims);
            long size = 1;
            foreach (int d in dims)
                size *= d;
            var bytes = new byte[size];
            stream.ReadExactly(bytes);
            return bytes;
        }

        /// <summary>Opens a gzipped IDX file positioned at its data, after checking the magic number.</summary>
        private static Stream OpenIdx(string path, int expectedMagic, out int[] dims)
        {
            var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            Span<byte> header = stackalloc byte[4];
            stream.ReadExactly(header);
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                stream.Dispose();
                throw new InvalidDataException($"{path}: IDX magic 0x{magic:X} where 0x{expectedMagic:X} was expected.");
            }
            dims = new int[magic & 0xFF];
            for (int d = 0; d < dims.Length; d++)
            {
                stream.ReadExactly(header);
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(header);
            }
            return stream;
        }
    }
}
