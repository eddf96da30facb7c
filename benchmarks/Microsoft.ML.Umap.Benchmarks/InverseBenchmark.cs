using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// InverseTransform on MNIST: fit on the 60,000 training digits, transform the 10,000 test digits, map their
    /// coordinates back to pixels, and score the reconstructions: 10-NN accuracy against the training digits in pixel
    /// space, mean squared error against the true digits, points per second. benchmarks/reference/inverse_mnist.py
    /// runs umap-learn on the same protocol.
    /// </summary>
    internal static class InverseBenchmark
    {
        /// <summary>Points umap-learn's script inverts (it is too slow for all 10,000): scored here too, for a like-for-like MSE.</summary>
        private const int ReferencePoints = 300;

        private static readonly int InverseDefault = Core.Transform.InverseEmbedder.DefaultEpochs;

        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir);
            var test = Datasets.Mnist("t10k", dir);
            var ml = new MLContext(seed: 42);
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 42 }).Fit(Measure.Load(ml, train.Features, train.Rows, train.Columns));
            Console.WriteLine($"Fit on {train.Rows:N0} training digits: {clock.Elapsed.TotalSeconds:F2} s");
            clock.Restart();
            var embedded = model.Transform(Measure.Load(ml, test.Features, test.Rows, test.Columns)).GetColumn<float[]>("Embedding").ToArray();
            Console.WriteLine($"Transform of {test.Rows:N0} test digits: {clock.Elapsed.TotalSeconds:F2} s");

            var trainRows = train.ToJagged();
            var testRows = test.ToJagged();
            // The default on all 10,000; umap-learn's 100 optimisation epochs on the points its script inverts.
            foreach (var (epochs, count) in new (int? Epochs, int Count)[] { (null, test.Rows), (100, ReferencePoints) })
            {
                var points = embedded.Take(count).ToArray();
                clock.Restart();
                var reconstructed = model.InverseTransform(points, epochs);
                double seconds = clock.Elapsed.TotalSeconds;
                string label = epochs is null ? $"default ({InverseDefault} epochs)" : $"{epochs} epochs";
                Console.WriteLine($"InverseTransform, {label}: {count:N0} points in {seconds:F2} s = {count / seconds:F1} points/s");
                Console.WriteLine($"  mean squared error against the true digits (pixels 0-255): {Mse(reconstructed, testRows, count):F1}{(count > ReferencePoints ? $" (first {ReferencePoints}: {Mse(reconstructed, testRows, ReferencePoints):F1})" : "")}");
                double accuracy = UmapMetrics.KnnAccuracy(trainRows, train.Labels, reconstructed, test.Labels.Take(count).ToArray(), neighbors: 10);
                Console.WriteLine($"  10-NN accuracy of the reconstructions against the training digits: {accuracy:F4}");
            }
            return 0;
        }

        private static double Mse(float[][] reconstructed, float[][] truth, int count) =>
            Enumerable.Range(0, count).Average(i => reconstructed[i].Zip(truth[i], (a, b) => (double)(a - b) * (a - b)).Average());
    }
}
