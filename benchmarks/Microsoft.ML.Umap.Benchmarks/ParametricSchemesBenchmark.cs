using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Parametric;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The ways of training the parametric encoder, side by side on MNIST (the first N training digits, the first M test
    /// digits): regression onto the non-parametric embedding (then R epochs of the UMAP objective), the UMAP objective
    /// alone, and the objective anchored to the embedding, with the non-parametric fit and transform as the reference. Prints fit time, test kNN accuracy
    /// (k = 10, classified by the training embedding) and trustworthiness@15 of test and training embeddings.
    /// </summary>
    internal static class ParametricSchemesBenchmark
    {
        public static int Run(string[] args)
        {
            int trainRows = args.Length > 1 ? int.Parse(args[1]) : 60_000;
            int testRows = args.Length > 2 ? int.Parse(args[2]) : 10_000;
            string scheme = args.Length > 3 ? args[3] : "all";
            int? epochs = args.Length > 4 ? int.Parse(args[4]) : null;
            int? refinement = args.Length > 5 ? int.Parse(args[5]) : null;
            int[] layers = args.Length > 6 ? args[6].Split(',').Select(int.Parse).ToArray() : EncoderSettings.DefaultHiddenLayers;
            int batch = args.Length > 7 ? int.Parse(args[7]) : new EncoderSettings().BatchSize;
            double rate = args.Length > 8 ? double.Parse(args[8], System.Globalization.CultureInfo.InvariantCulture) : new EncoderSettings().LearningRate;
            bool skipReference = Environment.GetEnvironmentVariable("UMAP_SKIP_REFERENCE") == "1";
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir).Take(trainRows);
            var test = Datasets.Mnist("t10k", dir).Take(testRows);
            var trainSet = new DenseVectorSet(new RowMatrix(train.Features, train.Rows, train.Columns));
            var testSet = new DenseVectorSet(new RowMatrix(test.Features, test.Rows, test.Columns));
            var parameters = new UmapParameters { Seed = 42 };
            var testPixels = Enumerable.Range(0, test.Rows).Select(test.Row).ToArray();
            var trainPixels = Enumerable.Range(0, train.Rows).Select(train.Row).ToArray();

            var clock = Stopwatch.StartNew();
            var reference = UmapFitter.Fit(trainSet, parameters, new FitMonitor());
            double referenceSeconds = clock.Elapsed.TotalSeconds;
            var scratch = new Core.Transform.NewPointEmbedder.Scratch();
            var placed = new float[test.Rows][];
            for (int i = 0; i < test.Rows; i++)
            {
                placed[i] = new float[2];
                reference.Model.Embed(testSet[i], placed[i], scratch);
            }
            if (!skipReference)
                Report("non-parametric", referenceSeconds, Rows(reference.Model.Embedding), placed, train, test, trainPixels, testPixels);

            foreach (var (name, training) in new[] { ("regression", EncoderTrainingScheme.EmbeddingRegression), ("objective", EncoderTrainingScheme.UmapObjective), ("anchored", EncoderTrainingScheme.AnchoredObjective) })
            {
                if (scheme != "all" && scheme != name)
                    continue;
                var settings = new EncoderSettings { Scheme = training, Epochs = epochs, RefinementEpochs = refinement, HiddenLayers = layers, BatchSize = batch, LearningRate = rate };
                clock.Restart();
                var fit = ParametricFitter.Fit(trainSet, parameters, settings, new FitMonitor());
                double seconds = clock.Elapsed.TotalSeconds;
                var trainEmbedding = fit.Model.Embed(trainSet, default);
                var testEmbedding = fit.Model.Embed(testSet, default);
                Report($"parametric {name} ({settings.EpochsFor(train.Rows)} + {settings.RefinementEpochs ?? EncoderSettings.DefaultRefinementEpochs} epochs, {string.Join("-", layers)}, batch {batch}, rate {rate}; training {fit.StageDurations[(int)UmapStage.EncoderTraining].TotalSeconds:F1} s)",
                    seconds, Rows(trainEmbedding), Rows(testEmbedding), train, test, trainPixels, testPixels);
            }
            return 0;
        }

        private static float[][] Rows(RowMatrix matrix) => Enumerable.Range(0, matrix.Rows).Select(i => matrix.ReadOnlyRow(i).ToArray()).ToArray();

        private static void Report(string name, double seconds, float[][] trainEmbedding, float[][] testEmbedding, LabelledData train, LabelledData test, float[][] trainPixels, float[][] testPixels)
        {
            double accuracy = UmapMetrics.KnnAccuracy(trainEmbedding, train.Labels, testEmbedding, test.Labels, neighbors: 10);
            double testTrust = UmapMetrics.Trustworthiness(testPixels, testEmbedding, neighbors: 15, sampleSize: 5000, seed: 1);
            double trainTrust = UmapMetrics.Trustworthiness(trainPixels, trainEmbedding, neighbors: 15, sampleSize: 5000, seed: 1);
            Console.WriteLine($"{name}: fit {seconds:F1} s, test kNN accuracy {accuracy:F4}, test trustworthiness@15 {testTrust:F4}, training trustworthiness@15 {trainTrust:F4}");
        }
    }
}
