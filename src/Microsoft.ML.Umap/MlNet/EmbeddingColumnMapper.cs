using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The column mapping shared by the lazy data view, its cursors and the row mapper: which input columns an
    /// output needs, and the getter of the embedding column for an input row.
    /// </summary>
    internal sealed class EmbeddingColumnMapper
    {
        private readonly UmapTransformer _transformer;

        public EmbeddingColumnMapper(UmapTransformer transformer, DataViewSchema inputSchema)
        {
            _transformer = transformer;
            InputSchema = inputSchema;
            FeatureColumn = FeatureColumnReader.Check(inputSchema, transformer.InputColumnName);
            if (FeatureColumn.Type is VectorDataViewType { Size: > 0 } known && known.Size != transformer.Model.FeatureCount)
            {
                throw SchemaErrors.Mismatch("input", transformer.InputColumnName, $"a vector of {transformer.Model.FeatureCount} Single values (as in training)", FeatureColumn.Type.ToString() ?? "unknown");
            }

            var builder = new DataViewSchema.Builder();
            builder.AddColumns(inputSchema);
            builder.AddColumn(transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, transformer.Model.ComponentCount));
            OutputSchema = builder.ToSchema();
        }

        public DataViewSchema InputSchema { get; }

        /// <summary>The feature column's name.</summary>
        public string InputColumnName => _transformer.InputColumnName;

        /// <summary>The embedding column's name.</summary>
        public string OutputColumnName => _transformer.OutputColumnName;

        /// <summary>Input schema followed by the embedding column (which hides an input column of the same name).</summary>
        public DataViewSchema OutputSchema { get; }

        public DataViewSchema.Column FeatureColumn { get; }

        /// <summary>Index of the embedding column in <see cref="OutputSchema"/>.</summary>
        public int OutputIndex => InputSchema.Count;

        /// <summary>The input columns needed to produce the given output columns.</summary>
        public bool[] InputColumnsNeeded(System.Collections.Generic.IEnumerable<DataViewSchema.Column> outputColumns)
        {
            var needed = new bool[InputSchema.Count];
            foreach (var column in outputColumns)
            {
                if (column.Index == OutputIndex)
                    needed[FeatureColumn.Index] = true;
                else if (column.Index < InputSchema.Count)
                    needed[column.Index] = true;
            }
            return needed;
        }

        /// <summary>A getter of the embedding of the current row of <paramref name="input"/>.</summary>
        public ValueGetter<VBuffer<float>> CreateGetter(DataViewRow input)
        {
            var getFeatures = input.GetGetter<VBuffer<float>>(FeatureColumn);
            var model = _transformer.Model;
            string name = _transformer.InputColumnName;
            bool sparse = model.TrainingData.IsSparse;
            var features = default(VBuffer<float>);
            float[]? dense = null, values = null;
            int[]? indices = null;
            var scratch = new Core.Transform.NewPointEmbedder.Scratch(); // this getter's own: cursors are single-threaded
            return (ref VBuffer<float> destination) =>
            {
                getFeatures(ref features);
                long row = input.Position;
                FeatureColumnReader.CheckLength(name, row, features.Length, model.FeatureCount);
                FeatureColumnReader.CheckValues(name, row, features, model.Domain);
                var view = FeatureColumnReader.ToView(features, sparse, ref dense, ref indices, ref values);
                var editor = VBufferEditor.Create(ref destination, model.ComponentCount);
                try
                {
                    model.Embed(view, editor.Values, scratch);
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException($"Column '{name}', row index {row}: {e.Message}", e);
                }
                destination = editor.Commit();
            };
        }
    }
}
