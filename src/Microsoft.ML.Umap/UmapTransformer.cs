using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.MlNet;
using Microsoft.ML.Umap.Persistence;

[assembly: LoadableClass(typeof(UmapTransformer), null, typeof(SignatureLoadModel), "UMAP Transformer", UmapTransformer.LoaderSignature)]

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// A fitted UMAP model. <see cref="Transform(IDataView)"/> appends the embedding column (a known-size
    /// vector of <see cref="float"/> of length <see cref="UmapModelParameters.NumberOfComponents"/>) lazily, as
    /// ML.NET transforms do; it also works row by row through <see cref="PredictionEngine{TSrc, TDst}"/> and inside
    /// a <see cref="TransformerChain{TLastTransformer}"/>. Rows of the training data get exactly their training
    /// embedding; any other row is placed against the training embedding as umap-learn's <c>transform</c> does,
    /// with a result that depends only on that row and the model. Instances are immutable and safe to use from
    /// several threads. Save with <c>mlContext.Model.Save</c> or <see cref="Save(Stream)"/>.
    /// </summary>
    public sealed class UmapTransformer : ITransformer
    {
        internal const string LoaderSignature = "UmapTransformer";

        // The ML.NET zip entry holding the model in UmapModelFormat.
        private const string ModelEntry = "UmapModel.bin";

        // Signature of the stand-alone stream written by Save(Stream).
        private static readonly byte[] StreamMagic = Encoding.ASCII.GetBytes("UMAPTRN\0");

        // Column names are short; anything longer in a file is corruption, refused before allocating.
        private const int MaximumNameBytes = 4096;

        // The ML.NET zip entry holding a parametric model's encoder instead of ModelEntry.
        private const string EncoderEntry = "UmapEncoder.bin";

        // Signature of the stand-alone stream of a parametric model.
        private static readonly byte[] EncoderStreamMagic = Encoding.ASCII.GetBytes("UMAPENT\0");

        private readonly TimeSpan[]? _stageDurations;
        private readonly UmapModel? _model;

        internal UmapTransformer(Core.Parametric.ParametricModel encoder, string inputColumnName, string outputColumnName, TimeSpan[]? stageDurations)
        {
            MlNetInternals.ThrowIfUnavailable();
            Encoder = encoder;
            InputColumnName = inputColumnName;
            OutputColumnName = outputColumnName;
            _stageDurations = stageDurations;
            Parameters = new UmapModelParameters(encoder);
        }

        internal UmapTransformer(UmapModel model, string inputColumnName, string outputColumnName, TimeSpan[]? stageDurations)
        {
            // Whatever made this transformer (a fit, an update, a load through ML.NET or a stream), its transform, save
            // and ONNX refusal use ML.NET internals: check they exist before any of that code runs.
            MlNetInternals.ThrowIfUnavailable();
            _model = model;
            InputColumnName = inputColumnName;
            OutputColumnName = outputColumnName;
            _stageDurations = stageDurations;
            Parameters = new UmapModelParameters(model);
        }

        /// <summary>The non-parametric model; a parametric one has none (see <see cref="Encoder"/>).</summary>
        /// <exception cref="NotSupportedException">The model is parametric: it keeps no training rows.</exception>
        internal UmapModel Model => _model ?? throw new NotSupportedException(
            $"This UMAP model is parametric: it keeps its encoder network, not the training rows, their embedding or their neighbour graph, " +
            "so it cannot give them back, update or invert. Transform the training rows to get their embedding, or fit without the Parametric option.");

        /// <summary>The parametric model's encoder; null for a non-parametric model.</summary>
        internal Core.Parametric.ParametricModel? Encoder { get; }

        /// <summary>
        /// True when the model is parametric (<see cref="UmapEstimator.Options.Parametric"/>): it embeds rows through an
        /// encoder network and keeps no training rows.
        /// </summary>
        public bool IsParametric => Encoder is not null;

        /// <summary>
        /// The encoder's layer sizes, from the input's features through the hidden layers to the embedding's components;
        /// empty for a non-parametric model.
        /// </summary>
        public IReadOnlyList<int> EncoderLayerSizes => Encoder is null ? Array.Empty<int>() : (int[])Encoder.Network.Sizes.Clone();

        /// <summary>Dimension of the embedding.</summary>
        internal int ComponentCount => Encoder?.ComponentCount ?? Model.ComponentCount;

        /// <summary>Name of the input column (a vector of <see cref="float"/>).</summary>
        public string InputColumnName { get; }

        /// <summary>The former name of <see cref="InputColumnName"/>.</summary>
        [Obsolete("Use InputColumnName, the name ML.NET's transforms use.")]
        [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
        public string FeatureColumnName => InputColumnName;

        /// <summary>Name of the embedding column this transformer appends.</summary>
        public string OutputColumnName { get; }

        /// <summary>The settings the model was fitted with, as used (defaults resolved, a and b fitted).</summary>
        public UmapModelParameters Parameters { get; }

        /// <summary>Number of training rows.</summary>
        public int TrainingRowCount => Encoder?.TrainingRowCount ?? Model.Embedding.Rows;

        /// <summary>Length of the input vectors the model expects.</summary>
        public int FeatureCount => Encoder?.FeatureCount ?? Model.FeatureCount;

        /// <summary>
        /// Wall-clock time of each stage of the fit that produced this model, by <see cref="UmapStage"/>.
        /// </summary>
        public IReadOnlyDictionary<UmapStage, TimeSpan> StageDurations
        {
            get
            {
                var result = new Dictionary<UmapStage, TimeSpan>();
                if (_stageDurations != null)
                {
                    foreach (UmapStage stage in Enum.GetValues<UmapStage>())
                        result[stage] = _stageDurations[(int)stage];
                }
                return result;
            }
        }

        /// <summary>A copy of the training embedding: one array of <see cref="UmapModelParameters.NumberOfComponents"/> values per training row, in input order.</summary>
        public float[][] GetTrainingEmbedding()
        {
            var embedding = Model.Embedding;
            var rows = new float[embedding.Rows][];
            for (int i = 0; i < rows.Length; i++)
                rows[i] = embedding.ReadOnlyRow(i).ToArray();
            return rows;
        }

        /// <summary>
        /// A copy of the training rows' nearest-neighbour graph: for each training row, the indices of its
        /// <see cref="UmapModelParameters.NumberOfNeighbors"/> nearest training rows (itself first, then by
        /// increasing distance; −1 where a neighbour was disconnected). Useful for connectivity plots and diagnostics.
        /// </summary>
        public int[][] GetNeighborIndices()
        {
            var graph = Model.Neighbors;
            var rows = new int[graph.PointCount][];
            for (int i = 0; i < rows.Length; i++)
                rows[i] = graph.RowIndices(i).ToArray();
            return rows;
        }

        /// <summary>
        /// The fuzzy simplicial set of the training rows, the weighted graph UMAP lays out (umap-learn's <c>graph_</c>):
        /// symmetric, in CSR form, for graph clustering and diagnostics. It is rebuilt from the stored neighbour graph
        /// with the model's <see cref="UmapModelParameters.LocalConnectivity"/> and
        /// <see cref="UmapModelParameters.SetOperationMixRatio"/>, so a loaded model gives the same graph as the fitted
        /// one. For a supervised model it is the data's graph before the labels were combined with it (the labels are
        /// not part of the model).
        /// </summary>
        public UmapGraph GetGraph()
        {
            var p = Model.Parameters;
            var graph = Core.Graph.FuzzySimplicialSet.Build(Model.Neighbors, p.LocalConnectivity, p.SetOperationMixRatio, p.NumberOfThreads).Graph;
            return new UmapGraph(graph.Rows, graph.RowOffsets, graph.ColumnIndices, graph.Values);
        }

        /// <summary>
        /// A new transformer whose model also holds <paramref name="newRows"/> [umap-learn update]: their nearest
        /// neighbours are found among all rows and the old rows take in new rows that come closer, the fuzzy graph is
        /// rebuilt, the new rows start where <see cref="Transform(IDataView)"/> starts them (the membership-weighted mean
        /// of their neighbours' positions), and a short refinement (a quarter of a fit's epochs at a quarter of its
        /// learning rate) settles old and new rows together. The old rows
        /// move a little; this transformer is unchanged. Much cheaper than fitting all rows again, and reproducible for
        /// the model's seed. The result transforms, saves and loads like any model; its rows have the neighbours asked
        /// for when fitting (as many as the rows allow), even when this model had fewer rows than that.
        /// </summary>
        /// <remarks>
        /// New rows start inside the model's map, and the layout moves rows only along differences of positions, so a
        /// map whose rows span fewer dimensions than the embedding (a model of one row, of two rows in 2-D, or one whose
        /// rows all lie at one point or on one line) would keep every row in that point or line. Such a model is
        /// fitted again on all rows with its settings (initial coordinates given to it are not reused), which gives the
        /// map a fit of all rows gives. From NumberOfComponents + 1 rows spread over the map on, the update itself
        /// reaches a fit's quality (docs/measurements.md).
        /// </remarks>
        /// <param name="newRows">Rows with the model's input column (<see cref="InputColumnName"/>), of <see cref="FeatureCount"/> values.</param>
        /// <param name="cancellationToken">Stops the update between steps.</param>
        /// <exception cref="NotSupportedException">The model is supervised, densMAP, or fitted on precomputed distances.</exception>
        public UmapTransformer Update(IDataView newRows, System.Threading.CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(newRows);
            using var monitor = new FitMonitor(null, null, null, cancellationToken);
            Core.Numerics.VectorSet rows;
            using (monitor.Stage(UmapStage.ReadingData, $"Reading column '{InputColumnName}' of the new rows"))
                rows = FeatureColumnReader.Read(newRows, InputColumnName, Model.Domain, monitor, Model.Parameters.NumberOfThreads);
            if (rows.Count == 0)
                throw new InvalidOperationException($"Update needs at least one new row; column '{InputColumnName}' has none.");
            if (rows.Dimension != Model.FeatureCount)
                throw SchemaErrors.Mismatch("input", InputColumnName, $"a vector of {Model.FeatureCount} Single values (as in training)", $"vectors of {rows.Dimension}");
            var fit = UmapUpdater.Update(Model, rows, monitor);
            return new UmapTransformer(fit.Model, InputColumnName, OutputColumnName, fit.StageDurations);
        }

        /// <summary>
        /// Maps points of the embedding back to the input space [umap-learn inverse_transform]: for each point, its
        /// nearest training points in the embedding (as many as the input has features), weighted by the embedding's
        /// membership curve 1 / (1 + a·d^2b), give the weighted mean of their input rows. Use it to see what a region
        /// of the map stands for, or to generate plausible inputs between known ones. Each point's result depends only
        /// on the point and the model.
        /// </summary>
        /// <remarks>
        /// umap-learn then runs 100 epochs that pull the point towards those rows and push it from random ones; pass
        /// <paramref name="numberOfEpochs"/> to do the same. The weighted mean alone is the default: the epochs make points
        /// easier to classify but move them away from the true rows, at a far higher cost per point (measured against
        /// umap-learn in the repository's docs/measurements.md).
        /// </remarks>
        /// <param name="embeddingPoints">Points of <see cref="UmapModelParameters.NumberOfComponents"/> finite coordinates each.</param>
        /// <param name="numberOfEpochs">Optimisation epochs per point after the weighted mean, 0 to 10,000; null: 0 (umap-learn runs 100).</param>
        /// <returns>One input-space row (<see cref="FeatureCount"/> values) per point.</returns>
        /// <exception cref="NotSupportedException">The model cannot be inverted: a metric other than Euclidean, precomputed distances, sparse training rows or densMAP.</exception>
        public float[][] InverseTransform(float[][] embeddingPoints, int? numberOfEpochs = null)
        {
            ArgumentNullException.ThrowIfNull(embeddingPoints);
            int epochs = InverseEpochs(numberOfEpochs);
            for (int i = 0; i < embeddingPoints.Length; i++)
            {
                var point = embeddingPoints[i];
                if (point is null || point.Length != Model.ComponentCount)
                    throw new ArgumentException($"Point {i} has {point?.Length ?? 0} coordinates; this model's embedding has {Model.ComponentCount}.", nameof(embeddingPoints));
                foreach (float v in point)
                {
                    if (!float.IsFinite(v))
                        throw new ArgumentException($"Point {i} holds {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}; embedding coordinates must be finite.", nameof(embeddingPoints));
                }
            }
            using var monitor = new FitMonitor();
            var result = Model.Invert(embeddingPoints, epochs, monitor);
            for (int i = 0; i < result.Length; i++)
                FiniteLayout.CheckInverse(result[i], i);
            return result;
        }

        /// <summary>
        /// Maps an embedding column back to the input space, lazily, row by row: the result is <paramref name="data"/>
        /// with a column of <see cref="FeatureCount"/> Single values appended (hiding a column of the same name).
        /// See <see cref="InverseTransform(float[][], int?)"/>.
        /// </summary>
        /// <param name="data">Data with an embedding column (a vector of <see cref="UmapModelParameters.NumberOfComponents"/> Single values).</param>
        /// <param name="embeddingColumnName">The embedding column; null: <see cref="OutputColumnName"/>.</param>
        /// <param name="outputColumnName">The column to append; null: <see cref="InputColumnName"/>.</param>
        /// <param name="numberOfEpochs">As in <see cref="InverseTransform(float[][], int?)"/>.</param>
        /// <returns>The data with the reconstructed column; reading a row whose point is not finite throws
        /// <see cref="InvalidOperationException"/> naming the column and the row.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The embedding column is missing or not a vector of NumberOfComponents Single values.</exception>
        /// <exception cref="NotSupportedException">The model cannot be inverted (see <see cref="InverseTransform(float[][], int?)"/>).</exception>
        public IDataView InverseTransform(IDataView data, string? embeddingColumnName = null, string? outputColumnName = null, int? numberOfEpochs = null)
        {
            ArgumentNullException.ThrowIfNull(data);
            int epochs = InverseEpochs(numberOfEpochs);
            var mapper = new InverseColumnMapper(Model, data.Schema, embeddingColumnName ?? OutputColumnName, outputColumnName ?? InputColumnName, epochs);
            return new EmbeddingDataView(mapper, data);
        }

        private static int InverseEpochs(int? epochs)
        {
            UmapParameters.Check(epochs is null || (epochs >= 0 && epochs <= UmapLimits.MaximumEpochs), "numberOfEpochs", epochs, $"must be between 0 and {UmapLimits.MaximumEpochs} (or null for {Core.Transform.InverseEmbedder.DefaultEpochs})");
            return epochs ?? Core.Transform.InverseEmbedder.DefaultEpochs;
        }

        /// <summary>Always true: the embedding of a row depends only on that row.</summary>
        public bool IsRowToRowMapper => true;

        /// <summary>The input schema plus the embedding column.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing, not a vector of <see cref="float"/>, or of another size than in training.</exception>
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            return new EmbeddingColumnMapper(this, inputSchema).OutputSchema;
        }

        /// <summary>Appends the embedding column to <paramref name="input"/>, computed lazily as rows are read.</summary>
        public IDataView Transform(IDataView input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return new EmbeddingDataView(new EmbeddingColumnMapper(this, input.Schema), input);
        }

        /// <summary>A row mapper for <paramref name="inputSchema"/> (used by prediction engines).</summary>
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            return new EmbeddingRowMapper(new EmbeddingColumnMapper(this, inputSchema));
        }

        /// <summary>
        /// Writes the model (column names, settings, training rows, their neighbour graph and embedding; for a parametric
        /// model, the encoder network instead of the rows) to <paramref name="stream"/> without ML.NET's model container; read it back with <see cref="Load"/>.
        /// </summary>
        /// <exception cref="NotSupportedException">The model uses a custom distance without a <see cref="UmapEstimator.Options.CustomDistanceName"/>; nothing is written.</exception>
        public void Save(Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            if (Encoder is null)
                UmapModelFormat.ThrowIfNotSaveable(Model);
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Encoder is null ? StreamMagic : EncoderStreamMagic);
                WriteName(writer, InputColumnName);
                WriteName(writer, OutputColumnName);
            }
            if (Encoder is null)
                UmapModelFormat.Write(Model, stream);
            else
                UmapModelFormat.WriteEncoder(Encoder, stream);
        }

        /// <summary>Reads a model written by <see cref="Save(Stream)"/>.</summary>
        /// <exception cref="InvalidDataException">The stream is not a UMAP model, or it is truncated or corrupt.</exception>
        /// <exception cref="InvalidOperationException">The model uses a custom distance whose name is not registered with <see cref="UmapCustomDistances"/>.</exception>
        public static UmapTransformer Load(MLContext mlContext, Stream stream)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            ArgumentNullException.ThrowIfNull(stream);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var magic = reader.ReadBytes(StreamMagic.Length);
            bool parametric = magic.AsSpan().SequenceEqual(EncoderStreamMagic);
            if (!parametric && !magic.AsSpan().SequenceEqual(StreamMagic))
                throw new InvalidDataException("This is not a UMAP transformer: the stream does not start with its signature.");
            string input = ReadName(reader);
            string output = ReadName(reader);
            if (parametric)
                return new UmapTransformer(UmapModelFormat.ReadEncoder(stream, UmapParameters.DefaultThreads), input, output, null);
            var model = UmapModelFormat.Read(stream, UmapParameters.DefaultThreads);
            return new UmapTransformer(model, input, output, null);
        }

        private static void WriteName(BinaryWriter writer, string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private static string ReadName(BinaryReader reader)
        {
            int length;
            try
            {
                length = reader.ReadInt32();
                if (length < 1 || length > MaximumNameBytes)
                    throw new InvalidDataException("The UMAP transformer is corrupt: invalid column name length.");
                var bytes = reader.ReadBytes(length);
                if (bytes.Length != length)
                    throw new EndOfStreamException();
                return Encoding.UTF8.GetString(bytes);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("The UMAP transformer is truncated.", e);
            }
        }

        // ML.NET's model format: written by mlContext.Model.Save, found by mlContext.Model.Load through the
        // LoadableClass attribute above (these ML.NET members are internal; see docs/mlnet-internals.md).
        private static VersionInfo GetVersionInfo() => new VersionInfo(
            modelSignature: "UMAPTRNS",
            verWrittenCur: 0x00010001, // first version
            verReadableCur: 0x00010001,
            verWeCanReadBack: 0x00010001,
            loaderSignature: LoaderSignature,
            loaderAssemblyName: typeof(UmapTransformer).Assembly.FullName);

        void ICanSaveModel.Save(ModelSaveContext ctx)
        {
            ArgumentNullException.ThrowIfNull(ctx);
            if (Encoder is null)
                UmapModelFormat.ThrowIfNotSaveable(Model);
            ctx.CheckAtModel();
            ctx.SetVersionInfo(GetVersionInfo());
            ctx.SaveNonEmptyString(InputColumnName);
            ctx.SaveNonEmptyString(OutputColumnName);
            // A parametric model writes its encoder under its own entry name, which older readers report as missing.
            if (Encoder is Core.Parametric.ParametricModel encoder)
                ctx.SaveBinaryStream(EncoderEntry, writer => UmapModelFormat.WriteEncoder(encoder, writer.BaseStream));
            else
                ctx.SaveBinaryStream(ModelEntry, writer => UmapModelFormat.Write(Model, writer.BaseStream));
        }

        // Called by ML.NET's component catalog (through reflection) when it meets the loader signature.
        [System.Diagnostics.CodeAnalysis.SuppressMessage("CodeQuality", "IDE0051:Remove unused private members", Justification = "Found by reflection through LoadableClass.")]
        private static UmapTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            ArgumentNullException.ThrowIfNull(env);
            MlNetInternals.ThrowIfUnavailable();
            return Read(ctx);
        }

        // Apart from Create, so a member missing from ML.NET fails here, after the check, not in Create's compilation.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static UmapTransformer Read(ModelLoadContext ctx)
        {
            ctx.CheckAtModel(GetVersionInfo());
            string input = ctx.LoadNonEmptyString();
            string output = ctx.LoadNonEmptyString();
            Core.Parametric.ParametricModel? encoder = null;
            if (ctx.TryLoadBinaryStream(EncoderEntry, reader => encoder = UmapModelFormat.ReadEncoder(reader.BaseStream, UmapParameters.DefaultThreads)) && encoder is not null)
                return new UmapTransformer(encoder, input, output, null);
            UmapModel? model = null;
            if (!ctx.TryLoadBinaryStream(ModelEntry, reader => model = UmapModelFormat.Read(reader.BaseStream, UmapParameters.DefaultThreads)) || model is null)
                throw new InvalidDataException($"The UMAP transformer's model entry '{ModelEntry}' is missing from the ML.NET model file.");
            return new UmapTransformer(model, input, output, null);
        }
    }
}
