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
            var all = Enumerable.Range(0, digits.Rows).ToArray();
            var labelled = all.Where(i => i % 2 == 0).ToArray();
            var hidden = all.Where(i => i % 2 == 1).ToArray();
            ReportStrandedPoints(digits, labelled);
            float HalfLabelled(int i) => i % 2 == 0 ? labels[i] : float.NaN;

            Console.WriteLine("seed  unsupervised hidden | semi tw 0.5: labelled  hidden | semi tw 1.0: labelled  hidden | supervised");
            foreach (int seed in new[] { 1, 2, 3 })
            {
                var unsupervised = Fit(digits, seed, null, 0.5f);
                var semi = Fit(digits, seed, HalfLabelled, 0.5f);
                var semiFull = Fit(digits, seed, HalfLabelled, 1f);
                var supervised = Fit(digits, seed, i => labels[i], 0.5f);
                Console.WriteLine(
                    $"{seed,4}  {Accuracy(unsupervised, labels, hidden),19:F4} | {Accuracy(semi, labels, labelled),21:F4}  {Accuracy(semi, labels, hidden),6:F4} | " +
                    $"{Accuracy(semiFull, labels, labelled),21:F4}  {Accuracy(semiFull, labels, hidden),6:F4} | {UmapMetrics.KnnAccuracy(supervised, labels, 10, 5),10:F4}");
            }
            return 0;
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
            public float[] Features { get; set; }

            public float Label { get; set; }
        }

        private static float[][] Fit(LabelledData digits, int seed, Func<int, float> label, float targetWeight)
        {
            var ml = new MLContext(seed: seed);
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new Row { Features = digits.Row(i), Label = label?.Invoke(i) ?? 0 });
            var data = ml.Data.LoadFromEnumerable(rows);
            var options = new UmapEstimator.Options { Seed = seed, LabelColumnName = label == null ? null : "Label", TargetWeight = targetWeight };
            return ml.Transforms.Umap(options).Fit(data).GetTrainingEmbedding();
        }

        private static double Accuracy(float[][] embedding, int[] labels, int[] rows) =>
            UmapMetrics.KnnAccuracy(rows.Select(i => embedding[i]).ToArray(), rows.Select(i => labels[i]).ToArray(), 10, 5);
    }
}
