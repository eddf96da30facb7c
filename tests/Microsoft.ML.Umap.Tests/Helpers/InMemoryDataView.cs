using System;
using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>
    /// An in-memory data view: a "Features" vector column handed out as dense or sparse buffers (as text featurizers
    /// emit them) and an optional float "Label". Built directly, so no ML.NET conversion decides the buffers' shape.
    /// </summary>
    internal sealed class InMemoryDataView : IDataView
    {
        private readonly List<(int[] Indices, float[] Values)> _rows;
        private readonly float[]? _labels;
        private readonly int _dimension;
        private readonly bool _sparse;

        public InMemoryDataView(List<(int[], float[])> rows, float[]? labels, int dimension, bool sparse)
        {
            _rows = rows;
            _labels = labels;
            _dimension = dimension;
            _sparse = sparse;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dimension));
            if (labels != null)
                builder.AddColumn("Label", NumberDataViewType.Single);
            Schema = builder.ToSchema();
        }

        public bool CanShuffle => false;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => _rows.Count;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly InMemoryDataView _view;
            private long _position = -1;

            public Cursor(InMemoryDataView view) => _view = view;

            public override DataViewSchema Schema => _view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool MoveNext() => ++_position < _view._rows.Count;

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<DataViewRowId> GetIdGetter() =>
                (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Name == "Label")
                {
                    ValueGetter<float> label = (ref float value) => value = _view._labels![(int)_position];
                    return (ValueGetter<TValue>)(object)label;
                }
                ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
                {
                    var (indices, values) = _view._rows[(int)_position];
                    value = _view._sparse
                        ? new VBuffer<float>(_view._dimension, values.Length, (float[])values.Clone(), (int[])indices.Clone())
                        : new VBuffer<float>(_view._dimension, (float[])values.Clone());
                };
                return (ValueGetter<TValue>)(object)getter;
            }
        }
    }
}
