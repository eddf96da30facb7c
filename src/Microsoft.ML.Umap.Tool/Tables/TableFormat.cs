using System;
using Microsoft.ML.Umap.Tool.CommandLine;

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
        /// <summary>The format a file name says (.csv or .parquet), or null.</summary>
        public static TableFormat? Of(string path)
        {
            string extension = System.IO.Path.GetExtension(path);
            if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
                return TableFormat.Csv;
            if (extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
                return TableFormat.Parquet;
            return null;
        }

        /// <summary>The format a file name says; the command line's validators have refused any other name.</summary>
        public static TableFormat FromPath(string path, string role) =>
            Of(path) ?? throw new UsageException(Unknown(path, role));

        /// <summary>The message for a file name of no known format.</summary>
        public static string Unknown(string path, string role) =>
            $"The {role} file {TerminalText.Quote(path)} must end in .csv or .parquet (the format is chosen by the extension).";
    }
}
