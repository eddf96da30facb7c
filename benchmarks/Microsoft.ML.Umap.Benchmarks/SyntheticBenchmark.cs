using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Fits at scale on generated data: a Gaussian mixture (<c>synthetic N D</c>), MNIST digits shifted and noised to
    /// any number of rows (<c>mnistlike N</c>), and the scaling curve over several sizes, each fitted in its own process
    /// so every peak is that size's own (<c>scaling D N1 N2 ...</c>). Rows are generated as the fit reads them, so the
    /// process holds one copy of the data: the fit's.
    /// </summary>
    internal static class SyntheticBenchmark
    {
        private const int Clusters = GeneratedDataView.ScaleClusters;
        private const int QualitySample = 20_000;
        private const string ResultPrefix = "RESULT ";

        public static int Run(long rows, int columns)
        {
            var data = new GeneratedDataView(rows, columns, GeneratedDataView.ScaleMixtureRows(columns));
            Console.WriteLine($"Machine: {Measure.Machine()}");
            Console.WriteLine($"Gaussian mixture: {rows:N0} x {columns} ({rows * columns * 4.0 / (1 << 20):F0} MB as float32), {Clusters} clusters, generated as read");
            return Fit(data, row => (int)(row % Clusters));
        }

        public static int RunMnistLike(long rows)
        {
            var mnist = Measure.Mnist70k();
            int side = 28;
            var data = new GeneratedDataView(rows, mnist.Columns, (row, destination) =>
            {
                // A digit of MNIST moved by up to two pixels each way, with pixel noise: new images of the same class.
                int source = (int)(row % mnist.Rows);
                var digit = mnist.Features.AsSpan(source * mnist.Columns, mnist.Columns);
                var stream = FastRandom.ForStream(777, 2, (ulong)row);
                int dx = stream.NextInt(5) - 2, dy = stream.NextInt(5) - 2;
                for (int y = 0; y < side; y++)
                {
                    for (int x = 0; x < side; x++)
                    {
                        int sx = x - dx, sy = y - dy;
                        float value = sx is >= 0 and < 28 && sy is >= 0 and < 28 ? digit[sy * side + sx] : 0f;
                        destination[y * side + x] = Math.Clamp(value + (float)(stream.NextGaussian() * 10), 0f, 255f);
                    }
                }
            });
            Console.WriteLine($"Machine: {Measure.Machine()}");
            Console.WriteLine($"MNIST-like: {rows:N0} x {mnist.Columns} ({rows * mnist.Columns * 4.0 / (1 << 20):F0} MB as float32): the 70,000 digits shifted by up to 2 px and noised, generated as read");
            return Fit(data, row => mnist.Labels[row % mnist.Rows]);
        }

        private static int Fit(GeneratedDataView data, Func<long, int> label)
        {
            var ml = new MLContext(seed: 1);
            using var memory = new StageMemory();
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 1, Progress = memory }).Fit(data);
            double seconds = clock.Elapsed.TotalSeconds;
            double peak = Measure.PeakWorkingSetMegabytes();

            Console.WriteLine($"Fit: {seconds:F1} s, peak working set {peak:F0} MB");
            Console.WriteLine($"  {"stage",-15} {"seconds",9} {"peak MB",9}");
            foreach (var (stage, duration) in model.StageDurations)
                Console.WriteLine($"  {stage,-15} {duration.TotalSeconds,9:F2} {memory.PeakBytes.GetValueOrDefault(stage) / 1048576.0,9:F0}");

            // Quality on a sample: the classes the rows were generated from, 10-NN accuracy in the embedding.
            var embedding = model.GetTrainingEmbedding();
            var rng = FastRandom.ForStream(99);
            int sample = (int)Math.Min(QualitySample, data.Rows);
            var rows = Enumerable.Range(0, sample).Select(_ => (long)(rng.NextUInt64() % (ulong)data.Rows)).ToArray();
            double accuracy = UmapMetrics.KnnAccuracy(rows.Select(r => embedding[r]).ToArray(), rows.Select(label).ToArray(), neighbors: 10, folds: 5);
            Console.WriteLine($"kNN accuracy of the generating classes (k = 10, {sample:N0} sampled rows, 5 folds): {accuracy:F4}");

            var result = new Dictionary<string, double> { ["rows"] = data.Rows, ["seconds"] = seconds, ["peak_mb"] = peak, ["knn_accuracy"] = accuracy };
            foreach (var (stage, duration) in model.StageDurations)
            {
                result[$"{stage}_seconds"] = duration.TotalSeconds;
                result[$"{stage}_peak_mb"] = memory.PeakBytes.GetValueOrDefault(stage) / 1048576.0;
            }
            Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
            return 0;
        }

        /// <summary>Fits each size in a child process (so each peak is its own) and prints the curve and its log-log slope.</summary>
        public static int RunScaling(int columns, long[] sizes)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            var results = new List<Dictionary<string, double>>();
            foreach (long n in sizes)
            {
                Console.WriteLine($"--- {n:N0} x {columns} ---");
                var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
                if (!Environment.ProcessPath!.EndsWith("Microsoft.ML.Umap.Benchmarks", StringComparison.Ordinal) &&
                    !Environment.ProcessPath.EndsWith("Microsoft.ML.Umap.Benchmarks.exe", StringComparison.Ordinal))
                    start.ArgumentList.Add(typeof(SyntheticBenchmark).Assembly.Location);
                foreach (var argument in new[] { "synthetic", n.ToString(CultureInfo.InvariantCulture), columns.ToString(CultureInfo.InvariantCulture) })
                    start.ArgumentList.Add(argument);
                using var child = Process.Start(start)!;
                Dictionary<string, double>? result = null;
                for (string? line; (line = child.StandardOutput.ReadLine()) != null;)
                {
                    if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                        result = JsonSerializer.Deserialize<Dictionary<string, double>>(line[ResultPrefix.Length..]);
                    else
                        Console.WriteLine("  " + line);
                }
                child.WaitForExit();
                if (child.ExitCode != 0 || result is null)
                {
                    Console.Error.WriteLine($"The fit of {n:N0} rows failed (exit code {child.ExitCode}).");
                    return 1;
                }
                results.Add(result);
            }

            var stages = Enum.GetValues<UmapStage>();
            Console.WriteLine();
            Console.WriteLine($"Scaling curve, {columns} dimensions ({Clusters}-cluster Gaussian mixture, default parameters, seed 1): seconds / peak MB");
            Console.WriteLine($"{"rows",11} {"fit",15} " + string.Join(" ", stages.Select(s => $"{s,17}")) + $" {"kNN acc",8}");
            foreach (var r in results)
            {
                Console.WriteLine($"{r["rows"],11:N0} {r["seconds"],7:F1} /{r["peak_mb"],6:F0} " +
                    string.Join(" ", stages.Select(s => $"{r.GetValueOrDefault($"{s}_seconds"),9:F1} /{r.GetValueOrDefault($"{s}_peak_mb"),6:F0}")) +
                    $" {r["knn_accuracy"],8:F4}");
            }
            if (results.Count >= 2)
            {
                Console.WriteLine($"Log-log slope of time against rows: {Slope(results, "seconds"):F2}   of peak memory: {Slope(results, "peak_mb"):F2}");
                Console.WriteLine("  per stage (time): " + string.Join(", ", stages.Select(s => $"{s} {Slope(results, $"{s}_seconds"):F2}")));
                // Small sizes run 500 epochs and fit in the caches, which flattens the overall slope; the largest step says more.
                var last = results.Skip(results.Count - 2).ToList();
                Console.WriteLine($"Between the two largest sizes: time {Slope(last, "seconds"):F2}, peak memory {Slope(last, "peak_mb"):F2}; " +
                    string.Join(", ", stages.Select(s => $"{s} {Slope(last, $"{s}_seconds"):F2}")));
            }
            return 0;
        }

        private static double Slope(List<Dictionary<string, double>> results, string key)
        {
            var points = results.Where(r => r.GetValueOrDefault(key) > 0).Select(r => (X: Math.Log(r["rows"]), Y: Math.Log(r[key]))).ToArray();
            if (points.Length < 2)
                return double.NaN;
            double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
            return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
        }
    }
}
