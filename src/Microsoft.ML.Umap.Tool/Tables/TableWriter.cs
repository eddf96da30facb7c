using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// Writes the input's rows unchanged with new float columns appended, batch by batch, to an output stream (an
    /// <see cref="Files.OutputFile"/>'s, which puts the file in place only once it is complete).
    /// </summary>
    internal abstract class TableWriter
    {
        /// <summary>Appends a batch: its rows, each followed by its <paramref name="width"/> values of <paramref name="values"/>.</summary>
        public abstract void Write(TableBatch batch, ReadOnlySpan<float> values, int width);

        /// <summary>Ends the file (its last buffered bytes, a Parquet footer).</summary>
        public abstract void Complete();

        /// <summary>A writer of <paramref name="reader"/>'s format: the rows pass through as they are.</summary>
        public static TableWriter Create(Stream output, TableReader reader, IReadOnlyList<string> newColumns)
        {
            foreach (var name in newColumns)
            {
                if (reader.IndexOf(name) >= 0)
                    throw new InvalidDataException($"{reader.Path} already has a column {TerminalText.Quote(name)}; choose other names for the embedding with --column-prefix.");
            }
            return reader is CsvTableReader csv ? new CsvTableWriter(output, csv, newColumns) : new ParquetTableWriter(output, (ParquetTableReader)reader, newColumns);
        }
    }
}
