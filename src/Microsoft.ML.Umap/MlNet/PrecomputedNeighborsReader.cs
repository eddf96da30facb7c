using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Reads precomputed nearest neighbours (umap-learn's <c>precomputed_knn</c>): a vector column of neighbour row
    /// indices (any integer or floating-point type holding whole numbers) and a vector column of their distances
    /// (Single or Double), nearest first. Every entry is checked, and an error names the column, the row and the value.
    /// </summary>
    internal static class PrecomputedNeighborsReader
    {
        private const string IndicesExpected = "a vector of row indices (Int32, Int64, UInt32, Single or Double)";
        private const string DistancesExpected = "a vector of distances (Single or Double)";
        private const string IndicesRole = "precomputed neighbour indices";
        private const string DistancesRole = "precomputed neighbour distances";

        /// <summary>Validates both columns in an estimator's <see cref="SchemaShape"/>.</summary>
        public static void Check(SchemaShape schema, string indicesName, string distancesName)
        {
            Check(schema, indicesName, IndicesRole, IndicesExpected, IsIndexType);
            Check(schema, distancesName, DistancesRole, DistancesExpected, IsDistanceType);
        }

        /// <summary>
        /// The training rows' k-NN graph with <paramref name="k"/> neighbours per row (the first k of each row), after
        /// checking that each row starts with itself at distance 0 and lists distinct rows of the data at finite,
        /// non-negative, ascending distances.
        /// </summary>
        public static KnnGraph ReadTraining(IDataView data, string indicesName, string distancesName, int rows, int k, int asked, FitMonitor monitor)
        {
            var (indexColumn, distanceColumn) = Columns(data.Schema, indicesName, distancesName);
            var indices = new int[checked(rows * k)];
            var distances = new float[indices.Length];
            using var cursor = data.GetRowCursor(new[] { indexColumn, distanceColumn });
            var read = new RowReader(cursor, indexColumn, distanceColumn, k, rows, asked);
            int row = 0;
            while (cursor.MoveNext())
            {
                if (row == rows)
                    throw new InvalidOperationException($"Columns '{indicesName}' and '{distancesName}' have more rows than the feature column ({rows}).");
                var (rowIndices, rowDistances) = read.Next(row);
                if (rowIndices[0] != row || rowDistances[0] != 0f)
                    throw new InvalidOperationException($"Column '{indicesName}', row index {row}, starts with row {rowIndices[0]} at distance {Text(rowDistances[0])}; each row's neighbours must start with the row itself at distance 0, as a nearest-neighbour query of the data against itself returns them.");
                rowIndices.CopyTo(indices.AsSpan(row * k, k));
                rowDistances.CopyTo(distances.AsSpan(row * k, k));
                row++;
                if ((row & 4095) == 0)
                    monitor.ThrowIfCancellationRequested();
            }
            if (row != rows)
                throw new InvalidOperationException($"Columns '{indicesName}' and '{distancesName}' have {row} rows; the feature column has {rows}.");
            return new KnnGraph(indices, distances, rows, k);
        }

        /// <summary>
        /// A reader of new rows' neighbours among <paramref name="trainingRows"/> training rows, k per row, for
        /// transforming data that carries both columns; null when the data has neither. Having only one is an error.
        /// </summary>
        public static RowReader? ForTransform(DataViewRow input, string indicesName, string distancesName, int k, int trainingRows)
        {
            var schema = input.Schema;
            bool hasIndices = schema.GetColumnOrNull(indicesName) != null, hasDistances = schema.GetColumnOrNull(distancesName) != null;
            if (!hasIndices && !hasDistances)
                return null;
            var (indexColumn, distanceColumn) = Columns(schema, indicesName, distancesName);
            return new RowReader(input, indexColumn, distanceColumn, k, trainingRows, k);
        }

        /// <summary>Both columns of a data view's schema, checked; one without the other is refused.</summary>
        public static (DataViewSchema.Column Indices, DataViewSchema.Column Distances) Columns(DataViewSchema schema, string indicesName, string distancesName)
        {
            var indices = schema.GetColumnOrNull(indicesName);
            var distances = schema.GetColumnOrNull(distancesName);
            if (indices is null)
            {
                throw SchemaErrors.ColumnNotFound(IndicesRole, indicesName, distances is null
                    ? $"Nor is the {DistancesRole} column '{distancesName}': the options name both, so the data needs both."
                    : $"Precomputed neighbours come as two columns; the data has '{distancesName}' but not '{indicesName}'.");
            }
            if (distances is null)
                throw SchemaErrors.ColumnNotFound(DistancesRole, distancesName, $"Precomputed neighbours come as two columns; the data has '{indicesName}' but not '{distancesName}'.");
            if (indices.Value.Type is not VectorDataViewType { ItemType: var indexType } || !IsIndexType(indexType))
                throw SchemaErrors.Mismatch(IndicesRole, indicesName, IndicesExpected, indices.Value.Type.ToString() ?? "unknown");
            if (distances.Value.Type is not VectorDataViewType { ItemType: var distanceType } || !IsDistanceType(distanceType))
                throw SchemaErrors.Mismatch(DistancesRole, distancesName, DistancesExpected, distances.Value.Type.ToString() ?? "unknown");
            return (indices.Value, distances.Value);
        }

        private static void Check(SchemaShape schema, string name, string role, string expected, Func<DataViewType, bool> itemOk)
        {
            foreach (var column in schema)
            {
                if (column.Name != name)
                    continue;
                if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.IsKey || !itemOk(column.ItemType))
                    throw SchemaErrors.Mismatch(role, name, expected, column.ItemType?.ToString() ?? "unknown");
                return;
            }
            throw SchemaErrors.ColumnNotFound(role, name);
        }

        private static bool IsIndexType(DataViewType type) =>
            type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32 || IsDistanceType(type);

        private static bool IsDistanceType(DataViewType type) => type == NumberDataViewType.Single || type == NumberDataViewType.Double;

        private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>Reads and checks one row's neighbours at a time into reused buffers.</summary>
        internal sealed class RowReader
        {
            private readonly DataViewSchema.Column _indexColumn, _distanceColumn;
            private readonly Func<double[]> _readIndices, _readDistances;
            private readonly int _k, _rows, _asked;
            private readonly int[] _indices;
            private readonly float[] _distances;
            private readonly HashSet<int> _seen = new();

            public RowReader(DataViewRow row, DataViewSchema.Column indexColumn, DataViewSchema.Column distanceColumn, int k, int rows, int asked)
            {
                _indexColumn = indexColumn;
                _distanceColumn = distanceColumn;
                _readIndices = VectorGetter(row, indexColumn);
                _readDistances = VectorGetter(row, distanceColumn);
                _k = k;
                _rows = rows;
                _asked = asked;
                _indices = new int[k];
                _distances = new float[k];
            }

            /// <summary>The current row's first k neighbours and distances (buffers reused by the next call).</summary>
            public (int[] Indices, float[] Distances) Next(long row)
            {
                var indices = _readIndices();
                var distances = _readDistances();
                string name = _indexColumn.Name, distanceName = _distanceColumn.Name;
                if (indices.Length != distances.Length)
                    throw new InvalidOperationException($"Row index {row}: column '{name}' has {indices.Length} neighbours but '{distanceName}' has {distances.Length} distances; they must pair up.");
                if (indices.Length < _k)
                    throw new InvalidOperationException($"Column '{name}', row index {row}, has {indices.Length} neighbours; NumberOfNeighbors is {_asked}, so each row needs at least {_k} (nearest first). Supply more neighbours or lower NumberOfNeighbors.");
                _seen.Clear();
                for (int j = 0; j < _k; j++)
                {
                    double index = indices[j], distance = distances[j];
                    if (!(index >= 0 && index < _rows && index == Math.Floor(index)))
                        throw new InvalidOperationException($"Column '{name}', row index {row}, position {j}, holds {Text(index)}; neighbour indices must be whole row numbers of the training data, 0 to {_rows - 1}.");
                    if (!_seen.Add((int)index))
                        throw new InvalidOperationException($"Column '{name}', row index {row}, lists row {(int)index} twice among its first {_k} neighbours; each neighbour must be a different row.");
                    if (!double.IsFinite(distance) || distance < 0 || distance > float.MaxValue)
                        throw new InvalidOperationException($"Column '{distanceName}', row index {row}, position {j}, holds {Text(distance)}; distances must be finite and non-negative.");
                    if (j > 0 && (float)distance < _distances[j - 1])
                        throw new InvalidOperationException($"Column '{distanceName}', row index {row}, position {j}: distance {Text(distance)} follows {Text(_distances[j - 1])}; neighbours must be listed nearest first.");
                    _indices[j] = (int)index;
                    _distances[j] = (float)distance;
                }
                return (_indices, _distances);
            }

            private static Func<double[]> VectorGetter(DataViewRow row, DataViewSchema.Column column)
            {
                var type = ((VectorDataViewType)column.Type).ItemType;
                if (type == NumberDataViewType.Int32)
                    return Reader<int>(row, column, v => v);
                if (type == NumberDataViewType.Int64)
                    return Reader<long>(row, column, v => v);
                if (type == NumberDataViewType.UInt32)
                    return Reader<uint>(row, column, v => v);
                if (type == NumberDataViewType.Single)
                    return Reader<float>(row, column, v => v);
                return Reader<double>(row, column, v => v);
            }

            private static Func<double[]> Reader<T>(DataViewRow row, DataViewSchema.Column column, Func<T, double> convert)
            {
                var getter = row.GetGetter<VBuffer<T>>(column);
                VBuffer<T> buffer = default;
                double[] values = Array.Empty<double>();
                return () =>
                {
                    getter(ref buffer);
                    if (values.Length != buffer.Length)
                        values = new double[buffer.Length];
                    int j = 0;
                    foreach (var value in buffer.DenseValues())
                        values[j++] = convert(value);
                    return values;
                };
            }
        }
    }
}
