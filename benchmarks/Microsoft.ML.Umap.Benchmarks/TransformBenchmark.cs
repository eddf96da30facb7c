using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Fit on the 60,000 MNIST training digits, then embed the 10,000 test digits in one batch and row by row
    /// (one PredictionEngine, then one per core), save and load the model, and score the transformed digits.
    /// </summary>
    internal static class TransformBenchmark
    {
        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir);
            var test = Datasets.Mnist("t10k", dir);
            var ml = new MLContext(seed: 42);
            var trainView = Measure.Load(ml, train.Features, train.Rows, train.Columns);
            var testView = Measure.Load(ml, test.Features, test.Rows, test.Columns);

            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 42 }).Fit(trainView);
            Console.WriteLine($"Fit on {train.Rows:N0} training digits: {clock.Elapsed.TotalSeconds:F2} s ({model.Parameters.NeighborSearch} search, {model.Parameters.NumberOfTransformEpochs} epochs per new row)");

            // Batch: the lazy column read by one cursor (first query builds the search structures).
            clock.Restart();
            var batch = model.Transform(testView).GetColumn<float[]>("Embedding").ToArray();
            double batchSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Batch transform of {test.Rows:N0} test digits: {batchSeconds:F2} s = {test.Rows / batchSeconds:F0} rows/s (includes building the query index)");

            var rows = Enumerable.Range(0, test.Rows).Select(i => new Row { Features = test.Row(i) }).ToArray();
            var engine = ml.Model.CreatePredictionEngine<Row, Output>(model, trainView.Schema);
            clock.Restart();
            var single = new float[test.Rows][];
            for (int i = 0; i < rows.Length; i++)
                single[i] = engine.Predict(rows[i]).Embedding;
            double singleSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Row by row, one PredictionEngine: {singleSeconds:F2} s = {test.Rows / singleSeconds:F0} rows/s");

            Console.WriteLine(PerRowStages(model.Model, test));

            int threads = Environment.ProcessorCount;
            var parallel = new float[test.Rows][];
            clock.Restart();
            Parallel.For(0, threads, worker =>
            {
                var own = ml.Model.CreatePredictionEngine<Row, Output>(model, trainView.Schema);
                for (int i = worker; i < rows.Length; i += threads)
                    parallel[i] = own.Predict(rows[i]).Embedding;
            });
            double parallelSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Row by row, {threads} PredictionEngines in parallel: {parallelSeconds:F2} s = {test.Rows / parallelSeconds:F0} rows/s");
            bool identical = Enumerable.Range(0, test.Rows).All(i => batch[i].AsSpan().SequenceEqual(single[i]) && batch[i].AsSpan().SequenceEqual(parallel[i]));
            Console.WriteLine($"Batch, single-row and parallel results identical: {identical}");

            // The same queries by brute force, as a model fitted with NeighborSearch = Exact answers them.
            var trainMatrix = new Core.Numerics.RowMatrix(train.Features, train.Rows, train.Columns);
            var exact = Core.Neighbors.NeighborSearchFactory.Create(new Core.Numerics.DenseVectorSet(trainMatrix), new Core.Model.UmapParameters { NeighborSearch = UmapNeighborSearch.Exact });
            var indices = new int[model.Parameters.NumberOfNeighbors];
            var distances = new float[indices.Length];
            clock.Restart();
            const int ExactQueries = 300;
            for (int i = 0; i < ExactQueries; i++)
                exact.Query(Core.Numerics.VectorView.Dense(test.Features.AsSpan(i * test.Columns, test.Columns)), indices, distances);
            Console.WriteLine($"Neighbour queries alone by exact search (brute force over {train.Rows:N0} rows, one thread): {ExactQueries / clock.Elapsed.TotalSeconds:F0} rows/s");

            double accuracy = UmapMetrics.KnnAccuracy(model.GetTrainingEmbedding(), train.Labels, batch, test.Labels, neighbors: 10);
            Console.WriteLine($"kNN accuracy of the transformed test digits (k = 10, classified by the training embedding): {accuracy:F4}");
            var pixels = Enumerable.Range(0, test.Rows).Select(test.Row).ToArray();
            double trust = UmapMetrics.Trustworthiness(pixels, batch, neighbors: 15, sampleSize: 5000, seed: 1);
            Console.WriteLine($"Trustworthiness@15 of the transformed test digits (5,000-row sample): {trust:F4}");

            string path = Path.Combine(Path.GetTempPath(), $"umap-mnist-{Environment.ProcessId}.zip");
            try
            {
                clock.Restart();
                ml.Model.Save(model, trainView.Schema, path);
                double saveSeconds = clock.Elapsed.TotalSeconds;
                long raw = (long)train.Rows * train.Columns * sizeof(float);
                long size = new FileInfo(path).Length;
                clock.Restart();
                var loaded = new MLContext().Model.Load(path, out _);
                double loadSeconds = clock.Elapsed.TotalSeconds;
                var reloaded = loaded.Transform(testView).GetColumn<float[]>("Embedding").ToArray();
                bool same = Enumerable.Range(0, test.Rows).All(i => batch[i].AsSpan().SequenceEqual(reloaded[i]));
                Console.WriteLine($"mlContext.Model.Save: {size / 1e6:F1} MB ({(double)size / raw:F2} x the {raw / 1e6:F1} MB float32 training matrix) in {saveSeconds:F2} s; Load {loadSeconds:F2} s; reloaded output identical: {same}");

                using var stream = new MemoryStream();
                clock.Restart();
                model.Save(stream);
                double plainSave = clock.Elapsed.TotalSeconds;
                stream.Position = 0;
                clock.Restart();
                UmapTransformer.Load(ml, stream);
                Console.WriteLine($"UmapTransformer.Save(Stream): {stream.Length / 1e6:F1} MB ({(double)stream.Length / raw:F2} x) in {plainSave:F2} s; Load {clock.Elapsed.TotalSeconds:F2} s");
            }
            finally
            {
                File.Delete(path);
            }
            return 0;
        }

        /// <summary>
        /// One new row's time measured apart: the neighbour query alone over every test row, then the placement alone
        /// from the neighbours found (the rest of a PredictionEngine call is the engine and the row's handling).
        /// </summary>
        private const int StagePasses = 3;

        private static string PerRowStages(Core.Model.UmapModel model, LabelledData test)
        {
            int k = model.NewRowNeighborCount;
            var indices = new int[test.Rows * k];
            var distances = new float[test.Rows * k];
            var scratch = new Core.Transform.NewPointEmbedder.Scratch();
            var destination = new float[model.ComponentCount];
            double query = double.MaxValue, place = double.MaxValue;
            var clock = new Stopwatch();
            for (int pass = 0; pass < StagePasses; pass++)
            {
                clock.Restart();
                for (int i = 0; i < test.Rows; i++)
                    model.QueryTrainingNeighbors(Features(test, i), indices.AsSpan(i * k, k), distances.AsSpan(i * k, k));
                query = Math.Min(query, clock.Elapsed.TotalSeconds);
                clock.Restart();
                for (int i = 0; i < test.Rows; i++)
                    model.Embed(Features(test, i), destination, scratch, indices.AsSpan(i * k, k), distances.AsSpan(i * k, k));
                place = Math.Min(place, clock.Elapsed.TotalSeconds);
            }
            return $"A new row measured apart (best of {StagePasses} passes): neighbour query {query / test.Rows * 1e6:F0} µs, placement {place / test.Rows * 1e6:F0} µs";
        }

        private static Core.Numerics.VectorView Features(LabelledData data, int i) =>
            Core.Numerics.VectorView.Dense(data.Features.AsSpan(i * data.Columns, data.Columns));

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
