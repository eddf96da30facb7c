using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// Writes the input's rows unchanged with new float columns appended, batch by batch. The file appears under its
    /// name only when <see cref="Complete"/> succeeds: a failed or cancelled run leaves no partial file that looks finished.
    /// </summary>
    internal abstract class TableWriter : IDisposable
    {
        private bool _completed;

        protected TableWriter(string path)
        {
            Path = path;
            PartialPath = path + ".partial";
        }

        public string Path { get; }

        protected string PartialPath { get; }

        /// <summary>Appends a batch: its rows, each followed by its <paramref name="width"/> values of <paramref name="values"/>.</summary>
        public abstract void Write(TableBatch batch, ReadOnlySpan<float> values, int width);

        protected abstract void Close();

        public void Complete()
        {
            Close();
            File.Move(PartialPath, Path, overwrite: true);
            _completed = true;
        }

        public void Dispose()
        {
            if (_completed)
                return;
            try
            {
                Close();
            }
            finally
            {
                File.Delete(PartialPath);
            }
        }

        /// <summary>A writer of <paramref name="reader"/>'s format, which must be the output path's format too.</summary>
        public static TableWriter Create(string path, TableReader reader, IReadOnlyList<string> newColumns)
        {
            var format = TableFormats.FromPath(path, "output");
            if (format != reader.Format)
                throw new InvalidDataException($"The output '{path}' must have the input's format ({reader.Format}): rows are passed through as they are.");
            foreach (var name in newColumns)
            {
                if (reader.IndexOf(name) >= 0)
                    throw new InvalidDataException($"{reader.Path} already has a column '{name}'; choose other names for the embedding with --column-prefix.");
            }
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory != null && !Directory.Exists(directory))
                throw new DirectoryNotFoundException($"The output folder '{directory}' does not exist.");
            return reader is CsvTableReader csv ? new CsvTableWriter(path, csv.Header, newColumns) : new ParquetTableWriter(path, (ParquetTableReader)reader, newColumns);
        }
    }
}
