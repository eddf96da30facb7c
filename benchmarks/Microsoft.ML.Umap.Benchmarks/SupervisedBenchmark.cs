using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Supervised and semi-supervised quality on digits with the protocol of the tests (kNN accuracy, k = 10, 5-fold;
    /// every second label hidden), over several seeds and target weights. benchmarks/reference/supervised_digits.py
    /// prints the same table for umap-learn.
    /// </summary>
    internal static class SupervisedBenchmark
    {
        private const int Neighbors = 15;

        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            var digits = Datasets.Digits();
            var labels = digits.Labels;
            var (labelled, hidden) = Halves(digits.Rows);
            ReportStrandedPoints(digits, labelled);
            float HalfLabelled(int i) => i % 2 == 0 ? labels[i] : float.NaN;

            Console.WriteLine("Within label: NeighborsWithinLabel = true (not in umap-learn), target weight 0.5.");
            Console.WriteLine("seed  unsupervised hidden | semi tw 0.5: labelled  hidden | semi tw 1.0: labelled  hidden | semi within label: labelled  hidden | supervised | within label");
            foreach (int seed in new[] { 1, 2, 3 })
            {
                var unsupervised = Fit(digits, seed, null);
                var semi = Fit(digits, seed, HalfLabelled);
                var semiFull = Fit(digits, seed, HalfLabelled, targetWeight: 1f);
                var semiWithin = Fit(digits, seed, HalfLabelled, withinLabel: true);
                var supervised = Fit(digits, seed, i => labels[i]);
                var supervisedWithin = Fit(digits, seed, i => labels[i], withinLabel: true);
                Console.WriteLine(
                    $"{seed,4}  {Accuracy(unsupervised, labels, hidden),19:F4} | {Accuracy(semi, labels, labelled),21:F4}  {Accuracy(semi, labels, hidden),6:F4} | " +
                    $"{Accuracy(semiFull, labels, labelled),21:F4}  {Accuracy(semiFull, labels, hidden),6:F4} | " +
                    $"{Accuracy(semiWithin, labels, labelled),27:F4}  {Accuracy(semiWithin, labels, hidden),6:F4} | " +
                    $"{UmapMetrics.KnnAccuracy(supervised, labels, 10, 5),10:F4} | {UmapMetrics.KnnAccuracy(supervisedWithin, labels, 10, 5),12:F4}");
            }
            return 0;
        }

        /// <summary>
        /// MNIST 70k with every second label hidden, umap-learn's categorical intersection against
        /// NeighborsWithinLabel: fit time, peak memory and kNN accuracy of both halves (seed 42).
        /// </summary>
        public static int RunMnist()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            var mnist = Measure.Mnist70k();
            var labels = mnist.Labels;
            var (labelled, hidden) = Halves(mnist.Rows);
            Console.WriteLine("MNIST 70k, every second label hidden, seed 42.");
            Console.WriteLine("NeighborsWithinLabel  fit (s)  neighbours (s)  labelled  hidden");
            foreach (bool within in new[] { false, true })
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var ml = new MLContext(seed: 42);
                var rows = Enumerable.Range(0, mnist.Rows).Select(i => new MnistRow { Features = mnist.Row(i), Label = i % 2 == 0 ? labels[i] : float.NaN });
                var options = new UmapEstimator.Options { Seed = 42, LabelColumnName = "Label", NeighborsWithinLabel = within };
                var model = ml.Transforms.Umap(options).Fit(ml.Data.LoadFromEnumerable(rows));
                double seconds = clock.Elapsed.TotalSeconds;
                var embedding = model.GetTrainingEmbedding();
                double neighbours = model.StageDurations[UmapStage.Neighbors].TotalSeconds;
                Console.WriteLine($"{within,20}  {seconds,7:F1}  {neighbours,14:F1}  {Accuracy(embedding, labels, labelled),8:F4}  {Accuracy(embedding, labels, hidden),6:F4}");
            }
            Console.WriteLine($"Peak working set over both fits: {Measure.PeakWorkingSetMegabytes():F0} MB");
            return 0;
        }

        /// <summary>The rows that keep their label (even) and those whose label is hidden (odd).</summary>
        private static (int[] Labelled, int[] Hidden) Halves(int rows)
        {
            var all = Enumerable.Range(0, rows).ToArray();
            return (all.Where(i => i % 2 == 0).ToArray(), all.Where(i => i % 2 == 1).ToArray());
        }

        private sealed class MnistRow
        {
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();

            public float Label { get; set; }
        }

        /// <summary>
        /// Counts the labelled points with no labelled neighbour of their class, and those with no neighbour of their
        /// class at all, among their data neighbours: the categorical intersection only reweights the neighbour graph,
        /// so nothing pulls such a point towards its class.
        /// </summary>
        private static void ReportStrandedPoints(LabelledData digits, int[] labelled)
        {
            var matrix = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(matrix), default, Environment.ProcessorCount);
            var indices = new int[Neighbors + 1];
            var distances = new float[Neighbors + 1];
            int noLabelledFriend = 0, noFriend = 0;
            foreach (int row in labelled)
            {
                exact.Query(VectorView.Dense(matrix.ReadOnlyRow(row)), indices, distances);
                var friends = indices.Where(j => j != row && digits.Labels[j] == digits.Labels[row]).ToArray();
                noFriend += friends.Length == 0 ? 1 : 0;
                noLabelledFriend += friends.All(j => j % 2 == 1) ? 1 : 0;
            }
            Console.WriteLine(
                $"Labelled points ({labelled.Length}) with no labelled neighbour of their class among their {Neighbors} nearest: {noLabelledFriend}; " +
                $"with no neighbour of their class at all: {noFriend}");
        }

        private sealed class Row
        {
            [VectorType(64)]
            public float[] Features { get; set; } = Array.Empty<float>();

            public float Label { get; set; }
        }

        private static float[][] Fit(LabelledData digits, int seed, Func<int, float>? label, float targetWeight = 0.5f, bool withinLabel = false)
        {
            var ml = new MLContext(seed: seed);
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new Row { Features = digits.Row(i), Label = label?.Invoke(i) ?? 0 });
            var data = ml.Data.LoadFromEnumerable(rows);
            var options = new UmapEstimator.Options { Seed = seed, LabelColumnName = label == null ? null : "Label", TargetWeight = targetWeight, NeighborsWithinLabel = withinLabel };
            return ml.Transforms.Umap(options).Fit(data).GetTrainingEmbedding();
        }

        private static double Accuracy(float[][] embedding, int[] labels, int[] rows) =>
            UmapMetrics.KnnAccuracy(rows.Select(i => embedding[i]).ToArray(), rows.Select(i => labels[i]).ToArray(), 10, 5);
    }
}
