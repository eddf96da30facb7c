using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>A row of a sparse column: its values, its positions and its declared length.</summary>
    public sealed class SparseRow
    {
        public SparseRow(int dimension, int[] indices, float[] values)
        {
            Dimension = dimension;
            Indices = indices;
            Values = values;
        }

        public int Dimension { get; }

        public int[] Indices { get; }

        public float[] Values { get; }
    }

    /// <summary>Data shaped the way users' data breaks libraries: log-normal row scales, hashed sparse features, overflow-prone values.</summary>
    internal static class HostileData
    {
        /// <summary>Gaussian rows each scaled by exp(σ·N(0, 1)): the log-normal row norms of unnormalised counts.</summary>
        public static RowMatrix LogNormalRows(int n, int d, double sigma, int seed)
        {
            var data = TestMatrices.Gaussian(n, d, seed);
            var rng = new Random(seed + 1);
            for (int i = 0; i < n; i++)
            {
                float scale = (float)Math.Exp(sigma * Normal(rng));
                foreach (ref float v in data.Row(i))
                    v *= scale;
            }
            return data;
        }

        /// <summary><paramref name="n"/> rows with <paramref name="nonZeros"/> random positive values at random positions among <paramref name="dimension"/>.</summary>
        public static List<SparseRow> RandomSparse(int n, int dimension, int nonZeros, int seed)
        {
            var rng = new Random(seed);
            var rows = new List<SparseRow>(n);
            for (int i = 0; i < n; i++)
            {
                var positions = new SortedSet<int>();
                while (positions.Count < Math.Min(nonZeros, dimension))
                    positions.Add(rng.Next(dimension));
                rows.Add(new SparseRow(dimension, positions.ToArray(), positions.Select(_ => (float)(1 + rng.Next(5))).ToArray()));
            }
            return rows;
        }

        /// <summary>A data view with one sparse "Features" column of the rows' declared length.</summary>
        public static IDataView LoadSparse(MLContext ml, IReadOnlyList<SparseRow> rows)
        {
            int dimension = rows[0].Dimension;
            var schema = new DataViewSchema.Builder();
            schema.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dimension));
            return new SparseDataView(schema.ToSchema(), rows);
        }

        public static double Normal(Random rng) =>
            Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

        /// <summary>A minimal in-memory data view whose rows come out as sparse VBuffers (as text featurizers emit them).</summary>
        private sealed class SparseDataView : IDataView
        {
            private readonly IReadOnlyList<SparseRow> _rows;

            public SparseDataView(DataViewSchema schema, IReadOnlyList<SparseRow> rows)
            {
                Schema = schema;
                _rows = rows;
            }

            public bool CanShuffle => false;

            public DataViewSchema Schema { get; }

            public long? GetRowCount() => _rows.Count;

            public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

            public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

            private sealed class Cursor : DataViewRowCursor
            {
                private readonly SparseDataView _view;
                private long _position = -1;

                public Cursor(SparseDataView view) => _view = view;

                public override DataViewSchema Schema => _view.Schema;

                public override long Position => _position;

                public override long Batch => 0;

                public override bool MoveNext() => ++_position < _view._rows.Count;

                public override bool IsColumnActive(DataViewSchema.Column column) => true;

                public override ValueGetter<DataViewRowId> GetIdGetter() =>
                    (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

                public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
                {
                    ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
                    {
                        var row = _view._rows[(int)_position];
                        value = new VBuffer<float>(row.Dimension, row.Values.Length, (float[])row.Values.Clone(), (int[])row.Indices.Clone());
                    };
                    return (ValueGetter<TValue>)(object)getter;
                }
            }
        }
    }
}
