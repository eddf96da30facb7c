using System;
using System.Collections.Generic;
using System.IO;

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

        public static TableReader Open(string path)
        {
            var format = TableFormats.FromPath(path, "input");
            if (!File.Exists(path))
                throw new FileNotFoundException($"The input file '{path}' does not exist.", path);
            return format == TableFormat.Csv ? new CsvTableReader(path) : new ParquetTableReader(path);
        }

        /// <summary>The index of each named column; a missing name throws, listing the columns the file has.</summary>
        public int[] IndexesOf(IReadOnlyList<string> names, string role)
        {
            var indexes = new int[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                indexes[i] = IndexOf(names[i]);
                if (indexes[i] < 0)
                    throw new InvalidDataException($"{Path} has no column '{names[i]}' ({role}). Its columns: {Describe(ColumnNames)}.");
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

        /// <summary>At most the first 20 names, for messages.</summary>
        public static string Describe(IReadOnlyList<string> names) =>
            names.Count <= 20 ? string.Join(", ", names) : string.Join(", ", System.Linq.Enumerable.Take(names, 20)) + $", ... ({names.Count} in all)";
    }
}
