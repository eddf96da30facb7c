using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Model.OnnxConverter;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The lazily mapped data: the input's rows with a computed column appended (the embedding, or InverseTransform's
    /// reconstruction; see <see cref="IColumnAppender"/>).
    /// </summary>
    /// <remarks>
    /// It declares itself exportable to ONNX even where it must refuse the export: ML.NET's converter walks a pipeline
    /// back from its end and takes the first step that cannot export itself as the graph's input, so a UMAP stage that
    /// stayed silent would be exported as an input column passed through unchanged, a graph that lies about the model.
    /// A parametric model's encoder exports as ONNX nodes; anything else refuses.
    /// </remarks>
    internal sealed class EmbeddingDataView : ITransformCanSaveOnnx
    {
        private readonly IDataView _input;
        private readonly IColumnAppender _mapper;

        public EmbeddingDataView(IColumnAppender mapper, IDataView input)
        {
            _mapper = mapper;
            _input = input;
        }

        public DataViewSchema Schema => _mapper.OutputSchema;

        /// <summary>The data this view transforms.</summary>
        public IDataView Source => _input;

        public bool CanSaveOnnx(OnnxContext ctx) => true;

        public void SaveAsOnnx(OnnxContext ctx) => _mapper.SaveAsOnnx(ctx);

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
            "The data a UMAP transformer produces cannot be saved as a legacy data transform; save the transformer itself with mlContext.Model.Save.");

        public bool CanShuffle => _input.CanShuffle;

        public long? GetRowCount() => _input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var (inputColumns, outputActive) = InputColumns(columnsNeeded);
            return new EmbeddingCursor(_mapper, _input.GetRowCursor(inputColumns, rand), outputActive);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            var (inputColumns, outputActive) = InputColumns(columnsNeeded);
            return _input.GetRowCursorSet(inputColumns, n, rand)
                .Select(cursor => (DataViewRowCursor)new EmbeddingCursor(_mapper, cursor, outputActive))
                .ToArray();
        }

        private (List<DataViewSchema.Column> Columns, bool OutputActive) InputColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            var requested = columnsNeeded?.ToList() ?? new List<DataViewSchema.Column>();
            bool outputActive = requested.Any(c => c.Index == _mapper.OutputIndex);
            var needed = _mapper.InputColumnsNeeded(requested);
            var columns = new List<DataViewSchema.Column>();
            for (int i = 0; i < needed.Length; i++)
            {
                if (needed[i])
                    columns.Add(_input.Schema[i]);
            }
            return (columns, outputActive);
        }
    }
}
