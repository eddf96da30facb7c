using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The reconstruction column of <see cref="UmapTransformer.InverseTransform(IDataView, string, string, int?)"/>:
    /// each row's embedding point mapped back to the input space, on the reading thread.
    /// </summary>
    internal sealed class InverseColumnMapper : IColumnAppender
    {
        private readonly UmapModel _model;
        private readonly DataViewSchema.Column _embeddingColumn;
        private readonly string _outputColumnName;
        private readonly int _epochs;

        /// <exception cref="ArgumentOutOfRangeException">The embedding column is missing or not a vector of the model's NumberOfComponents Single values.</exception>
        /// <exception cref="NotSupportedException">The model cannot be inverted.</exception>
        public InverseColumnMapper(UmapModel model, DataViewSchema inputSchema, string embeddingColumnName, string outputColumnName, int epochs)
        {
            var column = inputSchema.GetColumnOrNull(embeddingColumnName) ?? throw SchemaErrors.ColumnNotFound("embedding", embeddingColumnName);
            if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != model.ComponentCount)
                throw SchemaErrors.Mismatch("embedding", embeddingColumnName, $"a vector of {model.ComponentCount} Single values", column.Type.ToString() ?? "unknown");
            model.ThrowIfNotInvertible(); // before any row is read

            _model = model;
            _embeddingColumn = column;
            _outputColumnName = outputColumnName;
            _epochs = epochs;
            InputSchema = inputSchema;
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(inputSchema);
            builder.AddColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount));
            OutputSchema = builder.ToSchema();
        }

        public DataViewSchema InputSchema { get; }

        public DataViewSchema OutputSchema { get; }

        public int OutputIndex => InputSchema.Count;

        public bool[] InputColumnsNeeded(IEnumerable<DataViewSchema.Column> outputColumns)
        {
            var needed = new bool[InputSchema.Count];
            foreach (var column in outputColumns)
            {
                if (column.Index == OutputIndex)
                    needed[_embeddingColumn.Index] = true;
                else if (column.Index < InputSchema.Count)
                    needed[column.Index] = true;
            }
            return needed;
        }

        public ValueGetter<VBuffer<float>> CreateGetter(DataViewRow input)
        {
            var getPoint = input.GetGetter<VBuffer<float>>(_embeddingColumn);
            var model = _model;
            string name = _embeddingColumn.Name;
            int epochs = _epochs;
            var point = default(VBuffer<float>);
            var dense = new float[model.ComponentCount];
            var scratch = model.CreateInverseScratch(); // this getter's own: cursors are single-threaded
            return (ref VBuffer<float> destination) =>
            {
                getPoint(ref point);
                long row = input.Position;
                point.CopyTo(dense);
                foreach (float v in dense)
                {
                    if (!float.IsFinite(v))
                        throw new InvalidOperationException($"Column '{name}', row index {row}, holds {v.ToString(CultureInfo.InvariantCulture)}; embedding coordinates must be finite.");
                }
                var editor = VBufferEditor.Create(ref destination, model.FeatureCount);
                model.Invert(dense, editor.Values, epochs, scratch);
                FiniteLayout.CheckInverse(editor.Values, row);
                destination = editor.Commit();
            };
        }

        public void SaveAsOnnx(Microsoft.ML.Model.OnnxConverter.OnnxContext ctx) => throw new NotSupportedException(
            $"UMAP's inverse transform (column '{_embeddingColumn.Name}' -> '{_outputColumnName}') cannot be exported to ONNX: mapping " +
            "a point back searches its nearest training points on the map, which ONNX's operators cannot express.");
    }
}
