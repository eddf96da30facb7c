// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// A folder holding digits.csv (an id column, p0..p63 and the label) and model.zip, fitted by the tool on 300 of
    /// its rows in 60 epochs: quick to make, shared by a test class.
    /// </summary>
    public sealed class DigitsModel : IDisposable
    {
        public DigitsModel()
        {
            Folder = UmapTool.TemporaryFolder();
            (Header, Lines, Digits) = UmapTool.DigitsCsv();
            UmapTool.WriteCsv(Path.Combine(Folder, "digits.csv"), Header, Lines);
            UmapTool.Run(Folder, "fit", "digits.csv", "--exclude", "id,label", "--sample", "300", "--epochs", "60", "-o", "model.zip", "-q").Succeeded();
            Transformer = (UmapTransformer)new MLContext(seed: 0).Model.Load(Path.Combine(Folder, "model.zip"), out _);
        }

        public string Folder { get; }

        public string[] Header { get; }

        public List<string> Lines { get; }

        public LabelledData Digits { get; }

        /// <summary>The model as the library loads it, to compare the tool's embedding with.</summary>
        public UmapTransformer Transformer { get; }

        /// <summary>Writes a CSV of the digits' rows <paramref name="first"/>.. (with the header) into the folder; returns its name.</summary>
        public string Shard(string name, int rows, int first = 0)
        {
            UmapTool.WriteCsv(Path.Combine(Folder, name), Header, Lines.Skip(first).Take(rows));
            return name;
        }

        /// <summary>The files in the folder whose names end in .partial: a finished command leaves none.</summary>
        public string[] TemporaryFiles() => Directory.GetFiles(Folder, "*.partial", SearchOption.AllDirectories);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
#endif
