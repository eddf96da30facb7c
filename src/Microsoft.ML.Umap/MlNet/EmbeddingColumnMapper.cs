using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The column mapping shared by the lazy data view, its cursors and the row mapper: which input columns an
    /// output needs, and the getter of the embedding column for an input row.
    /// </summary>
    internal sealed class EmbeddingColumnMapper : IColumnAppender
    {
        private readonly UmapTransformer _transformer;

        public EmbeddingColumnMapper(UmapTransformer transformer, DataViewSchema inputSchema)
        {
            _transformer = transformer;
            InputSchema = inputSchema;
            FeatureColumn = FeatureColumnReader.Check(inputSchema, transformer.InputColumnName);
            if (FeatureColumn.Type is VectorDataViewType { Size: > 0 } known && known.Size != transformer.FeatureCount)
            {
                throw SchemaErrors.Mismatch("input", transformer.InputColumnName, $"a vector of {transformer.FeatureCount} Single values (as in training)", FeatureColumn.Type.ToString() ?? "unknown");
            }

            // New rows may carry their precomputed neighbours among the training rows, as the fit's rows did; an encoder
            // needs only the features.
            var p = transformer.Encoder?.Parameters ?? transformer.Model.Parameters;
            if (transformer.Encoder is null && p.PrecomputedNeighborIndicesColumnName is string indices && p.PrecomputedNeighborDistancesColumnName is string distances
                && (inputSchema.GetColumnOrNull(indices) != null || inputSchema.GetColumnOrNull(distances) != null))
            {
                NeighborColumns = PrecomputedNeighborsReader.Columns(inputSchema, indices, distances);
            }

            var builder = new DataViewSchema.Builder();
            builder.AddColumns(inputSchema);
            builder.AddColumn(transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, transformer.ComponentCount));
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

        /// <summary>The new rows' precomputed neighbour columns, when the model was fitted with them and the input has them.</summary>
        public (DataViewSchema.Column Indices, DataViewSchema.Column Distances)? NeighborColumns { get; }

        /// <summary>Index of the embedding column in <see cref="OutputSchema"/>.</summary>
        public int OutputIndex => InputSchema.Count;

        /// <summary>The input columns needed to produce the given output columns.</summary>
        public bool[] InputColumnsNeeded(System.Collections.Generic.IEnumerable<DataViewSchema.Column> outputColumns)
        {
            var needed = new bool[InputSchema.Count];
            foreach (var column in outputColumns)
            {
                if (column.Index == OutputIndex)
                {
                    needed[FeatureColumn.Index] = true;
                    if (NeighborColumns is var (indices, distances))
                    {
                        needed[indices.Index] = true;
                        needed[distances.Index] = true;
                    }
                }
                else if (column.Index < InputSchema.Count)
                    needed[column.Index] = true;
            }
            return needed;
        }

        /// <summary>
        /// A parametric model's encoder as ONNX nodes, layer by layer MatMul, Add and (between layers) Relu, its weights
        /// as initializers; a non-parametric model refuses.
        /// </summary>
        public void SaveAsOnnx(Microsoft.ML.Model.OnnxConverter.OnnxContext ctx)
        {
            if (_transformer.Encoder is not Core.Parametric.ParametricModel encoder)
                throw OnnxRefusal();
            if (!ctx.ContainsColumn(InputColumnName))
            {
                // The features are not in the graph (an earlier step could not export them): nor is the embedding.
                ctx.RemoveColumn(OutputColumnName, false);
                return;
            }
            var network = encoder.Network;
            string current = ctx.GetVariableName(InputColumnName);
            string output = ctx.AddIntermediateVariable(new VectorDataViewType(NumberDataViewType.Single, network.OutputCount), OutputColumnName, false);
            for (int l = 0; l < network.LayerCount; l++)
            {
                bool last = l == network.LayerCount - 1;
                string weights = ctx.AddInitializer(network.Weights[l], new long[] { network.Sizes[l], network.Sizes[l + 1] }, $"UmapEncoderWeights{l}", true);
                string biases = ctx.AddInitializer(network.Biases[l], new long[] { network.Sizes[l + 1] }, $"UmapEncoderBiases{l}", true);
                string product = ctx.AddIntermediateVariable(null!, $"UmapEncoderProduct{l}", true);
                ctx.CreateNode("MatMul", new[] { current, weights }, new[] { product }, ctx.GetNodeName("MatMul"), "");
                string sum = last ? output : ctx.AddIntermediateVariable(null!, $"UmapEncoderSum{l}", true);
                ctx.CreateNode("Add", new[] { product, biases }, new[] { sum }, ctx.GetNodeName("Add"), "");
                if (last)
                    break;
                string activation = ctx.AddIntermediateVariable(null!, $"UmapEncoderRelu{l}", true);
                ctx.CreateNode("Relu", sum, activation, ctx.GetNodeName("Relu"), "");
                current = activation;
            }
        }

        private NotSupportedException OnnxRefusal() => new(
            $"The UMAP stage (column '{InputColumnName}' -> '{OutputColumnName}') cannot be exported to ONNX: placing a row " +
            "searches its nearest neighbours among the training rows and then optimises its position iteratively, which ONNX's " +
            "operators cannot express. Fit UMAP with the Parametric option (UmapEstimator.Options.Parametric) to get a model that " +
            "embeds a row by one pass through a small network and exports to ONNX, export the steps before UMAP to ONNX and run " +
            "UMAP with ML.NET, or save the whole model with mlContext.Model.Save.");

        /// <summary>A getter of the embedding of the current row of <paramref name="input"/>.</summary>
        public ValueGetter<VBuffer<float>> CreateGetter(DataViewRow input)
        {
            if (_transformer.Encoder is Core.Parametric.ParametricModel encoder)
                return CreateEncoderGetter(input, encoder);
            var getFeatures = input.GetGetter<VBuffer<float>>(FeatureColumn);
            var model = _transformer.Model;
            string name = _transformer.InputColumnName;
            bool sparse = model.TrainingData.IsSparse;
            var features = default(VBuffer<float>);
            float[]? dense = null, values = null;
            int[]? indices = null;
            var scratch = new Core.Transform.NewPointEmbedder.Scratch(); // this getter's own: cursors are single-threaded
            var neighbors = NeighborColumns is var (indexColumn, distanceColumn)
                ? new PrecomputedNeighborsReader.RowReader(input, indexColumn, distanceColumn, model.NewRowNeighborCount, model.TrainingData.Count, model.NeighborsUsed)
                : null;
            return (ref VBuffer<float> destination) =>
            {
                getFeatures(ref features);
                long row = input.Position;
                FeatureColumnReader.CheckLength(name, row, features.Length, model.FeatureCount);
                FeatureColumnReader.CheckValues(name, row, features, model.Domain);
                var view = FeatureColumnReader.ToView(features, sparse, ref dense, ref indices, ref values);
                (int[] Indices, float[] Distances) given = neighbors is null ? (Array.Empty<int>(), Array.Empty<float>()) : neighbors.Next(row);
                var editor = VBufferEditor.Create(ref destination, model.ComponentCount);
                try
                {
                    model.Embed(view, editor.Values, scratch, given.Indices, given.Distances);
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException($"Column '{name}', row index {row}: {e.Message}", e);
                }
                destination = editor.Commit();
            };
        }
    
        private ValueGetter<VBuffer<float>> CreateEncoderGetter(DataViewRow input, Core.Parametric.ParametricModel encoder)
        {
            var getFeatures = input.GetGetter<VBuffer<float>>(FeatureColumn);
            string name = _transformer.InputColumnName;
            var features = default(VBuffer<float>);
            float[]? dense = null, values = null;
            int[]? indices = null;
            var scratch = encoder.CreateScratch(); // this getter's own: cursors are single-threaded
            return (ref VBuffer<float> destination) =>
            {
                getFeatures(ref features);
                long row = input.Position;
                FeatureColumnReader.CheckLength(name, row, features.Length, encoder.FeatureCount);
                FeatureColumnReader.CheckValues(name, row, features, encoder.Domain);
                var view = FeatureColumnReader.ToView(features, false, ref dense, ref indices, ref values);
                var editor = VBufferEditor.Create(ref destination, encoder.ComponentCount);
                try
                {
                    encoder.Embed(view, editor.Values, scratch);
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
