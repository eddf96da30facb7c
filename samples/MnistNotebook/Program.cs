using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Samples;
using Spectre.Console;

// Embeds the 10,000 MNIST test digits shipped in data/mnist with UMAP, writes mnist-umap.png (a scatter
// coloured by digit), mnist-umap.html (the same, interactive and self-contained: open it in any browser, offline)
// and mnist-umap.csv (label,x,y), and prints the time per stage and two quality figures.
//
//   dotnet run -c Release --project samples/MnistNotebook [-- --rows N --seed S --output DIR]

var options = SampleOptions.Parse(args);
var total = Stopwatch.StartNew();

var mnist = Datasets.Mnist("t10k").Take(options.Rows);
Console.WriteLine($"MNIST test digits: {mnist.Rows} rows x {mnist.Columns} pixels.");

var mlContext = new MLContext(seed: options.Seed);
var rows = Enumerable.Range(0, mnist.Rows).Select(i => new DigitRow { Pixels = mnist.Row(i), Label = mnist.Labels[i] });
var schema = SchemaDefinition.Create(typeof(DigitRow));
schema[nameof(DigitRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, mnist.Columns);
IDataView data = mlContext.Data.LoadFromEnumerable(rows, schema);

// One progress bar per stage, fed by UMAP's progress reports (each stage runs from 0 to a known total).
UmapTransformer? model = null;
var fitClock = Stopwatch.StartNew();
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(bars =>
    {
        var progress = new StageBars(bars);
        model = mlContext.Transforms.Umap(new UmapEstimator.Options
        {
            InputColumnName = nameof(DigitRow.Pixels),
            OutputColumnName = "Embedding",
            Progress = progress,
        }).Fit(data);
    });
fitClock.Stop();
if (model is null)
    throw new InvalidOperationException("The fit did not run.");
Console.WriteLine($"Fit: {fitClock.Elapsed.TotalSeconds:F2} s");
foreach (var (stage, duration) in model.StageDurations)
    Console.WriteLine($"  {stage,-15} {duration.TotalSeconds,7:F2} s");
Console.WriteLine($"  a = {model.Parameters.A:F4}, b = {model.Parameters.B:F4}, epochs = {model.Parameters.NumberOfEpochs}, init = {model.Parameters.Initialization}");

var embedded = mlContext.Data.CreateEnumerable<EmbeddedRow>(model.Transform(data), reuseRowObject: false).ToArray();
var embedding = embedded.Select(r => r.Embedding).ToArray();

var metricsClock = Stopwatch.StartNew();
double knnAccuracy = UmapMetrics.KnnAccuracy(embedding, mnist.Labels, neighbors: 10, folds: 5);
double trustworthiness = UmapMetrics.Trustworthiness(mnist.ToJagged(), embedding, neighbors: 15);
Console.WriteLine($"kNN accuracy (k = 10, 5-fold): {knnAccuracy:F4}");
Console.WriteLine($"Trustworthiness (k = 15):      {trustworthiness:F4}   ({metricsClock.Elapsed.TotalSeconds:F1} s to compute both)");

Directory.CreateDirectory(options.OutputDirectory);
string csvPath = Path.Combine(options.OutputDirectory, "mnist-umap.csv");
string pngPath = Path.Combine(options.OutputDirectory, "mnist-umap.png");
string htmlPath = Path.Combine(options.OutputDirectory, "mnist-umap.html");
string title = $"UMAP of {mnist.Rows:N0} MNIST test digits (kNN accuracy {knnAccuracy:F3}, trustworthiness {trustworthiness:F3})";
WriteCsv(csvPath, mnist.Labels, embedding);
EmbeddingPlot.Scatter(embedding, mnist.Labels, title).SavePng(pngPath, 1000, 800);
// Hover names each digit's row in data/mnist's t10k files, so a point can be traced back to its image.
var hoverText = Enumerable.Range(0, mnist.Rows).Select(i => $"t10k image {i}").ToArray();
EmbeddingPlot.Interactive(embedding, mnist.Labels, hoverText, title, width: 1000, height: 800).SaveHtml(htmlPath);
Console.WriteLine($"Wrote {Path.GetFullPath(csvPath)}");
Console.WriteLine($"Wrote {Path.GetFullPath(pngPath)}");
Console.WriteLine($"Wrote {Path.GetFullPath(htmlPath)} (interactive, works offline: open it in a browser)");
Console.WriteLine($"Total: {total.Elapsed.TotalSeconds:F2} s");

static void WriteCsv(string path, int[] labels, float[][] embedding)
{
    var text = new StringBuilder("label,x,y\n");
    for (int i = 0; i < labels.Length; i++)
        text.Append(CultureInfo.InvariantCulture, $"{labels[i]},{embedding[i][0]:R},{embedding[i][1]:R}\n");
    File.WriteAllText(path, text.ToString());
}

/// <summary>Turns UMAP's progress reports into one console bar per stage.</summary>
internal sealed class StageBars : IProgress<UmapProgress>
{
    private readonly System.Collections.Generic.Dictionary<UmapStage, ProgressTask> _bars;

    public StageBars(ProgressContext context) =>
        _bars = Enum.GetValues<UmapStage>().ToDictionary(stage => stage, stage => context.AddTask(stage.ToString(), autoStart: false, maxValue: 1));

    public void Report(UmapProgress value)
    {
        var bar = _bars[value.Stage];
        if (!bar.IsStarted)
            bar.StartTask();
        bar.MaxValue = Math.Max(1, value.Total);
        bar.Value = value.Total == 0 ? 1 : value.Completed;
        if (value.Fraction >= 1)
            bar.StopTask();
    }
}

/// <summary>One MNIST digit as ML.NET reads it.</summary>
internal sealed class DigitRow
{
    public float[] Pixels { get; set; } = Array.Empty<float>();

    public int Label { get; set; }
}

/// <summary>A digit with its embedding, as read back from the transformed data.</summary>
internal sealed class EmbeddedRow
{
    public int Label { get; set; }

    [VectorType(2)]
    public float[] Embedding { get; set; } = Array.Empty<float>();
}

/// <summary>Command-line options; every one has a default so the sample runs with no arguments.</summary>
internal sealed record SampleOptions(int Rows, int Seed, string OutputDirectory)
{
    public static SampleOptions Parse(string[] args)
    {
        var result = new SampleOptions(10_000, 42, ".");
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--rows" => result with { Rows = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => result with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--output" => result with { OutputDirectory = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; expected --rows N, --seed S or --output DIR."),
            };
            i++;
        }
        return result;
    }
}
