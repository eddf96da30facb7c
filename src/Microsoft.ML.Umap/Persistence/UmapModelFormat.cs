using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Parametric;

namespace Microsoft.ML.Umap.Persistence
{
    /// <summary>
    /// The binary form of a fitted model: compact (the training matrix dominates; nothing is stored that can be
    /// recomputed cheaply), versioned, and checked on reading so a truncated, corrupted or foreign file fails fast
    /// with <see cref="InvalidDataException"/> and no length read from the file allocates more than the file holds.
    /// </summary>
    /// <remarks>
    /// <code>
    /// // *** Binary format (little-endian) ***
    /// // byte[8]   magic "UMAPMDL\0"
    /// // int32     format version (5; versions 1 to 4 are still read)
    /// // int32     NumberOfComponents, NumberOfNeighbors        (the options as given)
    /// // float64   MinimumDistance, Spread
    /// // int32     NumberOfEpochs (−1: default)
    /// // float64   LearningRate, NegativeSampleRate (a whole number), RepulsionStrength, LocalConnectivity, SetOperationMixRatio
    /// // float64   A, B (NaN: fitted)
    /// // int32     Initialization, Metric, NeighborSearch
    /// // uint64    Seed
    /// // int32     NumberOfTransformEpochs (−1: default)
    /// // float64   MinkowskiP
    /// // byte      densMAP (0 or 1)                              (version 2 on)
    /// // float64   DensityRegularizationStrength, Fraction, VarianceShift (version 2 on)
    /// // int32     length, then UTF-8 bytes: CustomDistanceName (0: none) (version 3 on)
    /// // int32     length, then UTF-8 bytes: LabelColumnName (0: unsupervised) (version 4 on; earlier: unsupervised)
    /// // int32     TargetMetric; float64 TargetWeight; int32 TargetNumberOfNeighbors (−1: default); byte NeighborsWithinLabel (version 4 on)
    /// // int32     length, then UTF-8 bytes: PrecomputedNeighborIndicesColumnName, then PrecomputedNeighborDistancesColumnName (0: none) (version 5 on)
    /// // float64   a, b                                         (what the fit used)
    /// // int32     epochs, neighbours used, initialisation used
    /// // int32     n (rows), d (features), k (neighbours per row)
    /// // byte      storage: 0 dense, 1 sparse
    /// // dense:    float32[n·d]              training rows
    /// // sparse:   int32 nnz, int32[n + 1] row offsets, int32[nnz] positions, float32[nnz] values
    /// // float32[n·NumberOfComponents] embedding
    /// // int32[n·k], float32[n·k]  neighbour graph (indices, distances)
    /// // uint64    checksum of every byte before it (FNV-1a over 64-bit words)
    /// </code>
    /// Random-projection trees and sketches for queries are rebuilt from the seed when the model is loaded.
    /// </remarks>
    internal static class UmapModelFormat
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("UMAPMDL\0");

        /// <summary>Version written; bump it (and keep reading older ones) whenever the layout changes.</summary>
        public const int CurrentVersion = 5;

        /// <summary>Throws <see cref="NotSupportedException"/> if the model cannot be written (a custom distance without a name).</summary>
        public static void ThrowIfNotSaveable(UmapModel model)
        {
            if (model.Parameters.Metric == UmapMetric.Custom && model.Parameters.CustomDistanceName is null)
                throw new NotSupportedException("A UMAP model fitted with a custom distance function cannot be saved unless the function has a name: the function itself cannot be written to a file. Register it with UmapCustomDistances.Register(name, function) and fit with CustomDistanceName = name.");
        }

