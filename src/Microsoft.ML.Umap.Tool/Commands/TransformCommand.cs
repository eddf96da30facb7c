using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tool.CommandLine;
using Microsoft.ML.Umap.Tool.Files;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary>
    /// <c>umap transform</c>: a model and a shard in, the shard's rows with their embedding out, batch by batch so
    /// memory stays bounded whatever the shard's size. Each row's place depends only on the row and the model, so
    /// shards transformed anywhere, in any batches and on any number of threads, agree bit for bit.
    /// </summary>
    internal sealed class TransformCommand
    {
        private readonly Argument<string> _input = ToolOptions.InputTable("The rows to embed: a .csv file with a header row, or a .parquet file; it must have the model's feature columns.");
        private readonly Option<string> _model = new("--model", "-m") { Description = "A model file written by 'umap fit'.", Required = true };
        private readonly Option<string> _output = ToolOptions.Output("Where to write the rows with their embedding (same format as the input). It appears only when the whole shard is done.", ".csv", ".parquet");
        private readonly Option<string> _prefix = ToolOptions.ColumnPrefix("Names of the embedding columns: prefix0, prefix1, ...");
        private readonly Option<int> _batchSize = ToolOptions.Integer("--batch-size", "Rows read, embedded and written at a time (CSV; Parquet goes row group by row group). Bounds the memory.", 8192, minimum: 1);
        private readonly Option<int?> _threads = ToolOptions.Threads();
        private readonly Option<bool> _quiet = ToolOptions.Quiet();

        public TransformCommand()
        {
            Command = new System.CommandLine.Command("transform", "Embed the rows of a CSV or Parquet file with a fitted model, streaming.")
            {
                _input, _model, _output, _prefix, _batchSize, _threads, _quiet,
            };
            Command.Validators.Add(result =>
            {
                // Either may be missing (--help, or a required option left out): the parser reports that on its own.
                if (result.GetValue(_input) is not { } input || result.GetValue(_output) is not { } output)
                    return;
                if (TableFormats.Of(input) is { } inputFormat && TableFormats.Of(output) is { } outputFormat && inputFormat != outputFormat)
                    result.AddError($"The output {TerminalText.Quote(output)} must have the input's format ({inputFormat}): rows are passed through as they are.");
            });
            Command.SetAction((parse, cancellationToken) => Task.FromResult(Run(Bind(parse), parse.InvocationConfiguration.Error, cancellationToken)));
        }

        public System.CommandLine.Command Command { get; }

        private TransformSettings Bind(ParseResult parse) =>
            new(parse.GetValue(_input)!, parse.GetValue(_model)!, parse.GetValue(_output)!, parse.GetValue(_prefix)!, parse.GetValue(_batchSize),
                parse.GetValue(_threads) ?? Environment.ProcessorCount, parse.GetValue(_quiet));

        public static int Run(TransformSettings settings, TextWriter log, CancellationToken cancellationToken)
        {
            using var output = OutputFile.Create(settings.Output, new[] { settings.Input, settings.Model });
            var ml = new MLContext(seed: 0);
            var model = ToolModel.Load(ml, settings.Model);
            int components = model.Transformer.Parameters.NumberOfComponents;
            var clock = Stopwatch.StartNew();
            long rows = 0;
            using (var reader = TableReader.Open(settings.Input, cancellationToken))
            {
                var columns = reader.IndexesOf(model.FeatureNames, $"a feature of the model {settings.Model}");
                var allowed = FeatureValuesExtensions.For(model.Transformer.Parameters.Metric);
                var writer = TableWriter.Create(output.Stream, reader, EmbeddingColumns(settings.ColumnPrefix, components));
                var features = Array.Empty<float>();
                var embedding = Array.Empty<float>();
                var lastReport = TimeSpan.Zero;
                for (TableBatch? batch; (batch = reader.ReadBatch(settings.BatchSize)) != null;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (features.Length != batch.RowCount * columns.Length)
                    {
                        features = new float[batch.RowCount * columns.Length];
                        embedding = new float[batch.RowCount * components];
                    }
                    batch.ReadFeatures(columns, features, allowed);
                    Embed(model, batch, features, embedding, settings.Threads, cancellationToken);
                    writer.Write(batch, embedding, components);
                    rows += batch.RowCount;
                    if (!settings.Quiet && clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                    {
                        lastReport = clock.Elapsed;
                        log.WriteLine($"[{clock.Elapsed.TotalSeconds,7:F1} s] {rows:N0} rows ({rows / clock.Elapsed.TotalSeconds:F0} rows/s)");
                    }
                }
                writer.Complete();
            }
            output.Commit();
            if (!settings.Quiet)
                log.WriteLine($"Embedded {rows:N0} rows of {settings.Input} in {clock.Elapsed.TotalSeconds:F1} s ({rows / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} rows/s), peak memory {PeakMemory.Megabytes():F0} MB; written to {settings.Output}");
            return ExitCodes.Success;
        }

        /// <summary>The names of the embedding's columns: prefix0, prefix1, ...</summary>
        private static string[] EmbeddingColumns(string prefix, int components) =>
            Enumerable.Range(0, components).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        /// <summary>
        /// Embeds a batch, its rows split into one contiguous range per thread. A row the model refuses is reported
        /// with its place in the file; of several, the first in the file, so the error does not depend on the threads.
        /// </summary>
        private static void Embed(ToolModel model, TableBatch batch, float[] features, float[] embedding, int threads, CancellationToken cancellationToken)
        {
            int rows = batch.RowCount;
            int components = model.Transformer.Parameters.NumberOfComponents;
            var transformed = model.Transformer.Transform(new FeatureMatrixView(features, rows, model.FeatureNames));
            var column = transformed.Schema[model.Transformer.OutputColumnName];
            var cursors = transformed.GetRowCursorSet(new[] { column }, Math.Min(threads, rows));
            var refused = new (int Row, Exception Reason)?[cursors.Length];
            try
            {
                Parallel.For(0, cursors.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, i =>
                {
                    var cursor = cursors[i];
                    var getter = cursor.GetGetter<VBuffer<float>>(column);
                    var id = cursor.GetIdGetter();
                    VBuffer<float> value = default;
                    DataViewRowId row = default;
                    while (cursor.MoveNext())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        id(ref row);
                        try
                        {
                            getter(ref value);
                        }
                        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                        {
                            refused[i] = ((int)row.Low, e);
                            return;
                        }
                        value.GetValues().CopyTo(embedding.AsSpan((int)row.Low * components, components));
                    }
                });
            }
            finally
            {
                foreach (var cursor in cursors)
                    cursor.Dispose();
            }
            if (refused.Where(r => r != null).MinBy(r => r!.Value.Row) is var (first, reason))
                throw new InvalidDataException($"{batch.Location(first)}, the features ({TerminalText.Names(model.FeatureNames)}): {reason.Message}", reason);
        }
    }
}
