using System;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Checks and reads the feature column: a known- or variable-size vector of <see cref="float"/>, every row
    /// of the same length and every value finite. Errors name the column, the row and the problem.
    /// </summary>
    internal static class FeatureColumnReader
    {
        private const string Expected = "known-size or variable-size vector of Single";

        /// <summary>Validates the column in an estimator's <see cref="SchemaShape"/>.</summary>
        public static void Check(SchemaShape schema, string name)
        {
            foreach (var column in schema)
            {
                if (column.Name != name)
                    continue;
                if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.IsKey || column.ItemType != NumberDataViewType.Single)
                    throw Mismatch(name, Describe(column));
                return;
            }
            throw NotFound(name);
        }

        /// <summary>Validates the column in a <see cref="DataViewSchema"/> and returns it.</summary>
        public static DataViewSchema.Column Check(DataViewSchema schema, string name)
        {
            var column = schema.GetColumnOrNull(name) ?? throw NotFound(name);
            if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
                throw Mismatch(name, column.Type.ToString() ?? "unknown");
            return column;
        }

        /// <summary>
        /// Reads every row of the column, reporting progress and honouring cancellation. The storage follows the data
        /// (see <see cref="RowCollector.SparseBelowDensity"/>): a mostly-zero column that delivers sparse vectors is stored
        /// sparsely (never densified into an n × d matrix), anything else densely. With <paramref name="threads"/> above one,
        /// a spare core takes part of the first touch of the dense matrix (see <see cref="PageToucher"/>).
        /// </summary>
        public static VectorSet Read(IDataView data, string name, MetricDomain domain, Core.Fitting.FitMonitor monitor, int threads)
        {
            var column = Check(data.Schema, name);
            int declaredSize = ((VectorDataViewType)column.Type).Size;
            long? rowCount = data.GetRowCount();
            // Progress needs the total up front; a view that does not know it is counted (no column is read).
            long progressTotal = rowCount ?? (monitor.WantsProgress ? CountRows(data) : 0);
            int width = declaredSize;
            using var collector = new RowCollector(rowCount, threads);
            long rows = 0;
            VBuffer<float> buffer = default;
            using (var cursor = data.GetRowCursor(new[] { column }))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                while (cursor.MoveNext())
                {
                    if ((rows & 1023) == 0)
                    {
                        monitor.ThrowIfCancellationRequested();
                        monitor.Report(UmapStage.ReadingData, rows, progressTotal);
                    }
                    getter(ref buffer);
                    if (rows == 0 && width == 0)
                        width = buffer.Length;
                    CheckLength(name, rows, buffer.Length, width, declaredSize);
                    if (width == 0)
                        throw new InvalidOperationException($"Column '{name}' holds empty vectors; UMAP needs at least one feature.");
                    CheckValues(name, rows, buffer, domain);
                    collector.Add(buffer, width);
                    rows++;
                }
            }

            if (rows > int.MaxValue)
                throw new InvalidOperationException($"Column '{name}' has {rows} rows, more than UMAP can hold.");
            monitor.Report(UmapStage.ReadingData, rows, rows);
            var result = collector.ToVectorSet(width);
            if (collector.ArrivedSparse)
            {
                monitor.Info($"Column '{name}' came partly or wholly as sparse buffers and is {collector.Density(width):P1} non-zero: stored " +
                    (result.IsSparse ? $"sparse (columns under {RowCollector.SparseBelowDensity:P0} non-zero are)." : $"dense, as if it had come dense (sparse storage is for columns under {RowCollector.SparseBelowDensity:P0} non-zero)."));
            }
            return result;
        }

        private static long CountRows(IDataView data)
        {
            long count = 0;
            using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
            while (cursor.MoveNext())
                count++;
            return count;
        }

        /// <summary>
        /// A row of the column as a vector view stored like the model's training rows (dense or sparse, zeros
        /// dropped from sparse rows), using the scratch arrays (grown as needed) for any conversion.
        /// </summary>
        public static VectorView ToView(in VBuffer<float> row, bool sparse, ref float[]? denseScratch, ref int[]? indexScratch, ref float[]? valueScratch)
        {
            int length = row.Length;
            var values = row.GetValues();
            if (!sparse)
            {
                if (row.IsDense)
                    return VectorView.Dense(values);
                if (denseScratch is null || denseScratch.Length < length)
                    denseScratch = new float[length];
                var dense = denseScratch.AsSpan(0, length);
                row.CopyTo(dense);
                return VectorView.Dense(dense);
            }

            if (indexScratch is null || indexScratch.Length < values.Length)
            {
                indexScratch = new int[values.Length];
                valueScratch = new float[values.Length];
            }
            var rowIndices = row.IsDense ? default : row.GetIndices();
            int count = 0;
            for (int p = 0; p < values.Length; p++)
            {
                if (values[p] == 0f)
                    continue;
                indexScratch![count] = row.IsDense ? p : rowIndices[p];
                valueScratch![count] = values[p];
                count++;
            }
            return VectorView.Sparse(indexScratch.AsSpan(0, count), valueScratch.AsSpan(0, count), length);
        }

        /// <summary>Throws if a row's vector length differs from the expected width.</summary>
        public static void CheckLength(string name, long row, int length, int width, int declaredSize = 0)
        {
            if (length == width)
                return;
            string expected = declaredSize > 0 ? $"the column's declared size {declaredSize}" : $"the {width} values of the earlier rows";
            throw new InvalidOperationException($"Column '{name}'{Where(row)} has a vector of {length} values, but UMAP needs every row to have the same length ({expected}).");
        }

        /// <summary>
        /// Throws if a row holds NaN or an infinity, or values the metric cannot measure (see <see cref="MetricDomain"/>),
        /// naming the column, the row and the value.
        /// </summary>
        public static void CheckValues(string name, long row, in VBuffer<float> buffer, MetricDomain domain)
        {
            var values = buffer.GetValues();
            var indices = buffer.IsDense ? default : buffer.GetIndices();
            CheckFinite(name, row, values, indices);
            string? violation = domain.Violation(values, indices);
            if (violation != null)
                throw new InvalidOperationException($"Column '{name}'{Where(row)} {violation}.");
        }

        private static string Where(long row) => row >= 0 ? $", row index {row}," : "";

        /// <summary>Throws if a row holds NaN or an infinity, naming the first one (by its slot for sparse rows).</summary>
        public static void CheckFinite(string name, long row, ReadOnlySpan<float> values, ReadOnlySpan<int> indices = default)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    int slot = indices.IsEmpty ? i : indices[i];
                    throw new InvalidOperationException(
                        $"Column '{name}'{Where(row)} holds {values[i]} at slot {slot}; UMAP needs finite values. Remove or impute missing values first (for example with mlContext.Transforms.ReplaceMissingValues).");
                }
            }
        }

        private static string Describe(SchemaShape.Column column)
        {
            string item = column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType?.ToString() ?? "unknown";
            return column.Kind switch
            {
                SchemaShape.Column.VectorKind.Scalar => item,
                SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
                _ => $"VarVector<{item}>",
            };
        }

        private static ArgumentOutOfRangeException Mismatch(string name, string found) => SchemaErrors.Mismatch("input", name, Expected, found);

        private static ArgumentOutOfRangeException NotFound(string name) => SchemaErrors.ColumnNotFound("input", name);
    }
}
