using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>Reads a CSV or Parquet file batch by batch, so a file larger than memory can be streamed.</summary>
    internal abstract class TableReader : IDisposable
    {
        protected TableReader(string path) => Path = path;

        public string Path { get; }

        public abstract TableFormat Format { get; }

        public abstract IReadOnlyList<string> ColumnNames { get; }

        /// <summary>The next batch of at most <paramref name="maximumRows"/> rows (Parquet: at most one row group), or null at the end.</summary>
        public abstract TableBatch? ReadBatch(int maximumRows);

        public abstract void Dispose();

        /// <summary>A row's place in the file (<see cref="TableBatch.Position"/>) in words, for messages.</summary>
        public abstract string Locate(long position);

        /// <summary>A reader of the file's format; its reads stop with <see cref="OperationCanceledException"/> once <paramref name="cancellation"/> is cancelled.</summary>
        public static TableReader Open(string path, CancellationToken cancellation)
        {
            var format = TableFormats.FromPath(path, "input");
            if (!File.Exists(path))
                throw new FileNotFoundException($"The input file {TerminalText.Quote(path)} does not exist.", path);
            return format == TableFormat.Csv ? new CsvTableReader(path, cancellation) : new ParquetTableReader(path, cancellation);
        }

        /// <summary>The index of each named column; a missing name throws, listing the columns the file has.</summary>
        public int[] IndexesOf(IReadOnlyList<string> names, string role)
        {
            var indexes = new int[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                indexes[i] = IndexOf(names[i]);
                if (indexes[i] < 0)
                    throw new InvalidDataException($"{Path} has no column {TerminalText.Quote(names[i])} ({role}). Its columns: {Describe(ColumnNames)}.");
            }
            return indexes;
        }

        public int IndexOf(string name)
        {
            for (int i = 0; i < ColumnNames.Count; i++)
            {
                if (ColumnNames[i] == name)
                    return i;
            }
            return -1;
        }

        /// <summary>At most the first 20 names, quoted, for messages.</summary>
        public static string Describe(IReadOnlyList<string> names) =>
            string.Join(", ", names.Take(20).Select(TerminalText.Quote)) + (names.Count > 20 ? $", ... ({names.Count} in all)" : "");
    }
}
