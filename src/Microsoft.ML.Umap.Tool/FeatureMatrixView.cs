using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// A flat row-major float matrix as an IDataView with one vector column "Features", whose slot names are the
    /// feature columns' names (they travel in the saved model's input schema, so a transform knows what to read).
    /// A cursor set splits the rows into contiguous ranges, one per cursor.
    /// </summary>
    internal sealed class FeatureMatrixView : IDataView
    {
        public const string ColumnName = "Features";

        /// <summary>ML.NET's annotation kind for the names of a vector's slots.</summary>
        private const string SlotNamesKind = "SlotNames";

        private readonly float[] _values;
        private readonly int _rows;
        private readonly int _columns;
        private int _rowBeingRead = -1;

        public FeatureMatrixView(float[] values, int rows, IReadOnlyList<string> featureNames)
        {
            _values = values;
            _rows = rows;
            _columns = featureNames.Count;
            var names = featureNames.Select(n => n.AsMemory()).ToArray();
            var annotations = new DataViewSchema.Annotations.Builder();
            annotations.Add<VBuffer<ReadOnlyMemory<char>>>(SlotNamesKind, new VectorDataViewType(TextDataViewType.Instance, _columns),
                (ref VBuffer<ReadOnlyMemory<char>> slotNames) => slotNames = new VBuffer<ReadOnlyMemory<char>>(names.Length, names));
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(ColumnName, new VectorDataViewType(NumberDataViewType.Single, _columns), annotations.ToAnnotations());
            Schema = builder.ToSchema();
        }

        public DataViewSchema Schema { get; }

        /// <summary>
        /// The row whose features a cursor handed out last, while that cursor has rows left; null once it has
        /// none. The library checks each row as it reads it, so when it refuses data while reading, this is the row.
        /// </summary>
        public int? RowBeingRead => Volatile.Read(ref _rowBeingRead) is int row and >= 0 ? row : null;

        public bool CanShuffle => false;

        public long? GetRowCount() => _rows;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, 0, _rows);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            n = Math.Clamp(n, 1, Math.Max(1, _rows));
            return Enumerable.Range(0, n).Select(i => (DataViewRowCursor)new Cursor(this, (int)((long)_rows * i / n), (int)((long)_rows * (i + 1) / n))).ToArray();
        }

        /// <summary>The feature names a saved model's input schema carries, or null when it has none (a model not written by this tool).</summary>
        public static string[]? FeatureNames(DataViewSchema schema)
        {
            var column = schema.GetColumnOrNull(ColumnName);
            if (column is not { Type: VectorDataViewType { Size: > 0 } vector } || column.Value.Annotations.Schema.GetColumnOrNull(SlotNamesKind) is null)
                return null;
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.Value.GetSlotNames(ref names);
            var result = names.DenseValues().Select(n => n.ToString()).ToArray();
            return result.Length == vector.Size && result.All(n => n.Length > 0) ? result : null;
        }

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly FeatureMatrixView _view;
            private readonly int _end;
            private int _row;
            private long _position = -1;

            public Cursor(FeatureMatrixView view, int start, int end)
            {
                _view = view;
                _row = start - 1;
                _end = end;
            }

            /// <summary>The matrix row under the cursor.</summary>
            public int Row => _row;

            public override DataViewSchema Schema => _view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool MoveNext()
            {
                if (_row + 1 >= _end)
                {
                    Volatile.Write(ref _view._rowBeingRead, -1);
                    return false;
                }
                _row++;
                _position++;
                return true;
            }

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
                {
                    Volatile.Write(ref _view._rowBeingRead, _row);
                    var editor = VBufferEditor.Create(ref value, _view._columns);
                    _view._values.AsSpan(_row * _view._columns, _view._columns).CopyTo(editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)getter;
            }
        }
    }
}
