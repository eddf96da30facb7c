using System;
using System.CommandLine;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary><c>umap fit</c>: a CSV or Parquet file (or a sample of it) in, a model file out.</summary>
    internal static class FitCommand
    {
        public static System.CommandLine.Command Create()
        {
            var input = new Argument<string>("input") { Description = "The training data: a .csv file with a header row, or a .parquet file of flat columns." };
            var output = new Option<string>("--output", "-o") { Description = "The model file to write.", Required = true };
            var features = new Option<string[]>("--features") { Description = "The feature columns, comma-separated or repeated (default: every column not excluded).", AllowMultipleArgumentsPerToken = true };
            var exclude = new Option<string[]>("--exclude") { Description = "Columns that are not features (ids, labels, text), comma-separated or repeated.", AllowMultipleArgumentsPerToken = true };
            var sample = new Option<int?>("--sample") { Description = "Fit on this many rows drawn uniformly at random from the file (read in one streaming pass); the rest can be transformed later." };
            var neighbors = new Option<int>("--neighbors") { Description = "NumberOfNeighbors (umap-learn's n_neighbors).", DefaultValueFactory = _ => 15 };
            var components = new Option<int>("--components") { Description = "NumberOfComponents: the embedding's dimensions (n_components).", DefaultValueFactory = _ => 2 };
            var minDist = new Option<float>("--min-dist") { Description = "MinimumDistance (min_dist).", DefaultValueFactory = _ => 0.1f };
            var spread = new Option<float>("--spread") { Description = "Spread (spread).", DefaultValueFactory = _ => 1f };
            var metric = new Option<UmapMetric>("--metric") { Description = "The input space's distance (metric).", DefaultValueFactory = _ => UmapMetric.Euclidean };
            var epochs = new Option<int?>("--epochs") { Description = "NumberOfEpochs (n_epochs; default 200 above 10,000 rows, else 500)." };
            var seed = new Option<int>("--seed") { Description = "Seed: the same seed and data give the same model, bit for bit.", DefaultValueFactory = _ => 42 };
            var threads = new Option<int?>("--threads") { Description = "Threads to use (default: all cores). The result does not depend on it." };
            var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error." };

            var command = new System.CommandLine.Command("fit", "Fit a UMAP model on a CSV or Parquet file, or on a random sample of its rows.")
            {
                input, output, features, exclude, sample, neighbors, components, minDist, spread, metric, epochs, seed, threads, quiet,
            };
            command.SetAction((parse, cancellationToken) =>
            {
                bool silent = parse.GetValue(quiet);
                var options = new UmapEstimator.Options
                {
                    InputColumnName = FeatureMatrixView.ColumnName,
                    NumberOfNeighbors = parse.GetValue(neighbors),
                    NumberOfComponents = parse.GetValue(components),
                    MinimumDistance = parse.GetValue(minDist),
                    Spread = parse.GetValue(spread),
                    Metric = parse.GetValue(metric),
                    NumberOfEpochs = parse.GetValue(epochs),
                    Seed = parse.GetValue(seed),
                    NumberOfThreads = parse.GetValue(threads),
                    Progress = silent ? null : new ConsoleProgress(),
                };
                int? sampleSize = parse.GetValue(sample);
                if (sampleSize is < 2)
                    throw new ArgumentException($"--sample must be at least 2 (was {sampleSize}).");
                return Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, ColumnLists.Split(parse.GetValue(features)),
                    ColumnLists.Split(parse.GetValue(exclude)), sampleSize, options, silent, cancellationToken));
            });
            return command;
        }

        private static int Run(string inputPath, string outputPath, string[] features, string[] exclude, int? sampleSize,
            UmapEstimator.Options options, bool silent, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            string[] featureNames;
            float[] values;
            int rows;
            long rowsInFile;
            using (var reader = TableReader.Open(inputPath))
            {
                featureNames = TrainingRows.FeatureColumns(reader, features, exclude);
                if (sampleSize is { } size && (long)size * featureNames.Length > Array.MaxLength)
                    throw new ArgumentException($"--sample {size} of {featureNames.Length} features would exceed one array ({Array.MaxLength:N0} values).");
                (values, rows, rowsInFile) = TrainingRows.Read(reader, featureNames, sampleSize, options.Seed ?? 0, cancellationToken);
            }
            if (!silent)
            {
                Console.Error.WriteLine(rows == rowsInFile
                    ? $"Read {rows:N0} rows x {featureNames.Length} features from {inputPath} in {clock.Elapsed.TotalSeconds:F1} s"
                    : $"Sampled {rows:N0} of {rowsInFile:N0} rows x {featureNames.Length} features from {inputPath} in {clock.Elapsed.TotalSeconds:F1} s");
            }
            if (rows == 0)
                throw new System.IO.InvalidDataException($"{inputPath} has no data rows.");

            var ml = new MLContext(seed: options.Seed);
            var data = new FeatureMatrixView(values, rows, featureNames);
            var fitClock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(options).Fit(data, cancellationToken);
            ToolModel.Save(ml, model, data.Schema, outputPath);
            if (!silent)
            {
                var stages = string.Join(", ", model.StageDurations.Select(s => $"{s.Key} {s.Value.TotalSeconds:F1} s"));
                Console.Error.WriteLine($"Fitted {rows:N0} rows in {fitClock.Elapsed.TotalSeconds:F1} s ({stages}), peak memory {PeakMemory.Megabytes():F0} MB; model written to {outputPath}");
            }
            return 0;
        }
    }
}