        public static void Write(UmapModel model, Stream stream)
        {
            ThrowIfNotSaveable(model);
            var p = model.Parameters;
            using var writer = new HashingWriter(stream);
            writer.Bytes(Magic);
            writer.Int(CurrentVersion);
            WriteParameters(writer, p);

            writer.Double(model.A);
            writer.Double(model.B);
            writer.Int(model.Epochs);
            writer.Int(model.NeighborsUsed);
            writer.Int((int)model.InitializationUsed);

            writer.Int(model.TrainingData.Count);
            writer.Int(model.TrainingData.Dimension);
            writer.Int(model.Neighbors.NeighborCount);
            switch (model.TrainingData)
            {
                case DenseVectorSet dense:
                    writer.Bytes(new byte[] { DenseStorage });
                    writer.Floats(dense.Matrix.Values);
                    break;
                case SparseVectorSet sparse:
                    writer.Bytes(new byte[] { SparseStorage });
                    writer.Int(sparse.Values.Length);
                    writer.Ints(sparse.RowOffsets);
                    writer.Ints(sparse.Indices);
                    writer.Floats(sparse.Values);
                    break;
                default:
                    throw new InvalidOperationException("Unknown kind of training data.");
            }
            writer.Floats(model.Embedding.Values);
            writer.Ints(model.Neighbors.Indices);
            writer.Floats(model.Neighbors.Distances);
            writer.WriteChecksum();
        }

        private static void WriteParameters(HashingWriter writer, UmapParameters p)
        {
            writer.Int(p.NumberOfComponents);
            writer.Int(p.NumberOfNeighbors);
            writer.Double(p.MinimumDistance);
            writer.Double(p.Spread);
            writer.Int(p.NumberOfEpochs ?? -1);
            writer.Double(p.LearningRate);
            writer.Double(p.NegativeSampleRate); // written as float64 since version 1
            writer.Double(p.RepulsionStrength);
            writer.Double(p.LocalConnectivity);
            writer.Double(p.SetOperationMixRatio);
            writer.Double(p.A ?? double.NaN);
            writer.Double(p.B ?? double.NaN);
            writer.Int((int)p.Initialization);
            writer.Int((int)p.Metric);
            writer.Int((int)p.NeighborSearch);
            writer.ULong(p.Seed);
            writer.Int(p.NumberOfTransformEpochs ?? -1);
            writer.Double(p.MinkowskiP);
            writer.Bytes(new byte[] { p.Density is null ? (byte)0 : (byte)1 });
            writer.Double(p.Density?.Strength ?? 0);
            writer.Double(p.Density?.Fraction ?? 0);
            writer.Double(p.Density?.VarianceShift ?? 0);
            WriteName(writer, p.CustomDistanceName);
            WriteName(writer, p.LabelColumnName);
            writer.Int((int)p.TargetMetric);
            writer.Double(p.TargetWeight);
            writer.Int(p.TargetNumberOfNeighbors ?? -1);
            writer.Bytes(new byte[] { p.NeighborsWithinLabel ? (byte)1 : (byte)0 });
            WriteName(writer, p.PrecomputedNeighborIndicesColumnName);
            WriteName(writer, p.PrecomputedNeighborDistancesColumnName);
        }

        private static readonly byte[] EncoderMagic = Encoding.ASCII.GetBytes("UMAPENC\0");

        /// <summary>
        /// The version of the parametric model's layout <see cref="WriteEncoder"/> writes: 2, whose training scheme may be
        /// <see cref="EncoderTrainingScheme.AnchoredObjective"/>; version 1, the same layout without that scheme, is still read.
        /// </summary>
        public const int CurrentEncoderVersion = 2;

