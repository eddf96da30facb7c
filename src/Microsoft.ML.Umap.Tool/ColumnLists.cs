using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>Column names given on the command line, repeated or comma-separated (--features a,b --features c).</summary>
    internal static class ColumnLists
    {
        public static string[] Split(string[]? values) =>
            (values ?? Array.Empty<string>())
                .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToArray();

        /// <summary>The names of the embedding's columns: prefix0, prefix1, ...</summary>
        public static IReadOnlyList<string> Embedding(string prefix, int components) =>
            Enumerable.Range(0, components).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
