using System;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// Consecutive rows of a table, read together: their features as floats and whatever the writer needs to pass
    /// the rows through unchanged.
    /// </summary>
    internal abstract class TableBatch
    {
        private readonly TableReader _reader;

        protected TableBatch(TableReader reader, long firstRow, int rowCount)
        {
            _reader = reader;
            FirstRow = firstRow;
            RowCount = rowCount;
        }

        /// <summary>The 0-based index of the batch's first data row in its file.</summary>
        public long FirstRow { get; }

        public int RowCount { get; }

        /// <summary>Where a row is in its file, as a number <see cref="TableReader.Locate"/> turns into words (a CSV line, a Parquet row).</summary>
        public abstract long Position(int row);

        /// <summary>Where a row of the batch is in its file, for messages: "file, line n" or "file, row r (row group g)".</summary>
        public string Location(int row) => _reader.Locate(Position(row));

        /// <summary>
        /// Writes the values of <paramref name="columns"/> (indexes into the table's columns) row by row into
        /// <paramref name="destination"/> (RowCount × columns.Length). A value that is missing, not a number, not
        /// finite or outside <paramref name="allowed"/> throws <see cref="System.IO.InvalidDataException"/> naming
        /// the file, the row and the column.
        /// </summary>
        public abstract void ReadFeatures(ReadOnlySpan<int> columns, Span<float> destination, FeatureValues allowed);

        /// <summary>The values of one column as text (numbers in invariant culture; null where the file has none).</summary>
        public abstract void ReadText(int column, Span<string?> destination);
    }
}