        /// <summary>
        /// Writes a parametric model: the settings as a non-parametric model of <see cref="CurrentVersion"/> writes them,
        /// what the fit settled, the encoder's settings and layer sizes, its weights and biases, and a checksum.
        /// <paramref name="version"/> labels the file (tests write version 1, whose layout is the same, to read it back).
        /// </summary>
        public static void WriteEncoder(ParametricModel model, Stream stream, int version = CurrentEncoderVersion)
        {
            using var writer = new HashingWriter(stream);
            writer.Bytes(EncoderMagic);
            writer.Int(version);
            WriteParameters(writer, model.Parameters);
            var summary = model.Summary;
            writer.Double(summary.A);
            writer.Double(summary.B);
            writer.Int(summary.Epochs);
            writer.Int(summary.NeighborsUsed);
            writer.Int((int)summary.InitializationUsed);
            writer.Int(model.TrainingRowCount);

            var encoder = model.Encoder;
            writer.Int(encoder.Epochs ?? -1);
            writer.Int(encoder.RefinementEpochs ?? -1);
            writer.Int(encoder.BatchSize);
            writer.Double(encoder.LearningRate);
            writer.Int((int)encoder.Scheme);
            var network = model.Network;
            writer.Int(network.Sizes.Length);
            foreach (int size in network.Sizes)
                writer.Int(size);
            for (int l = 0; l < network.LayerCount; l++)
            {
                writer.Floats(network.Weights[l]);
                writer.Floats(network.Biases[l]);
            }
            writer.WriteChecksum();
        }

        /// <summary>Reads a parametric model written by <see cref="WriteEncoder"/>, every field range-checked after the checksum.</summary>
        public static ParametricModel ReadEncoder(Stream stream, int threads)
        {
            var reader = new HashingReader(stream);
            var magic = reader.Bytes(EncoderMagic.Length);
            if (!magic.AsSpan().SequenceEqual(EncoderMagic))
                throw new InvalidDataException("This is not a parametric UMAP model: the file does not start with its signature.");
            int version = reader.Int();
            if (version < 1 || version > CurrentEncoderVersion)
                throw new InvalidDataException($"The parametric UMAP model has format version {version}; this library reads versions 1 to {CurrentEncoderVersion}. It was probably written by a newer version of Microsoft.ML.Umap.");
            var parameters = ReadParameters(reader, CurrentVersion, threads, distanceNeeded: false);
            double a = reader.Double(), b = reader.Double();
            int epochs = reader.Int(), neighborsUsed = reader.Int();
            var initializationUsed = (UmapInitialization)reader.Int();
            int trainingRows = reader.Int();
            Check(UmapParameters.IsCurveA(a) && UmapParameters.IsCurveB(b), "curve parameters a and b");
            Check(epochs >= 0 && epochs <= UmapLimits.MaximumEpochs && Enum.IsDefined(initializationUsed), "fit summary");
            Check(trainingRows >= 1 && neighborsUsed >= 1 && neighborsUsed <= UmapLimits.MaximumNeighbors && neighborsUsed <= trainingRows, "training row count");

            var settings = new EncoderSettings
            {
                Epochs = Optional(reader.Int()),
                RefinementEpochs = Optional(reader.Int()),
                BatchSize = reader.Int(),
                LearningRate = reader.Double(),
                Scheme = (EncoderTrainingScheme)reader.Int(),
            };
            Check(version >= 2 || settings.Scheme != EncoderTrainingScheme.AnchoredObjective, "encoder training scheme");
            int layerCount = reader.Int();
            Check(layerCount >= 2 && layerCount <= EncoderSettings.MaximumLayers + 2, "encoder layer count");
            var sizes = new int[layerCount];
            for (int l = 0; l < layerCount; l++)
                sizes[l] = reader.Int();
            Check(sizes[0] >= 1 && sizes[^1] == parameters.NumberOfComponents, "encoder input and output sizes");
            settings = settings with { HiddenLayers = sizes[1..^1] };
            try
            {
                settings.Validate();
                settings.CheckSize(sizes[0], sizes[^1]);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"The parametric UMAP model is corrupt: {e.Message}", e);
            }
            var weights = new float[layerCount - 1][];
            var biases = new float[layerCount - 1][];
            for (int l = 0; l + 1 < layerCount; l++)
            {
                weights[l] = reader.Floats((long)sizes[l] * sizes[l + 1]);
                biases[l] = reader.Floats(sizes[l + 1]);
            }
            reader.VerifyChecksum();

