using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// UmapTransformer.Update on MNIST: fit on the 60,000 training digits, add the 10,000 test digits, and compare
    /// with a fit of all 70,000: time, the new digits' kNN accuracy against the old ones in the updated map, the
    /// trustworthiness of the whole, and how far the original digits moved.
    /// </summary>
    internal static class UpdateBenchmark
    {
        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir);
            var test = Datasets.Mnist("t10k", dir);
            var all = Datasets.Mnist(dir, "train", "t10k");
            var ml = new MLContext(seed: 42);
            var options = new UmapEstimator.Options { Seed = 42 };

            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(options).Fit(Measure.Load(ml, train.Features, train.Rows, train.Columns));
            Console.WriteLine($"Fit on {train.Rows:N0} training digits: {clock.Elapsed.TotalSeconds:F2} s");

            clock.Restart();
            var updated = model.Update(Measure.Load(ml, test.Features, test.Rows, test.Columns));
            double updateSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Update with {test.Rows:N0} test digits: {updateSeconds:F2} s ({string.Join(", ", updated.StageDurations.Select(s => $"{s.Key} {s.Value.TotalSeconds:F2} s"))})");

            clock.Restart();
            var full = ml.Transforms.Umap(options).Fit(Measure.Load(ml, all.Features, all.Rows, all.Columns));
            double fullSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Full fit of all {all.Rows:N0} digits: {fullSeconds:F2} s; the update took {updateSeconds / fullSeconds:P0} of it");

            var embedding = updated.GetTrainingEmbedding();
            var oldPart = embedding.Take(train.Rows).ToArray();
            var newPart = embedding.Skip(train.Rows).ToArray();
            double accuracy = UmapMetrics.KnnAccuracy(oldPart, train.Labels, newPart, test.Labels, neighbors: 10);
            Console.WriteLine($"kNN accuracy of the 10,000 added digits against the 60,000 (k = 10): {accuracy:F4}");
            var placed = model.Transform(Measure.Load(ml, test.Features, test.Rows, test.Columns)).GetColumn<float[]>("Embedding").ToArray();
            Console.WriteLine($"  (the same digits placed by Transform alone: {UmapMetrics.KnnAccuracy(model.GetTrainingEmbedding(), train.Labels, placed, test.Labels, neighbors: 10):F4})");

            var pixels = all.ToJagged();
            double updatedTrust = UmapMetrics.Trustworthiness(pixels, embedding, neighbors: 15, sampleSize: 5000, seed: 1);
            double fullTrust = UmapMetrics.Trustworthiness(pixels, full.GetTrainingEmbedding(), neighbors: 15, sampleSize: 5000, seed: 1);
            Console.WriteLine($"Trustworthiness@15 of all 70,000 (5,000-row sample): updated {updatedTrust:F4}, full fit {fullTrust:F4}");

            var before = model.GetTrainingEmbedding();
            var moves = Enumerable.Range(0, train.Rows).Select(i => Math.Sqrt(before[i].Zip(oldPart[i], (a, b) => (double)(a - b) * (a - b)).Sum())).OrderBy(d => d).ToArray();
            double spread = Math.Sqrt(before.Select(p => p[0] * (double)p[0] + p[1] * (double)p[1]).Average() - Math.Pow(before.Average(p => (double)p[0]), 2) - Math.Pow(before.Average(p => (double)p[1]), 2));
            Console.WriteLine($"How far the 60,000 original digits moved: median {moves[moves.Length / 2]:F3}, 95th percentile {moves[moves.Length * 95 / 100]:F3}, largest {moves[^1]:F3} (the map's spread: {spread:F2})");
            return 0;
        }
    }
}
