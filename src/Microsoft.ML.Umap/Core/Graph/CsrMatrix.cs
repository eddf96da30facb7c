using System;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// A sparse matrix in compressed-sparse-row form: the non-zeros of row <c>i</c> are at positions
    /// <c>RowOffsets[i] .. RowOffsets[i + 1]</c> of <see cref="ColumnIndices"/> and <see cref="Values"/>,
    /// with column indices strictly increasing within a row.
    /// </summary>
    internal sealed class CsrMatrix
    {
        public CsrMatrix(int rows, int columns, int[] rowOffsets, int[] columnIndices, float[] values)
        {
            if (rowOffsets.Length != rows + 1)
                throw new ArgumentException("rowOffsets must have rows + 1 entries.", nameof(rowOffsets));
            if (columnIndices.Length != values.Length || rowOffsets[rows] != values.Length)
                throw new ArgumentException("columnIndices and values must both hold every non-zero.");
            Rows = rows;
            Columns = columns;
            RowOffsets = rowOffsets;
            ColumnIndices = columnIndices;
            Values = values;
        }

        public int Rows { get; }

        public int Columns { get; }

        public int[] RowOffsets { get; }

        public int[] ColumnIndices { get; }

        public float[] Values { get; }

        /// <summary>Number of stored non-zeros.</summary>
        public int NonZeroCount => Values.Length;

        public ReadOnlySpan<int> RowColumns(int row) => ColumnIndices.AsSpan(RowOffsets[row], RowOffsets[row + 1] - RowOffsets[row]);

        public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowOffsets[row], RowOffsets[row + 1] - RowOffsets[row]);

        /// <summary>The value at (row, column), or 0 if it is not stored (binary search in the row).</summary>
        public float this[int row, int column]
        {
            get
            {
                int pos = RowColumns(row).BinarySearch(column);
                return pos >= 0 ? Values[RowOffsets[row] + pos] : 0f;
            }
        }

        /// <summary>The transpose, also in CSR form (so rows of the result are columns of this).</summary>
        public CsrMatrix Transpose()
        {
            var offsets = new int[Columns + 1];
            foreach (int c in ColumnIndices)
                offsets[c + 1]++;
            for (int c = 0; c < Columns; c++)
                offsets[c + 1] += offsets[c];

            var next = (int[])offsets.Clone();
            var columns = new int[NonZeroCount];
            var values = new float[NonZeroCount];
            // Visiting rows in order writes each transposed row's columns in increasing order.
            for (int r = 0; r < Rows; r++)
            {
                for (int p = RowOffsets[r]; p < RowOffsets[r + 1]; p++)
                {
                    int dst = next[ColumnIndices[p]]++;
                    columns[dst] = r;
                    values[dst] = Values[p];
                }
            }
            return new CsrMatrix(Columns, Rows, offsets, columns, values);
        }

        /// <summary>Builds a CSR matrix from per-row entries that may come in any column order (no duplicates).</summary>
        public static CsrMatrix FromRows(int rows, int columns, int[] rowOffsets, int[] columnIndices, float[] values)
        {
            for (int r = 0; r < rows; r++)
            {
                int start = rowOffsets[r];
                int length = rowOffsets[r + 1] - start;
                SortRow(columnIndices.AsSpan(start, length), values.AsSpan(start, length));
            }
            return new CsrMatrix(rows, columns, rowOffsets, columnIndices, values);
        }

        // Rows longer than this go to the framework's sort; shorter ones (a k-nearest-neighbour row) are sorted here.
        private const int InsertionSortUpTo = 64;

        /// <summary>
        /// Sorts a row by column (columns are distinct, so the order is unique). Short rows are insertion-sorted here
        /// rather than by the framework's generic sort, whose (int, float) version no precompiled image holds: a first
        /// fit would run it unoptimised for every row of the graph.
        /// </summary>
        private static void SortRow(Span<int> columns, Span<float> values)
        {
            if (columns.Length > InsertionSortUpTo)
            {
                columns.Sort(values);
                return;
            }
            for (int i = 1; i < columns.Length; i++)
            {
                int column = columns[i];
                float value = values[i];
                int j = i - 1;
                for (; j >= 0 && columns[j] > column; j--)
                {
                    columns[j + 1] = columns[j];
                    values[j + 1] = values[j];
                }
                columns[j + 1] = column;
                values[j + 1] = value;
            }
        }
    }
}
