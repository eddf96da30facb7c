using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Core;
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

        private readonly TimeSpan[]? _stageDurations;

        internal UmapTransformer(UmapModel model, string inputColumnName, string outputColumnName, TimeSpan[]? stageDurations)
        {
            Model = model;
            InputColumnName = inputColumnName;
            OutputColumnName = outputColumnName;
            _stageDurations = stageDurations;
            Parameters = new UmapModelParameters(model);
        }

        internal UmapModel Model { get; }

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
        public int TrainingRowCount => Model.Embedding.Rows;

        /// <summary>Length of the input vectors the model expects.</summary>
        public int FeatureCount => Model.FeatureCount;

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
        /// Writes the model (column names, settings, training rows, their neighbour graph and embedding) to
        /// <paramref name="stream"/> without ML.NET's model container; read it back with <see cref="Load"/>.
        /// </summary>
        /// <exception cref="NotSupportedException">The model uses a custom distance without a <see cref="UmapEstimator.Options.CustomDistanceName"/>; nothing is written.</exception>
        public void Save(Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            UmapModelFormat.ThrowIfNotSaveable(Model);
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(StreamMagic);
                WriteName(writer, InputColumnName);
                WriteName(writer, OutputColumnName);
            }
            UmapModelFormat.Write(Model, stream);
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
            if (!magic.AsSpan().SequenceEqual(StreamMagic))
                throw new InvalidDataException("This is not a UMAP transformer: the stream does not start with its signature.");
            string input = ReadName(reader);
            string output = ReadName(reader);
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
            UmapModelFormat.ThrowIfNotSaveable(Model);
            ctx.CheckAtModel();
            ctx.SetVersionInfo(GetVersionInfo());
            ctx.SaveNonEmptyString(InputColumnName);
            ctx.SaveNonEmptyString(OutputColumnName);
            ctx.SaveBinaryStream(ModelEntry, writer => UmapModelFormat.Write(Model, writer.BaseStream));
        }

        // Called by ML.NET's component catalog (through reflection) when it meets the loader signature.
        [System.Diagnostics.CodeAnalysis.SuppressMessage("CodeQuality", "IDE0051:Remove unused private members", Justification = "Found by reflection through LoadableClass.")]
        private static UmapTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            ArgumentNullException.ThrowIfNull(env);
            ctx.CheckAtModel(GetVersionInfo());
            string input = ctx.LoadNonEmptyString();
            string output = ctx.LoadNonEmptyString();
            UmapModel? model = null;
            if (!ctx.TryLoadBinaryStream(ModelEntry, reader => model = UmapModelFormat.Read(reader.BaseStream, UmapParameters.DefaultThreads)) || model is null)
                throw new InvalidDataException($"The UMAP transformer's model entry '{ModelEntry}' is missing from the ML.NET model file.");
            return new UmapTransformer(model, input, output, null);
        }
    }
}
