using System;
using System.CommandLine;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary>
    /// <c>umap transform</c>: a model and a shard in, the shard's rows with their embedding out, batch by batch so
    /// memory stays bounded whatever the shard's size. Each row's place depends only on the row and the model, so
    /// shards transformed anywhere, in any batches and on any number of threads, agree bit for bit.
    /// </summary>
    internal static class TransformCommand
    {
        public static System.CommandLine.Command Create()
        {
            var input = new Argument<string>("input") { Description = "The rows to embed: a .csv file with a header row, or a .parquet file; it must have the model's feature columns." };
            var model = new Option<string>("--model", "-m") { Description = "A model file written by 'umap fit'.", Required = true };
            var output = new Option<string>("--output", "-o") { Description = "Where to write the rows with their embedding (same format as the input). It appears only when the whole shard is done.", Required = true };
            var prefix = new Option<string>("--column-prefix") { Description = "Names of the embedding columns: prefix0, prefix1, ...", DefaultValueFactory = _ => "umap_" };
            var batchSize = new Option<int>("--batch-size") { Description = "Rows read, embedded and written at a time (CSV; Parquet goes row group by row group). Bounds the memory.", DefaultValueFactory = _ => 8192 };
            var threads = new Option<int?>("--threads") { Description = "Threads to use (default: all cores). The result does not depend on it." };
            var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error." };

            var command = new System.CommandLine.Command("transform", "Embed the rows of a CSV or Parquet file with a fitted model, streaming.")
            {
                input, model, output, prefix, batchSize, threads, quiet,
            };
            command.SetAction((parse, cancellationToken) =>
            {
                int batch = parse.GetValue(batchSize);
                if (batch < 1)
                    throw new ArgumentException($"--batch-size must be at least 1 (was {batch}).");
                int? threadCount = parse.GetValue(threads);
                if (threadCount is < 1)
                    throw new ArgumentException($"--threads must be at least 1 (was {threadCount}).");
                return Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(prefix)!,
                    batch, threadCount ?? Environment.ProcessorCount, parse.GetValue(quiet), cancellationToken));
            });
            return command;
        }

        private static int Run(string inputPath, string modelPath, string outputPath, string prefix, int batchSize, int threads, bool silent, CancellationToken cancellationToken)
        {
            TableFormats.FromPath(inputPath, "input");
            TableFormats.FromPath(outputPath, "output");
            var ml = new MLContext(seed: 0);
            var model = ToolModel.Load(ml, modelPath);
            int components = model.Transformer.Parameters.NumberOfComponents;
            var clock = Stopwatch.StartNew();
            long rows = 0;
            using (var reader = TableReader.Open(inputPath))
            {
                var columns = reader.IndexesOf(model.FeatureNames, $"a feature of the model {modelPath}");
                using var writer = TableWriter.Create(outputPath, reader, ColumnLists.Embedding(prefix, components));
                var features = Array.Empty<float>();
                var embedding = Array.Empty<float>();
                var lastReport = TimeSpan.Zero;
                for (TableBatch? batch; (batch = reader.ReadBatch(batchSize)) != null;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (features.Length != batch.RowCount * columns.Length)
                    {
                        features = new float[batch.RowCount * columns.Length];
                        embedding = new float[batch.RowCount * components];
                    }
                    batch.ReadFeatures(columns, features);
                    Embed(model, features, batch.RowCount, embedding, threads, cancellationToken);
                    writer.Write(batch, embedding, components);
                    rows += batch.RowCount;
                    if (!silent && clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                    {
                        lastReport = clock.Elapsed;
                        Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,7:F1} s] {rows:N0} rows ({rows / clock.Elapsed.TotalSeconds:F0} rows/s)");
                    }
                }
                writer.Complete();
            }
            if (!silent)
                Console.Error.WriteLine($"Embedded {rows:N0} rows of {inputPath} in {clock.Elapsed.TotalSeconds:F1} s ({rows / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} rows/s), peak memory {PeakMemory.Megabytes():F0} MB; written to {outputPath}");
            return 0;
        }

        /// <summary>Embeds a batch, its rows split into one contiguous range per thread.</summary>
        private static void Embed(ToolModel model, float[] features, int rows, float[] embedding, int threads, CancellationToken cancellationToken)
        {
            int components = model.Transformer.Parameters.NumberOfComponents;
            var transformed = model.Transformer.Transform(new FeatureMatrixView(features, rows, model.FeatureNames));
            var column = transformed.Schema[model.Transformer.OutputColumnName];
            var cursors = transformed.GetRowCursorSet(new[] { column }, Math.Min(threads, rows));
            try
            {
                Parallel.ForEach(cursors, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, cursor =>
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(column);
                    var id = cursor.GetIdGetter();
                    VBuffer<float> value = default;
                    DataViewRowId row = default;
                    while (cursor.MoveNext())
                    {
                        getter(ref value);
                        id(ref row);
                        value.GetValues().CopyTo(embedding.AsSpan((int)row.Low * components, components));
                    }
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            finally
            {
                foreach (var cursor in cursors)
                    cursor.Dispose();
            }
        }
    }
}
