using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
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
                throw Mismatch(name, column.Type.ToString());
            return column;
        }

        /// <summary>
        /// Reads every row of the column into a dense matrix, reporting progress and honouring cancellation.
        /// </summary>
        public static RowMatrix Read(IDataView data, string name, Core.FitMonitor monitor)
        {
            var column = Check(data.Schema, name);
            int declaredSize = ((VectorDataViewType)column.Type).Size;
            long? rowCount = data.GetRowCount();
            int width = declaredSize;

            // With a known row count (and width) the rows go straight into the final matrix; otherwise into
            // chunks that are joined at the end. Fresh memory is costly to touch, so the matrix is written once.
            float[] values = null;
            var chunks = new List<float[]>();
            const int ChunkRows = 4096;
            float[] chunk = null;
            int inChunk = 0;
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
                        monitor.Report(UmapStage.ReadingData, rows, rowCount ?? 0);
                    }
                    getter(ref buffer);
                    if (rows == 0 && width == 0)
                        width = buffer.Length;
                    CheckLength(name, rows, buffer.Length, width, declaredSize);
                    if (width == 0)
                        throw new InvalidOperationException($"Column '{name}' holds empty vectors; UMAP needs at least one feature.");

                    Span<float> row;
                    if (rowCount is long known && known * width <= Array.MaxLength)
                    {
                        values ??= GC.AllocateUninitializedArray<float>((int)(known * width));
                        if (rows >= known)
                            throw new InvalidOperationException($"The data view announced {known} rows but yields more.");
                        row = values.AsSpan((int)(rows * width), width);
                    }
                    else
                    {
                        if (chunk is null || inChunk == ChunkRows)
                        {
                            chunk = new float[checked(ChunkRows * width)];
                            chunks.Add(chunk);
                            inChunk = 0;
                        }
                        row = chunk.AsSpan(inChunk * width, width);
                        inChunk++;
                    }
                    buffer.CopyTo(row);
                    CheckFinite(name, rows, row);
                    rows++;
                }
            }

            if (rows > int.MaxValue || rows * (long)width > Array.MaxLength)
                throw new InvalidOperationException($"Column '{name}' has {rows} rows of {width} values, more than one array can hold.");
            monitor.Report(UmapStage.ReadingData, rows, rows);
            if (values != null && rows * width == values.Length)
                return new RowMatrix(values, (int)rows, width);

            var joined = new float[rows * width];
            long copied = 0;
            if (values != null)
            {
                // Fewer rows than announced: keep what was read.
                Array.Copy(values, joined, joined.Length);
                copied = joined.Length;
            }
            foreach (var c in chunks)
            {
                long take = Math.Min(c.Length, joined.Length - copied);
                Array.Copy(c, 0, joined, copied, take);
                copied += take;
            }
            return new RowMatrix(joined, (int)rows, width);
        }

        /// <summary>Throws if a row's vector length differs from the expected width.</summary>
        public static void CheckLength(string name, long row, int length, int width, int declaredSize = 0)
        {
            if (length == width)
                return;
            string where = row >= 0 ? $", row index {row}," : "";
            string expected = declaredSize > 0 ? $"the column's declared size {declaredSize}" : $"the {width} values of the earlier rows";
            throw new InvalidOperationException($"Column '{name}'{where} has a vector of {length} values, but UMAP needs every row to have the same length ({expected}).");
        }

        /// <summary>Throws if a row holds NaN or an infinity, naming the first one.</summary>
        public static void CheckFinite(string name, long row, ReadOnlySpan<float> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    string where = row >= 0 ? $", row index {row}," : "";
                    throw new InvalidOperationException(
                        $"Column '{name}'{where} holds {values[i]} at slot {i}; UMAP needs finite values. Remove or impute missing values first (for example with mlContext.Transforms.ReplaceMissingValues).");
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

        private static ArgumentOutOfRangeException Mismatch(string name, string found) =>
            new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for input column '{name}': expected {Expected}, got {found}.");

        private static ArgumentOutOfRangeException NotFound(string name) =>
            new ArgumentOutOfRangeException("inputSchema", $"Input column '{name}' not found.");
    }
}
