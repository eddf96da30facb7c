using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>A cursor over the mapped data: moves the input cursor and maps its rows.</summary>
    internal sealed class EmbeddingCursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly EmbeddingRow _row;

        public EmbeddingCursor(IColumnAppender mapper, DataViewRowCursor input, bool outputActive)
        {
            _input = input;
            _row = new EmbeddingRow(mapper, input, outputActive, ownsInput: true);
        }

        public override DataViewSchema Schema => _row.Schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _row.Dispose();
            base.Dispose(disposing);
        }
    }
}
