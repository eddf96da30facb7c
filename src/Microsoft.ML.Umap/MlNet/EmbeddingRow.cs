using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The getters of a mapped row: input columns pass through, the appended column (the embedding, or
    /// InverseTransform's reconstruction) is computed on demand. Shared by <see cref="EmbeddingCursor"/> and
    /// <see cref="EmbeddingRowMapper"/>.
    /// </summary>
    internal sealed class EmbeddingRow : DataViewRow
    {
        private readonly IColumnAppender _mapper;
        private readonly DataViewRow _input;
        private readonly bool _outputActive;
        private readonly bool _ownsInput;

        public EmbeddingRow(IColumnAppender mapper, DataViewRow input, bool outputActive, bool ownsInput)
        {
            _mapper = mapper;
            _input = input;
            _outputActive = outputActive;
            _ownsInput = ownsInput;
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == _mapper.OutputIndex ? _outputActive : _input.IsColumnActive(_input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _mapper.OutputIndex)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (!_outputActive)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this row or cursor.");
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' is a vector of Single; it cannot be read as {typeof(TValue)}.");
            return (ValueGetter<TValue>)(Delegate)_mapper.CreateGetter(_input);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _ownsInput)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
