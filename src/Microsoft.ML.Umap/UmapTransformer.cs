using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.MlNet;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// A fitted UMAP model. <see cref="Transform(IDataView)"/> appends the embedding column (a known-size
    /// vector of <see cref="float"/> of length <see cref="UmapModelParameters.NumberOfComponents"/>) lazily, as
    /// ML.NET transforms do; it also works row by row through <see cref="PredictionEngine{TSrc, TDst}"/> and inside
    /// a <see cref="TransformerChain{TLastTransformer}"/>. Rows of the training data get exactly their training
    /// embedding. Instances are immutable and safe to use from several threads.
    /// </summary>
    public sealed class UmapTransformer : ITransformer
    {
        private readonly IHost _host;
        private readonly TimeSpan[] _stageDurations;

        internal UmapTransformer(IHost host, UmapModel model, string featureColumnName, string outputColumnName, TimeSpan[] stageDurations)
        {
            _host = host;
            Model = model;
            FeatureColumnName = featureColumnName;
            OutputColumnName = outputColumnName;
            _stageDurations = stageDurations;
            Parameters = new UmapModelParameters(model);
        }

        internal UmapModel Model { get; }

        /// <summary>Name of the input column (a vector of <see cref="float"/>).</summary>
        public string FeatureColumnName { get; }

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

        void ICanSaveModel.Save(ModelSaveContext ctx) =>
            throw new NotSupportedException("Saving a UMAP model is not supported by this version.");
    }
}