            // A forged file can carry a valid checksum: weights that are not finite would make every embedding NaN.
            for (int l = 0; l < weights.Length; l++)
            {
                foreach (float w in weights[l])
                    Check(float.IsFinite(w), $"encoder weights of layer {l}");
                foreach (float w in biases[l])
                    Check(float.IsFinite(w), $"encoder biases of layer {l}");
            }
            var summary = new FitSummary(a, b, epochs, neighborsUsed, initializationUsed);
            return new ParametricModel(parameters, summary, settings, new EncoderNetwork(sizes, weights, biases), trainingRows);
        }

        public static UmapModel Read(Stream stream, int threads)
        {
            var reader = new HashingReader(stream);
            int version = ReadVersion(reader);
            var parameters = ReadParameters(reader, version, threads);
            var (summary, n, d, k) = ReadFitSummary(reader, parameters);

            var rows = ReadTrainingRows(reader, n, d);
            var embedding = reader.Floats((long)n * parameters.NumberOfComponents);
            var indices = reader.Ints((long)n * k);
            var distances = reader.Floats((long)n * k);
            reader.VerifyChecksum();
            if (parameters.Metric == UmapMetric.Custom)
                parameters = parameters with { CustomDistance = UmapCustomDistances.Get(parameters.CustomDistanceName!, "Loading this UMAP model") }; // checked present by ReadParameters

            // Everything below is checked after the checksum, but a hostile file can carry a valid one: nothing read
            // is trusted until it has been checked here.
            var training = rows.Validate(n, d, parameters.Domain);
            foreach (float v in embedding)
                Check(float.IsFinite(v), "embedding");
            for (int p = 0; p < indices.Length; p++)
            {
                int i = indices[p];
                float distance = distances[p];
                Check(i == -1 ? float.IsPositiveInfinity(distance) : i >= 0 && i < n && distance >= 0 && float.IsFinite(distance), "neighbour graph");
            }
            return new UmapModel(parameters, summary, training, new RowMatrix(embedding, n, parameters.NumberOfComponents), new KnnGraph(indices, distances, n, k));
        }

        private static int ReadVersion(HashingReader reader)
        {
            var magic = reader.Bytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException("This is not a UMAP model: the file does not start with the UMAP model signature.");
            int version = reader.Int();
            if (version < 1 || version > CurrentVersion)
                throw new InvalidDataException($"The UMAP model has format version {version}; this library reads versions 1 to {CurrentVersion}. It was probably written by a newer version of Microsoft.ML.Umap.");
            return version;
        }

        /// <summary>
        /// The settings, each checked against its range (<see cref="UmapLimits"/>) as an option would be. An encoder
        /// (<c>distanceNeeded</c> false) never measures a distance, so its custom distance may be unnamed.
        /// </summary>
        private static UmapParameters ReadParameters(HashingReader reader, int version, int threads, bool distanceNeeded = true)
        {
            try
            {
                var parameters = new UmapParameters
                {
                    NumberOfComponents = reader.Int(),
                    NumberOfNeighbors = reader.Int(),
                    MinimumDistance = reader.Double(),
                    Spread = reader.Double(),
                    NumberOfEpochs = Optional(reader.Int()),
                    LearningRate = reader.Double(),
                    NegativeSampleRate = WholeNumber(reader.Double(), "negative sample rate"),
                    RepulsionStrength = reader.Double(),
                    LocalConnectivity = reader.Double(),
                    SetOperationMixRatio = reader.Double(),
                    A = Optional(reader.Double()),
                    B = Optional(reader.Double()),
                    Initialization = (UmapInitialization)reader.Int(),
                    Metric = (UmapMetric)reader.Int(),
                    NeighborSearch = (UmapNeighborSearch)reader.Int(),
                    Seed = reader.ULong(),
                    NumberOfTransformEpochs = Optional(reader.Int()),
                    MinkowskiP = reader.Double(),
                    Density = version >= 2 ? ReadDensity(reader) : null,
                    CustomDistanceName = version >= 3 ? ReadName(reader, UmapCustomDistances.MaximumNameLength) : null,
                    NumberOfThreads = Math.Clamp(threads, 1, UmapLimits.MaximumThreads),
                };
                if (version >= 4)
                {
                    parameters = parameters with
                    {
                        LabelColumnName = ReadName(reader, MaximumColumnNameLength),
                        TargetMetric = (UmapTargetMetric)reader.Int(),
                        TargetWeight = reader.Double(),
                        TargetNumberOfNeighbors = Optional(reader.Int()),
                        NeighborsWithinLabel = ReadFlag(reader, "NeighborsWithinLabel flag"),
                    };
                }
                if (version >= 5)
                {
                    parameters = parameters with
                    {
                        PrecomputedNeighborIndicesColumnName = ReadName(reader, MaximumColumnNameLength),
                        PrecomputedNeighborDistancesColumnName = ReadName(reader, MaximumColumnNameLength),
                    };
                }
                if (parameters.Metric == UmapMetric.Custom)
                {
                    // Looked up once the checksum has been verified, so a damaged file is reported as damaged.
                    Check(parameters.CustomDistanceName != null || !distanceNeeded, "custom distance name");
                    parameters = parameters with { CustomDistance = NotYetResolved };
                }
                parameters.Validate();
                return parameters;
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"The UMAP model is corrupt: {e.Message}", e);
            }
        }

        /// <summary>What the fit settled, and the sizes of the arrays that follow, all checked before anything is allocated.</summary>
        private static (FitSummary Summary, int Rows, int Columns, int Neighbors) ReadFitSummary(HashingReader reader, UmapParameters parameters)
        {
            double a = reader.Double(), b = reader.Double();
            int epochs = reader.Int(), neighborsUsed = reader.Int();
            var initializationUsed = (UmapInitialization)reader.Int();
            int n = reader.Int(), d = reader.Int(), k = reader.Int();
            Check(UmapParameters.IsCurveA(a) && UmapParameters.IsCurveB(b), "curve parameters a and b");
            Check(epochs >= 0 && epochs <= UmapLimits.MaximumEpochs && Enum.IsDefined(initializationUsed), "fit summary");
            Check(n >= 1 && d >= 1 && k >= 1 && k <= n && k <= UmapLimits.MaximumNeighbors && neighborsUsed == k, "matrix sizes");
            Check((long)n * k <= Array.MaxLength && (long)n * parameters.NumberOfComponents <= Array.MaxLength, "matrix sizes");
            return (new FitSummary(a, b, epochs, neighborsUsed, initializationUsed), n, d, k);
        }

        private static DensitySettings? ReadDensity(HashingReader reader)
        {
            byte flag = reader.Bytes(1)[0];
            var settings = new DensitySettings { Strength = reader.Double(), Fraction = reader.Double(), VarianceShift = reader.Double() };
            Check(flag <= 1, "densMAP flag");
            settings.Validate(); // stored (as zeros) even when densMAP is off; a forged value is refused either way
            return flag == 1 ? settings : null;
        }

        /// <summary>Longest label column name a file may hold (in characters); ML.NET's names are short.</summary>
        private const int MaximumColumnNameLength = 1024;

        private static void WriteName(HashingWriter writer, string? name)
        {
            var bytes = Encoding.UTF8.GetBytes(name ?? "");
            writer.Int(bytes.Length);
            writer.Bytes(bytes);
        }

        private static string? ReadName(HashingReader reader, int maximumCharacters)
        {
            int length = reader.Int();
            Check(length >= 0 && length <= 4 * maximumCharacters, "name length");
            return length == 0 ? null : Encoding.UTF8.GetString(reader.Bytes(length));
        }

        private static bool ReadFlag(HashingReader reader, string what)
        {
            byte flag = reader.Bytes(1)[0];
            Check(flag <= 1, what);
            return flag == 1;
        }

        private static int WholeNumber(double value, string what)
        {
            Check(value >= 0 && value <= int.MaxValue && value == Math.Floor(value), what);
            return (int)value;
        }

        private const byte DenseStorage = 0;
        private const byte SparseStorage = 1;

        /// <summary>The training rows as read, before any of their values has been checked.</summary>
        private readonly struct StoredRows
        {
            private StoredRows(float[]? dense, int[] offsets, int[] positions, float[] values)
            {
                Dense = dense;
                Offsets = offsets;
                Positions = positions;
                Values = values;
            }

            /// <summary>The values of dense rows; null for sparse ones.</summary>
            public float[]? Dense { get; }

            public int[] Offsets { get; }

            public int[] Positions { get; }

            public float[] Values { get; }

            public static StoredRows DenseRows(float[] values) => new StoredRows(values, Array.Empty<int>(), Array.Empty<int>(), Array.Empty<float>());

            public static StoredRows SparseRows(int[] offsets, int[] positions, float[] values) => new StoredRows(null, offsets, positions, values);

            /// <summary>The rows, once every offset, position and value is known to be valid for the metric.</summary>
            public VectorSet Validate(int n, int d, MetricDomain domain)
            {
                if (Dense != null)
                {
                    for (int i = 0; i < n; i++)
                        CheckRow(new ReadOnlySpan<float>(Dense, i * d, d), default, domain);
                    return new DenseVectorSet(new RowMatrix(Dense, n, d));
                }

                int nnz = Values.Length;
                Check(Offsets[0] == 0 && Offsets[n] == nnz, "sparse row offsets");
                for (int i = 0; i < n; i++)
                {
                    int start = Offsets[i], end = Offsets[i + 1];
                    Check(start <= end && end <= nnz, "sparse row offsets");
                    for (int p = start; p < end; p++)
                        Check(Positions[p] >= 0 && Positions[p] < d && (p == start || Positions[p] > Positions[p - 1]) && Values[p] != 0f, "sparse rows");
                    CheckRow(Values.AsSpan(start, end - start), Positions.AsSpan(start, end - start), domain);
                }
                return new SparseVectorSet(Offsets, Positions, Values, d);
            }

            private static void CheckRow(ReadOnlySpan<float> values, ReadOnlySpan<int> positions, MetricDomain domain)
            {
                foreach (float v in values)
                    Check(float.IsFinite(v), "training rows");
                Check(domain.Violation(values, positions) is null, "training rows (values outside the metric's range)");
            }
        }

        private static StoredRows ReadTrainingRows(HashingReader reader, int n, int d)
        {
            byte storage = reader.Bytes(1)[0];
            if (storage == DenseStorage)
            {
                Check((long)n * d <= Array.MaxLength, "matrix sizes");
                return StoredRows.DenseRows(reader.Floats((long)n * d));
            }
            Check(storage == SparseStorage, "storage kind");
            int nnz = reader.Int();
            Check(nnz >= 0 && nnz <= (long)n * d, "sparse row sizes");
            var offsets = reader.Ints(n + 1L);
            var positions = reader.Ints(nnz);
            var values = reader.Floats(nnz);
            return StoredRows.SparseRows(offsets, positions, values);
        }

        private static float NotYetResolved(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
            throw new InvalidOperationException("The custom distance has not been looked up yet.");

        private static int? Optional(int value) => value < 0 ? null : value;

        private static double? Optional(double value) => double.IsNaN(value) ? null : value;

        private static void Check(bool condition, string what)
        {
            if (!condition)
                throw new InvalidDataException($"The UMAP model is corrupt: invalid {what}.");
        }

        /// <summary>FNV-1a over 64-bit words (bytes of a trailing partial word folded one by one).</summary>
        private struct RunningChecksum
        {
            private const ulong Prime = 0x100000001B3UL;
            private ulong _hash;

            public static RunningChecksum Start() => new RunningChecksum { _hash = 0xCBF29CE484222325UL };

            public ulong Value => _hash;

            public void Add(ReadOnlySpan<byte> bytes)
            {
                var words = MemoryMarshal.Cast<byte, ulong>(bytes);
                ulong h = _hash;
                foreach (ulong w in words)
                    h = (h ^ w) * Prime;
                for (int i = words.Length * sizeof(ulong); i < bytes.Length; i++)
                    h = (h ^ bytes[i]) * Prime;
                _hash = h;
            }
        }

        private sealed class HashingWriter : IDisposable
        {
            private readonly BinaryWriter _writer;
            private RunningChecksum _checksum = RunningChecksum.Start();

            public HashingWriter(Stream stream) => _writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);

            public void Bytes(ReadOnlySpan<byte> bytes)
            {
                _checksum.Add(bytes);
                _writer.Write(bytes);
            }

            public void Int(int value) => Bytes(BitConverter.GetBytes(value));

            public void ULong(ulong value) => Bytes(BitConverter.GetBytes(value));

            public void Double(double value) => Bytes(BitConverter.GetBytes(value));

            public void Floats(float[] values) => Large(MemoryMarshal.AsBytes(values.AsSpan()));

            public void Ints(int[] values) => Large(MemoryMarshal.AsBytes(values.AsSpan()));

            /// <summary>Hashes in blocks whose size is a multiple of 8, so block boundaries never change the checksum.</summary>
            private void Large(ReadOnlySpan<byte> bytes)
            {
                const int Block = 1 << 20;
                for (int i = 0; i < bytes.Length; i += Block)
                    Bytes(bytes.Slice(i, Math.Min(Block, bytes.Length - i)));
            }

            public void WriteChecksum() => _writer.Write(_checksum.Value);

            public void Dispose() => _writer.Flush();
        }

        private sealed class HashingReader
        {
            private readonly Stream _stream;
            private RunningChecksum _checksum = RunningChecksum.Start();

            public HashingReader(Stream stream) => _stream = stream;

            public byte[] Bytes(int count)
            {
                var bytes = new byte[count];
                Fill(bytes);
                return bytes;
            }

            public int Int() => BitConverter.ToInt32(Bytes(sizeof(int)));

            public ulong ULong() => BitConverter.ToUInt64(Bytes(sizeof(ulong)));

            public double Double() => BitConverter.ToDouble(Bytes(sizeof(double)));

            public float[] Floats(long count) => LargeArray<float>(count);

            public int[] Ints(long count) => LargeArray<int>(count);

            /// <summary>
            /// Reads <paramref name="count"/> values. When the stream's length is known the count is checked against
            /// it before allocating; otherwise the array grows as data actually arrives, so a forged count cannot
            /// allocate more than the stream holds.
            /// </summary>
            private T[] LargeArray<T>(long count)
                where T : unmanaged
            {
                long bytes = count * Marshal.SizeOf<T>();
                if (_stream.CanSeek && bytes > _stream.Length - _stream.Position)
                    throw Truncated();
                var result = _stream.CanSeek ? new T[count] : new T[Math.Min(count, 1 << 20)];
                long filled = 0;
                while (filled < count)
                {
                    if (filled == result.Length)
                        Array.Resize(ref result, (int)Math.Min(count, (long)result.Length * 2));
                    int chunk = (int)Math.Min(result.Length - filled, 1 << 20);
                    Fill(MemoryMarshal.AsBytes(result.AsSpan((int)filled, chunk)));
                    filled += chunk;
                }
                return result;
            }

            public void VerifyChecksum()
            {
                ulong expected = _checksum.Value;
                Span<byte> stored = stackalloc byte[sizeof(ulong)];
                ReadExactly(stored);
                if (BitConverter.ToUInt64(stored) != expected)
                    throw new InvalidDataException("The UMAP model is corrupt: its checksum does not match its contents.");
            }

            private void Fill(Span<byte> buffer)
            {
                ReadExactly(buffer);
                _checksum.Add(buffer);
            }

            private void ReadExactly(Span<byte> buffer)
            {
                int done = 0;
                while (done < buffer.Length)
                {
                    int read = _stream.Read(buffer.Slice(done));
                    if (read == 0)
                        throw Truncated();
                    done += read;
                }
            }

            private static InvalidDataException Truncated() =>
                new InvalidDataException("The UMAP model is truncated: the file ends before the data its header describes.");
        }
    }
}
