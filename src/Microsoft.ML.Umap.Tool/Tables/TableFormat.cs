using System;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>The file formats the tool reads and writes.</summary>
    internal enum TableFormat
    {
        Csv,
        Parquet,
    }

    internal static class TableFormats
    {
        /// <summary>The format a file name says (.csv or .parquet), or an error naming the file and its role.</summary>
        public static TableFormat FromPath(string path, string role)
        {
            string extension = System.IO.Path.GetExtension(path);
            if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
                return TableFormat.Csv;
            if (extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
                return TableFormat.Parquet;
            throw new InvalidDataException($"The {role} file '{path}' must end in .csv or .parquet (the format is chosen by the extension).");
        }
    }
}
