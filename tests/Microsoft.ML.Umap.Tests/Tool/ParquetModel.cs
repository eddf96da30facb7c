// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.IO;
using Parquet;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>A folder holding model.zip: the features f0 and f1 of <see cref="ParquetForgery.Write"/>, fitted by the tool on 200 rows.</summary>
    public sealed class ParquetModel : IDisposable
    {
        public ParquetModel()
        {
            Folder = UmapTool.TemporaryFolder();
            File.WriteAllBytes(Path.Combine(Folder, "train.parquet"), ParquetForgery.Write(1, 200, CompressionMethod.Snappy, nullable: false, seed: 1));
            UmapTool.Run(Folder, "fit", "train.parquet", "--exclude", "id", "--epochs", "30", "-o", "model.zip", "-q").Succeeded();
        }

        public string Folder { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
#endif
