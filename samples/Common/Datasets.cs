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
        public static LabelledData Digits(string path = null)
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
        /// MNIST from a pair of gzipped IDX files (images and labels), pixels as floats 0–255.
        /// <paramref name="prefix"/> is "t10k" or "train"; <paramref name="directory"/> defaults to data/mnist.
        /// </summary>
        public static LabelledData Mnist(string prefix = "t10k", string directory = null)
        {
            directory ??= Path.Combine(DataDirectory("mnist"), "mnist");
            var images = ReadIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 0x803, out var imageDims);
            var labelBytes = ReadIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, out var labelDims);
            int rows = imageDims[0];
            int columns = imageDims[1] * imageDims[2];
            if (labelDims[0] != rows)
                throw new InvalidDataException($"{directory}: {rows} images but {labelDims[0]} labels.");
            var features = new float[rows * columns];
            for (int i = 0; i < features.Length; i++)
                features[i] = images[i];
            var labels = new int[rows];
            for (int i = 0; i < rows; i++)
                labels[i] = labelBytes[i];
            return new LabelledData(features, rows, columns, labels);
        }

        private static byte[] ReadIdx(string path, int expectedMagic, out int[] dims)
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            var bytes = ms.ToArray();
            int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
            if (magic != expectedMagic)
                throw new InvalidDataException($"{path}: IDX magic 0x{magic:X} where 0x{expectedMagic:X} was expected.");
            int dimCount = magic & 0xFF;
            dims = new int[dimCount];
            long size = 1;
            for (int d = 0; d < dimCount; d++)
            {
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
                size *= dims[d];
            }
            int offset = 4 + 4 * dimCount;
            if (bytes.Length - offset != size)
                throw new InvalidDataException($"{path}: {bytes.Length - offset} data bytes where the header promises {size}.");
            return bytes.AsSpan(offset).ToArray();
        }
    }
}
