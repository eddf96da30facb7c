using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.CommandLine;
using Microsoft.ML.Umap.Tool.Files;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary><c>umap fit</c>: a CSV or Parquet file (or a sample of it) in, a model file out.</summary>
    internal sealed class FitCommand
    {
        private readonly Argument<string> _input = ToolOptions.InputTable("The training data: a .csv file with a header row, or a .parquet file of flat columns.");
        private readonly Option<string> _output = ToolOptions.Output("The model file to write.");
        private readonly Option<string[]> _features = ToolOptions.Columns("--features", "The feature columns, comma-separated or repeated (default: every column not excluded).");
        private readonly Option<string[]> _exclude = ToolOptions.Columns("--exclude", "Columns that are not features (ids, labels, text), comma-separated or repeated.");
        private readonly Option<int?> _sample = ToolOptions.OptionalInteger("--sample", "Fit on this many rows drawn uniformly at random from the file (read in one streaming pass); the rest can be transformed later.", minimum: 2);
        private readonly Option<int> _neighbors = LibraryOption.Create("--neighbors", "NumberOfNeighbors (umap-learn's n_neighbors).", o => o.NumberOfNeighbors, (o, v) => o.NumberOfNeighbors = v);
        private readonly Option<int> _components = LibraryOption.Create("--components", "NumberOfComponents: the embedding's dimensions (n_components).", o => o.NumberOfComponents, (o, v) => o.NumberOfComponents = v);
        private readonly Option<float> _minimumDistance = LibraryOption.Create("--min-dist", "MinimumDistance (min_dist).", o => o.MinimumDistance, (o, v) => o.MinimumDistance = v);
        private readonly Option<float> _spread = LibraryOption.Create("--spread", "Spread (spread).", o => o.Spread, (o, v) => o.Spread = v);
        private readonly Option<UmapMetric> _metric = LibraryOption.Create("--metric", "The input space's distance (metric).", o => o.Metric, (o, v) => o.Metric = v);
        private readonly Option<int?> _epochs = LibraryOption.Create("--epochs", "NumberOfEpochs (n_epochs; default 200 above 10,000 rows, else 500).", o => o.NumberOfEpochs, (o, v) => o.NumberOfEpochs = v);
        private readonly Option<int?> _threads = LibraryOption.Create("--threads", "Threads to use (default: all cores). The result does not depend on it.", o => o.NumberOfThreads, (o, v) => o.NumberOfThreads = v);
        private readonly Option<int> _seed = new("--seed") { Description = "Seed: the same seed and data give the same model, bit for bit.", DefaultValueFactory = _ => 42 };
        private readonly Option<bool> _parametric = new("--parametric")
        {
            Description = "Parametric UMAP: the model is an encoder network that embeds a row in one pass and keeps no training rows (settings: the --encoder-* options).",
        };
        private readonly Option<int[]> _encoderLayers = EncoderOption.HiddenLayers();
        private readonly Option<int?> _encoderEpochs = EncoderOption.Create("--encoder-epochs", "Parametric.NumberOfEpochs: the encoder's training epochs (default: the library's, by the number of rows).", o => o.NumberOfEpochs, (o, v) => o.NumberOfEpochs = v);
        private readonly Option<int?> _encoderRefinementEpochs = EncoderOption.Create("--encoder-refinement-epochs", "Parametric.NumberOfRefinementEpochs: epochs of the UMAP objective after the regression onto the embedding.", o => o.NumberOfRefinementEpochs, (o, v) => o.NumberOfRefinementEpochs = v);
        private readonly Option<int> _encoderBatchSize = EncoderOption.Create("--encoder-batch-size", "Parametric.BatchSize: rows per training step.", o => o.BatchSize, (o, v) => o.BatchSize = v);
        private readonly Option<float> _encoderLearningRate = EncoderOption.Create("--encoder-learning-rate", "Parametric.LearningRate: Adam's initial rate, decayed linearly to 0.", o => o.LearningRate, (o, v) => o.LearningRate = v);
        private readonly Option<int?> _encoderInputComponents = EncoderOption.Create("--encoder-input-components", "Parametric.NumberOfInputComponents: principal components the encoder trains on, folded into its first layer (default: the library's).", o => o.NumberOfInputComponents, (o, v) => o.NumberOfInputComponents = v);
        private readonly Option<UmapEncoderTraining> _encoderTraining = EncoderOption.Create("--encoder-training", "Parametric.Training: EmbeddingThenObjective (regression onto the embedding) or Objective (the UMAP loss alone).", o => o.Training, (o, v) => o.Training = v);
        private readonly Option<bool> _quiet = ToolOptions.Quiet();

        public FitCommand()
        {
            Command = new System.CommandLine.Command("fit", "Fit a UMAP model on a CSV or Parquet file, or on a random sample of its rows.")
            {
                _input, _output, _features, _exclude, _sample, _neighbors, _components, _minimumDistance, _spread, _metric, _epochs, _seed, _threads, _parametric,
                _encoderLayers, _encoderEpochs, _encoderRefinementEpochs, _encoderBatchSize, _encoderLearningRate, _encoderInputComponents, _encoderTraining, _quiet,
            };
            Command.Validators.Add(result =>
            {
                var features = ToolOptions.Names(result.GetValue(_features));
                if (features.Length > 0 && ToolOptions.Names(result.GetValue(_exclude)).Length > 0)
                    result.AddError("Give either --features or --exclude, not both.");
                var repeated = features.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (repeated != null)
                    result.AddError($"--features names {TerminalText.Quote(repeated.Key)} twice.");
                var encoderOption = EncoderOptions.FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
                if (encoderOption != null && !result.GetValue(_parametric))
                    result.AddError($"{encoderOption.Name} sets the encoder of a parametric fit: give --parametric too.");
            });
            Command.SetAction((parse, cancellationToken) => Task.FromResult(Run(Bind(parse), parse.InvocationConfiguration.Error, cancellationToken)));
        }

        public System.CommandLine.Command Command { get; }

        private Option[] EncoderOptions => new Option[] { _encoderLayers, _encoderEpochs, _encoderRefinementEpochs, _encoderBatchSize, _encoderLearningRate, _encoderInputComponents, _encoderTraining };

        private FitSettings Bind(ParseResult parse)
        {
            var umap = new UmapEstimator.Options
            {
                InputColumnName = FeatureMatrixView.ColumnName,
                NumberOfNeighbors = parse.GetValue(_neighbors),
                NumberOfComponents = parse.GetValue(_components),
                MinimumDistance = parse.GetValue(_minimumDistance),
                Spread = parse.GetValue(_spread),
                Metric = parse.GetValue(_metric),
                NumberOfEpochs = parse.GetValue(_epochs),
                Seed = parse.GetValue(_seed),
                NumberOfThreads = parse.GetValue(_threads),
                Parametric = parse.GetValue(_parametric) ? BindEncoder(parse) : null,
            };
            return new FitSettings(parse.GetValue(_input)!, parse.GetValue(_output)!, ToolOptions.Names(parse.GetValue(_features)),
                ToolOptions.Names(parse.GetValue(_exclude)), parse.GetValue(_sample), umap, parse.GetValue(_quiet));
        }

        private UmapEncoderOptions BindEncoder(ParseResult parse) => new()
        {
            HiddenLayerSizes = parse.GetValue(_encoderLayers)!,
            NumberOfEpochs = parse.GetValue(_encoderEpochs),
            NumberOfRefinementEpochs = parse.GetValue(_encoderRefinementEpochs),
            BatchSize = parse.GetValue(_encoderBatchSize),
            LearningRate = parse.GetValue(_encoderLearningRate),
            NumberOfInputComponents = parse.GetValue(_encoderInputComponents),
            Training = parse.GetValue(_encoderTraining),
        };

        public static int Run(FitSettings settings, TextWriter log, CancellationToken cancellationToken)
        {
            using var output = OutputFile.Create(settings.Output, new[] { settings.Input });
            var clock = Stopwatch.StartNew();
            using var reader = TableReader.Open(settings.Input, cancellationToken);
            var featureNames = TrainingRows.FeatureColumns(reader, settings.Features, settings.Exclude);
            var training = TrainingRows.Read(reader, featureNames, settings.Sample, settings.Umap.Seed ?? 0, FeatureValuesExtensions.For(settings.Umap.Metric), cancellationToken);
            int rows = training.Rows;
            if (!settings.Quiet)
            {
                log.WriteLine(rows == training.RowsInFile
                    ? $"Read {rows:N0} rows x {featureNames.Length} features from {settings.Input} in {clock.Elapsed.TotalSeconds:F1} s"
                    : $"Sampled {rows:N0} of {training.RowsInFile:N0} rows x {featureNames.Length} features from {settings.Input} in {clock.Elapsed.TotalSeconds:F1} s");
            }
            if (rows == 0)
                throw new InvalidDataException($"{settings.Input} has no data rows.");

            var ml = new MLContext(seed: settings.Umap.Seed);
            var data = new FeatureMatrixView(training.Values, rows, featureNames);
            settings.Umap.Progress = settings.Quiet ? null : new ConsoleProgress(log);
            var fitClock = Stopwatch.StartNew();
            UmapTransformer model;
            try
            {
                model = ml.Transforms.Umap(settings.Umap).Fit(data, cancellationToken);
            }
            catch (Exception e) when (data.RowBeingRead is { } row && ErrorReport.Cause(e) is InvalidOperationException or ArgumentException)
            {
                // The library refused a row as it read it: say where the row is in the file.
                throw new InvalidDataException($"{reader.Locate(training.Positions[row])}, the features ({TerminalText.Names(featureNames)}): {ErrorReport.Cause(e).Message}", e);
            }
            ToolModel.Save(ml, model, data.Schema, output.Stream);
            output.Commit();
            if (!settings.Quiet)
            {
                var stages = string.Join(", ", model.StageDurations.Where(s => s.Key != UmapStage.EncoderTraining || model.IsParametric).Select(s => $"{s.Key} {s.Value.TotalSeconds:F1} s"));
                log.WriteLine($"Fitted {rows:N0} rows in {fitClock.Elapsed.TotalSeconds:F1} s ({stages}), peak memory {PeakMemory.Megabytes():F0} MB; model written to {settings.Output}");
            }
            return ExitCodes.Success;
        }
    }
}
