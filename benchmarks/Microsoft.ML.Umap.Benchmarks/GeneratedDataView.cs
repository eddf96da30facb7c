using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// A data view whose rows are generated (or copied from an array) as they are read, so a benchmark of
    /// millions of rows holds one copy of the data: the fit's. Column "Features"; the class of row i is <see cref="Label"/>.
    /// </summary>
    internal sealed class GeneratedDataView : IDataView
    {
        private readonly Action<long, Span<float>> _generate;

        public GeneratedDataView(long rows, int columns, Action<long, Span<float>> generate)
        {
            Rows = rows;
            Columns = columns;
            _generate = generate;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, columns));
            Schema = builder.ToSchema();
        }

        public long Rows { get; }

        public int Columns { get; }

        public DataViewSchema Schema { get; }

        public bool CanShuffle => false;

        public long? GetRowCount() => Rows;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

        /// <summary>Clusters of the scale benchmarks' mixture (<see cref="ScaleMixtureRows"/>).</summary>
        public const int ScaleClusters = 20;

        /// <summary>Row i of the mixture the scale benchmarks share (synthetic fits, the neighbour search, shards), so their figures compare.</summary>
        public static Action<long, Span<float>> ScaleMixtureRows(int columns) =>
            GaussianMixtureRows(columns, ScaleClusters, centreSpread: 6, seed: 12345);

        /// <summary>
        /// Row i of a Gaussian mixture: <paramref name="clusters"/> centres drawn with spread <paramref name="centreSpread"/>,
        /// unit-variance points around them; row i belongs to cluster i mod clusters.
        /// </summary>
        public static Action<long, Span<float>> GaussianMixtureRows(int columns, int clusters, double centreSpread, ulong seed)
        {
            var centres = new float[clusters * columns];
            var rng = FastRandom.ForStream(seed);
            for (int i = 0; i < centres.Length; i++)
                centres[i] = (float)(rng.NextGaussian() * centreSpread);
            return (row, destination) =>
            {
                var centre = centres.AsSpan((int)(row % clusters) * columns, columns);
                var stream = FastRandom.ForStream(seed, 1, (ulong)row);
                for (int d = 0; d < destination.Length; d++)
                    destination[d] = centre[d] + (float)stream.NextGaussian();
            };
        }

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly GeneratedDataView _view;
            private long _position = -1;

            public Cursor(GeneratedDataView view) => _view = view;

            public override DataViewSchema Schema => _view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool MoveNext() => ++_position < _view.Rows;

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, _view.Columns);
                    _view._generate(_position, editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)getter;
            }
        }
    }
}
