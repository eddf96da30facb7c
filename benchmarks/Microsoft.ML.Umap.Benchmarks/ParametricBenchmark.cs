using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Issue 32's protocol: fit on the MNIST training digits (the first N, 60,000 by default) non-parametrically and
    /// parametrically, embed the test digits (the first M, 10,000 by default) with each, and print for each model the
    /// fit time, the test digits' kNN accuracy (k = 10, classified by the training embedding) and trustworthiness@15,
    /// the training embedding's trustworthiness@15, new rows per second in batch (first and second pass) and through one
    /// PredictionEngine, and the saved model's size.
    /// </summary>
    internal static class ParametricBenchmark
    {
        public static int Run(string[] args)
        {
            int trainRows = args.Length > 1 ? int.Parse(args[1]) : 60_000;
            int testRows = args.Length > 2 ? int.Parse(args[2]) : 10_000;
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir).Take(trainRows);
            var test = Datasets.Mnist("t10k", dir).Take(testRows);
            var ml = new MLContext(seed: 42);
            var trainView = Measure.Load(ml, train.Features, train.Rows, train.Columns);
            var testView = Measure.Load(ml, test.Features, test.Rows, test.Columns);
            var trainPixels = Enumerable.Range(0, train.Rows).Select(train.Row).ToArray();
            var testPixels = Enumerable.Range(0, test.Rows).Select(test.Row).ToArray();
            Console.WriteLine($"{train.Rows:N0} training digits, {test.Rows:N0} test digits");

            Report("non-parametric", ml, new UmapEstimator.Options { Seed = 42 }, trainView, testView, train, test, trainPixels, testPixels);
            Report("parametric", ml, new UmapEstimator.Options { Seed = 42, Parametric = new UmapEncoderOptions() }, trainView, testView, train, test, trainPixels, testPixels);
            return 0;
        }

        private static void Report(string name, MLContext ml, UmapEstimator.Options options, IDataView trainView, IDataView testView,
            LabelledData train, LabelledData test, float[][] trainPixels, float[][] testPixels)
        {
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(options).Fit(trainView);
            double fitSeconds = clock.Elapsed.TotalSeconds;
            string stages = string.Join(", ", model.StageDurations.Where(s => s.Value > TimeSpan.Zero).Select(s => $"{s.Key} {s.Value.TotalSeconds:F1} s"));
            Console.WriteLine($"{name}: fit {fitSeconds:F1} s ({stages}){(model.IsParametric ? $", encoder {string.Join("-", model.EncoderLayerSizes)}" : "")}");

            // The training embedding as the model gives it: stored for a non-parametric model, the encoder's otherwise.
            var trainEmbedding = model.IsParametric ? model.Transform(trainView).GetColumn<float[]>("Embedding").ToArray() : model.GetTrainingEmbedding();

            clock.Restart();
            var batch = model.Transform(testView).GetColumn<float[]>("Embedding").ToArray();
            double batchSeconds = clock.Elapsed.TotalSeconds;
            // Again, with the transform's code compiled: the first pass includes the JIT's work.
            clock.Restart();
            model.Transform(testView).GetColumn<float[]>("Embedding").ToArray();
            double warmBatchSeconds = clock.Elapsed.TotalSeconds;

            var rows = Enumerable.Range(0, test.Rows).Select(i => new Row { Features = test.Row(i) }).ToArray();
            var engine = ml.Model.CreatePredictionEngine<Row, Output>(model, trainView.Schema);
            engine.Predict(rows[0]);
            clock.Restart();
            for (int i = 0; i < rows.Length; i++)
                engine.Predict(rows[i]);
            double singleSeconds = clock.Elapsed.TotalSeconds;

            using var stream = new MemoryStream();
            ml.Model.Save(model, trainView.Schema, stream);

            double accuracy = UmapMetrics.KnnAccuracy(trainEmbedding, train.Labels, batch, test.Labels, neighbors: 10);
            double testTrust = UmapMetrics.Trustworthiness(testPixels, batch, neighbors: 15, sampleSize: 5000, seed: 1);
            double trainTrust = UmapMetrics.Trustworthiness(trainPixels, trainEmbedding, neighbors: 15, sampleSize: 5000, seed: 1);
            Console.WriteLine($"{name}: test kNN accuracy {accuracy:F4}, test trustworthiness@15 {testTrust:F4}, training trustworthiness@15 {trainTrust:F4}");
            Console.WriteLine($"{name}: new rows {test.Rows / batchSeconds:N0} rows/s in batch ({test.Rows / warmBatchSeconds:N0} the second time), {test.Rows / singleSeconds:N0} rows/s through one PredictionEngine; model file {stream.Length / 1e6:F2} MB");
        }

        private sealed class Row
        {
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class Output
        {
            public float[] Embedding { get; set; } = Array.Empty<float>();
        }
    }
}
