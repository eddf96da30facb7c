using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Parametric;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Many encoder trainings from one UMAP fit of the first N MNIST training digits (seed 42), to compare settings
    /// without fitting again: each argument after N and M is
    /// <c>layers/epochs/batch/rate[/refinement/refinementRate[/reg|obj|anchored[/seed]]]</c> (layers as <c>100,100,100</c>;
    /// <c>reg</c>, the default, regresses onto the fit's embedding and then runs the refinement epochs of the objective,
    /// <c>obj</c> trains on the objective alone, <c>anchored</c> on the objective anchored to the fit's embedding), and any
    /// segment <c>key=value</c> among them sets an option: <c>pca=P</c> trains on the rows' top P principal components
    /// (<see cref="InputProjection"/>, folded into the first layer afterwards, its time counted), <c>neg=N</c> draws N
    /// negative samples per edge, <c>aw=W</c> sets the anchor's weight and <c>awend=W</c> makes it change linearly to W. Trains as <see cref="ParametricFitter"/> does and prints the training
    /// time, the first M test digits' kNN accuracy (k = 10, classified by the training embedding) and trustworthiness@15,
    /// and the training embedding's trustworthiness@15.
    /// </summary>
    internal static class ParametricSweep
    {
        public static int Run(string[] args)
        {
            int trainRows = int.Parse(args[1]);
            int testRows = int.Parse(args[2]);
            string dir = Measure.MnistDirectory();
            var train = Datasets.Mnist("train", dir).Take(trainRows);
            var test = Datasets.Mnist("t10k", dir).Take(testRows);
            var trainSet = new DenseVectorSet(new RowMatrix(train.Features, train.Rows, train.Columns));
            var testSet = new DenseVectorSet(new RowMatrix(test.Features, test.Rows, test.Columns));
            var parameters = new UmapParameters { Seed = 42 };
            var testPixels = Enumerable.Range(0, test.Rows).Select(test.Row).ToArray();
            var trainPixels = Enumerable.Range(0, train.Rows).Select(train.Row).ToArray();
            var clock = Stopwatch.StartNew();
            var fit = UmapFitter.Fit(trainSet, parameters, new FitMonitor());
            Console.WriteLine($"umap fit {clock.Elapsed.TotalSeconds:F1} s");
            var summary = fit.Model.Summary;
            var graph = EdgeSchedule.Prune(fit.FuzzySet.Graph, summary.Epochs, parameters.DefaultEpochsFor(trainRows));
            var curve = new UmapGradient(summary.A, summary.B, parameters.RepulsionStrength);
            foreach (var config in args.Skip(3))
            {
                var segments = config.Split('/');
                var p = segments.Where(x => !x.Contains('=')).ToArray();
                var options = segments.Where(x => x.Contains('=')).ToDictionary(x => x[..x.IndexOf('=')], x => x[(x.IndexOf('=') + 1)..]);
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                int components = options.TryGetValue("pca", out var pca) ? int.Parse(pca) : 0;
                int negatives = options.TryGetValue("neg", out var neg) ? int.Parse(neg) : parameters.NegativeSampleRate;
                float anchorWeight = options.TryGetValue("aw", out var aw) ? float.Parse(aw, invariant) : EncoderTraining.AnchorWeight;
                float? finalAnchorWeight = options.TryGetValue("awend", out var awend) ? float.Parse(awend, invariant) : null;
                int[] layers = p[0].Split(',').Select(int.Parse).ToArray();
                int epochs = int.Parse(p[1]);
                int batch = int.Parse(p[2]);
                double lr = double.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture);
                int refine = p.Length > 4 ? int.Parse(p[4]) : 0;
                double refineLr = p.Length > 5 ? double.Parse(p[5], System.Globalization.CultureInfo.InvariantCulture) : lr;
                string scheme = p.Length > 6 ? p[6] : "reg";
                ulong seed = p.Length > 7 ? ulong.Parse(p[7]) : parameters.Seed;
                clock.Restart();
                var projection = components > 0 ? InputProjection.Compute(trainSet, components, seed ^ 0x70726F6A656374UL, parameters.NumberOfThreads) : null;
                VectorSet inputs = projection is null ? trainSet : projection.Project(trainSet, parameters.NumberOfThreads, default);
                double projectionSeconds = clock.Elapsed.TotalSeconds;
                var network = EncoderNetwork.Initialize(new[] { inputs.Dimension }.Concat(layers).Append(2).ToArray(), seed ^ 0x696E6974UL);
                using var trainer = new EncoderTrainer(network, inputs, EncoderTrainer.InputScale(inputs), batch, parameters.NumberOfThreads, default);
                if (scheme == "reg")
                {
                    EncoderTraining.Regress(trainer, fit.Model.Embedding, epochs, batch, lr, seed, (d, t) => { });
                    trainer.ResetOptimizer();
                    EncoderTraining.OptimizeObjective(trainer, graph, curve, parameters.NegativeSampleRate, refine, batch, refineLr, seed, (d, t) => { });
                }
                else if (scheme == "anchored")
                {
                    EncoderTraining.OptimizeObjective(trainer, graph, curve, negatives, epochs, batch, lr, seed, (d, t) => { }, fit.Model.Embedding, anchorWeight, finalAnchorWeight);
                }
                else
                {
                    EncoderTraining.OptimizeObjective(trainer, graph, curve, negatives, epochs, batch, lr, seed, (d, t) => { });
                }
                trainer.FoldInputScale();
                var unfolded = network;
                if (projection is not null)
                    network = projection.Fold(network);
                double seconds = clock.Elapsed.TotalSeconds;
                string foldCheck = "";
                if (projection is not null)
                {
                    // The folded network on the raw rows against the trained one on their scores.
                    var direct = network.Embed(testSet, parameters.NumberOfThreads, default);
                    var composed = unfolded.Embed(projection.Project(testSet, parameters.NumberOfThreads, default), parameters.NumberOfThreads, default);
                    double largest = 0;
                    for (int i = 0; i < direct.Values.Length; i++)
                        largest = Math.Max(largest, Math.Abs(direct.Values[i] - composed.Values[i]));
                    foldCheck = $", fold differs by at most {largest:G3}";
                }
                var trainEmbedding = network.Embed(trainSet, parameters.NumberOfThreads, default);
                var testEmbedding = network.Embed(testSet, parameters.NumberOfThreads, default);
                var tr = Rows(trainEmbedding);
                var te = Rows(testEmbedding);
                double accuracy = UmapMetrics.KnnAccuracy(tr, train.Labels, te, test.Labels, neighbors: 10);
                double testTrust = UmapMetrics.Trustworthiness(testPixels, te, neighbors: 15, sampleSize: 5000, seed: 1);
                double trainTrust = UmapMetrics.Trustworthiness(trainPixels, tr, neighbors: 15, sampleSize: 5000, seed: 1);
                Console.WriteLine($"{config}: train {seconds:F1} s{(projection is null ? "" : $" (projection {projectionSeconds:F1} s)")}, test kNN {accuracy:F4}, test trust {testTrust:F4}, train trust {trainTrust:F4}{foldCheck}");
            }
            return 0;
        }

        private static float[][] Rows(RowMatrix matrix) => Enumerable.Range(0, matrix.Rows).Select(i => matrix.ReadOnlyRow(i).ToArray()).ToArray();
    }
}
