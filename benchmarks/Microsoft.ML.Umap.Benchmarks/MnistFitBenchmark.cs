using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The whole fit on MNIST 70k with default parameters through the public API, then recall of the
    /// neighbour search and the quality of the embedding.
    /// </summary>
    internal static class MnistFitBenchmark
    {
        private const int Seed = 42;

        public static int Run(int rows)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            var read = Stopwatch.StartNew();
            var mnist = Measure.Mnist70k();
            if (rows < mnist.Rows)
                mnist = mnist.Take(rows);
            Console.WriteLine($"Read MNIST: {mnist.Rows} x {mnist.Columns} in {read.Elapsed.TotalSeconds:F2} s (not counted below)");

            var ml = new MLContext(seed: Seed);
            var data = Measure.Load(ml, mnist.Features, mnist.Rows, mnist.Columns);
            var estimator = ml.Transforms.Umap(new UmapEstimator.Options { Seed = Seed, Progress = new Measure.ConsoleProgress() });
            var fitClock = Stopwatch.StartNew();
            var model = estimator.Fit(data);
            double fitSeconds = fitClock.Elapsed.TotalSeconds;
            double peakMegabytes = Measure.PeakWorkingSetMegabytes();

            Console.WriteLine();
            Console.WriteLine($"Fit (default parameters, {model.Parameters.NumberOfEpochs} epochs, seed {Seed}): {fitSeconds:F2} s, peak working set {peakMegabytes:F0} MB");
            foreach (var (stage, duration) in model.StageDurations)
                Console.WriteLine($"  {stage,-15} {duration.TotalSeconds,7:F2} s");

            var matrix = new RowMatrix(mnist.Features, mnist.Rows, mnist.Columns);
            double recall = Recall(matrix, sampleSize: 2000);
            Console.WriteLine($"Recall@15 of the neighbour graph on 2,000 sampled rows: {recall:F4}");

            var embedding = model.GetTrainingEmbedding();
            var qualityClock = Stopwatch.StartNew();
            var (trust, knn) = Measure.Quality(mnist, embedding);
            Console.WriteLine($"Trustworthiness@15 (5,000-row sample): {trust:F4}");
            Console.WriteLine($"kNN accuracy (k = 10, train on the first {Measure.TrainRows(mnist):N0}, test on the rest): {knn:F4}   ({qualityClock.Elapsed.TotalSeconds:F1} s)");
            return 0;
        }

        /// <summary>Fraction of the true 15 nearest neighbours (the row itself excluded) that the fit's search finds.</summary>
        public static double Recall(RowMatrix data, int sampleSize)
        {
            // The same search the fit ran: it is deterministic for the seed, so the graph is the fit's graph.
            var parameters = new UmapParameters { Seed = unchecked((ulong)(uint)Seed) };
            var clock = Stopwatch.StartNew();
            var graph = NeighborSearchFactory.Create(new DenseVectorSet(data), parameters).ComputeGraph(parameters.NumberOfNeighbors, new FitMonitor());
            Console.WriteLine($"  (neighbour search re-run alone: {clock.Elapsed.TotalSeconds:F2} s)");
            return NeighborsBenchmark.Recall(data, graph, sampleSize);
        }
    }
}
