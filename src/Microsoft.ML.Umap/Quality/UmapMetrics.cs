using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.MlNet;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// Quality measures of an embedding: how well it keeps the input's neighbourhoods (trustworthiness) and how
    /// well it separates known classes (k-nearest-neighbour classification accuracy).
    /// </summary>
    public static class UmapMetrics
    {
        /// <summary>
        /// Trustworthiness T(k) of an embedding (Venna &amp; Kaski; scikit-learn's <c>trustworthiness</c>):
        /// 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_i} (r(i, j) − k), where U_i are the k nearest neighbours of
        /// row i in the embedding that are not among its k nearest in the input, and r(i, j) is j's rank by input
        /// distance from i. 1 means every embedded neighbourhood is a true one. Euclidean distance in both spaces;
        /// ties are broken by row index.
        /// </summary>
        /// <param name="input">The input rows, n × d.</param>
        /// <param name="embedding">The embedded rows, n × m, in the same order.</param>
        /// <param name="neighbors">k; must be below n / 2.</param>
        /// <param name="sampleSize">
        /// If set and below n, the sum runs over this many rows drawn at random (all n rows still count as
        /// neighbours) and is rescaled, giving an unbiased estimate at a fraction of the O(n² d) cost.
        /// </param>
        /// <param name="seed">Seed for the sample.</param>
        /// <exception cref="ArgumentException">The arrays are empty, ragged, of different lengths, or k is out of range.</exception>
        public static double Trustworthiness(float[][] input, float[][] embedding, int neighbors = 15, int? sampleSize = null, int seed = 0)
            => Trustworthiness(new DenseVectorSet(ToMatrix(input, nameof(input))), ToMatrix(embedding, nameof(embedding)), neighbors, sampleSize, seed);

        /// <summary>
        /// Accuracy of a k-nearest-neighbour classifier on the embedding, estimated by
        /// <paramref name="folds"/>-fold cross-validation: row i is in fold i mod folds, and each row is classified by
        /// majority vote of its k nearest rows from the other folds (ties go to the smallest label, as in
        /// scikit-learn).
        /// </summary>
        /// <param name="embedding">The embedded rows, n × m.</param>
        /// <param name="labels">Class of each row.</param>
        /// <param name="neighbors">k.</param>
        /// <param name="folds">Number of folds, at least 2.</param>
        public static double KnnAccuracy(float[][] embedding, int[] labels, int neighbors = 10, int folds = 5)
            => KnnAccuracy(ToMatrix(embedding, nameof(embedding)), labels, neighbors, folds);

        /// <summary>
        /// Accuracy of a k-nearest-neighbour classifier trained on <paramref name="trainEmbedding"/> and tested on
        /// <paramref name="testEmbedding"/> (majority vote, ties to the smallest label).
        /// </summary>
        public static double KnnAccuracy(float[][] trainEmbedding, int[] trainLabels, float[][] testEmbedding, int[] testLabels, int neighbors = 10)
            => KnnAccuracy(ToMatrix(trainEmbedding, nameof(trainEmbedding)), trainLabels, ToMatrix(testEmbedding, nameof(testEmbedding)), testLabels, neighbors);

        /// <summary>
        /// The adjusted Rand index between two clusterings of the same rows (Hubert &amp; Arabie, 1985; scikit-learn's
        /// <c>adjusted_rand_score</c>): 1 for identical partitions (whatever the cluster numbers), about 0 for
        /// independent ones.
        /// </summary>
        /// <param name="labels">One clustering, a label per row.</param>
        /// <param name="clusters">The other clustering.</param>
        public static double AdjustedRandIndex(int[] labels, int[] clusters)
        {
            ArgumentNullException.ThrowIfNull(labels);
            ArgumentNullException.ThrowIfNull(clusters);
            if (labels.Length != clusters.Length)
                throw new ArgumentException($"There are {labels.Length} labels and {clusters.Length} cluster assignments.", nameof(clusters));
            int n = labels.Length;
            var contingency = new Dictionary<(int, int), long>();
            var rowSums = new Dictionary<int, long>();
            var columnSums = new Dictionary<int, long>();
            for (int i = 0; i < n; i++)
            {
                contingency[(labels[i], clusters[i])] = contingency.GetValueOrDefault((labels[i], clusters[i])) + 1;
                rowSums[labels[i]] = rowSums.GetValueOrDefault(labels[i]) + 1;
                columnSums[clusters[i]] = columnSums.GetValueOrDefault(clusters[i]) + 1;
            }
            static double Pairs(long count) => count * (count - 1) / 2.0;
            double index = 0, rows = 0, columns = 0;
            foreach (long c in contingency.Values)
                index += Pairs(c);
            foreach (long c in rowSums.Values)
                rows += Pairs(c);
            foreach (long c in columnSums.Values)
                columns += Pairs(c);
            double expected = rows * columns / Pairs(n);
            double maximum = (rows + columns) / 2.0;
            // Both clusterings trivial (one cluster, or all singletons): they agree perfectly.
            return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
        }

        /// <summary>
        /// <see cref="Trustworthiness(float[][], float[][], int, int?, int)"/> of the columns of a data view, for example the
        /// output of a fitted pipeline: <paramref name="inputColumnName"/> holds the input vectors and
        /// <paramref name="embeddingColumnName"/> their embedding (vectors of <see cref="float"/>, dense or sparse). The
        /// input column is read as a fit reads it, so a sparse one (hashed text, one-hot codes) is measured on its
        /// non-zeros: memory follows them, not the declared width, and the score is the dense computation's.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A column is missing or is not a vector of <see cref="float"/>.</exception>
        /// <exception cref="InvalidOperationException">A row holds NaN, an infinity or values too large to measure (the message names the column and row).</exception>
        /// <exception cref="ArgumentException">The data are empty, or k or the sample size is out of range.</exception>
        public static double Trustworthiness(IDataView data, string inputColumnName, string embeddingColumnName, int neighbors = 15, int? sampleSize = null, int seed = 0)
            => Trustworthiness(MetricColumns.Rows(data, inputColumnName), MetricColumns.Matrix(data, embeddingColumnName), neighbors, sampleSize, seed);

        /// <summary>
        /// <see cref="KnnAccuracy(float[][], int[], int, int)"/> of a data view's columns: the embedding and each row's class
        /// in <paramref name="labelColumnName"/> (a key, integer, floating-point, Boolean or text column; every row needs a
        /// label).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A column is missing or of an unsupported type.</exception>
        /// <exception cref="ArgumentException">A row has no label, or k or the number of folds is out of range.</exception>
        public static double KnnAccuracy(IDataView data, string embeddingColumnName, string labelColumnName, int neighbors = 10, int folds = 5)
            => KnnAccuracy(MetricColumns.Matrix(data, embeddingColumnName), MetricColumns.Classes(data, labelColumnName), neighbors, folds);

        /// <summary>
        /// <see cref="KnnAccuracy(float[][], int[], float[][], int[], int)"/> of two data views with the same columns: a
        /// classifier on <paramref name="train"/>'s embedding, tested on <paramref name="test"/>'s. Labels are matched by value
        /// (for key columns, by key index, so both views should come from the same pipeline).
        /// </summary>
        public static double KnnAccuracy(IDataView train, IDataView test, string embeddingColumnName, string labelColumnName, int neighbors = 10)
        {
            var ids = new Dictionary<string, int>();
            var trainClasses = MetricColumns.Classes(train, labelColumnName, ids);
            var testClasses = MetricColumns.Classes(test, labelColumnName, ids);
            return KnnAccuracy(MetricColumns.Matrix(train, embeddingColumnName), trainClasses, MetricColumns.Matrix(test, embeddingColumnName), testClasses, neighbors);
        }

        /// <summary>
        /// <see cref="AdjustedRandIndex(int[], int[])"/> of two columns of a data view, for example the known classes and the
        /// <c>PredictedLabel</c> of a clustering trainer.
        /// </summary>
        public static double AdjustedRandIndex(IDataView data, string labelColumnName, string clusterColumnName)
            => AdjustedRandIndex(MetricColumns.Classes(data, labelColumnName), MetricColumns.Classes(data, clusterColumnName));

        internal static double Trustworthiness(VectorSet input, RowMatrix embedding, int neighbors, int? sampleSize, int seed)
        {
            int n = input.Count;
            if (embedding.Rows != n)
                throw new ArgumentException($"The input has {n} rows but the embedding has {embedding.Rows}.", nameof(embedding));
            if (neighbors < 1 || 2 * neighbors >= n)
                throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors, $"k must be at least 1 and below n / 2 = {n / 2.0}.");

            int[] queries = SampleRows(n, sampleSize, seed);
            var penalties = new long[queries.Length];
            var embedded = Index(embedding);
            var squared = default(SquaredEuclideanDistance);
            ParallelRange.For(queries.Length, 16, Environment.ProcessorCount, (start, end) =>
            {
                var inputDistances = new float[n];
                var embeddedIdx = new int[neighbors];
                var embeddedDist = new float[neighbors];
                var inputIdx = new int[neighbors];
                var inputDist = new float[neighbors];
                for (int q = start; q < end; q++)
                {
                    int i = queries[q];
                    var row = input[i];
                    for (int j = 0; j < n; j++)
                        inputDistances[j] = j == i ? float.PositiveInfinity : Distance.Reduced(in squared, row, input[j]);

                    embedded.Query(VectorView.Dense(embedding.ReadOnlyRow(i)), embeddedIdx, embeddedDist, excluded: i);
                    // The k-th nearest input neighbour bounds the input neighbourhood.
                    NeighborHeap.Clear(inputDist, inputIdx);
                    for (int j = 0; j < n; j++)
                    {
                        if (j != i)
                            NeighborHeap.Push(inputDist, inputIdx, inputDistances[j], j);
                    }
                    float kthDistance = inputDist[0];
                    int kthIndex = inputIdx[0];

                    long penalty = 0;
                    foreach (int j in embeddedIdx)
                    {
                        float dj = inputDistances[j];
                        if (dj < kthDistance || (dj == kthDistance && j <= kthIndex))
                            continue; // among the input neighbours: no penalty
                        int rank = 1; // 1-based rank of j by input distance from i
                        for (int l = 0; l < n; l++)
                        {
                            float dl = inputDistances[l];
                            if (dl < dj || (dl == dj && l < j))
                                rank++;
                        }
                        penalty += rank - neighbors;
                    }
                    penalties[q] = penalty;
                }
            });

            double total = 0;
            foreach (long p in penalties)
                total += p;
            double m = queries.Length;
            return 1.0 - total * 2.0 / (m * neighbors * (2.0 * n - 3.0 * neighbors - 1.0));
        }

        internal static double KnnAccuracy(RowMatrix embedding, int[] labels, int neighbors, int folds)
        {
            int n = embedding.Rows;
            CheckLabels(labels, n, nameof(labels));
            if (folds < 2 || folds > n)
                throw new ArgumentOutOfRangeException(nameof(folds), folds, $"folds must be between 2 and the number of rows ({n}).");
            if (neighbors < 1 || neighbors > n - (n + folds - 1) / folds)
                throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors, "k must be at least 1 and at most the size of the training folds.");

            // Each fold is classified by an index of the other folds' rows, in their original order (so ties break
            // by row index, as a scan of all rows would).
            int correct = 0;
            for (int fold = 0; fold < folds; fold++)
            {
                var (training, trainingLabels) = OtherFolds(embedding, labels, fold, folds);
                var index = Index(training);
                int testRows = (n - fold + folds - 1) / folds;
                ParallelRange.For(testRows, 64, Environment.ProcessorCount, (start, end) =>
                {
                    var idx = new int[neighbors];
                    var dist = new float[neighbors];
                    int local = 0;
                    for (int t = start; t < end; t++)
                    {
                        int i = fold + t * folds;
                        index.Query(VectorView.Dense(embedding.ReadOnlyRow(i)), idx, dist);
                        if (Vote(idx, trainingLabels) == labels[i])
                            local++;
                    }
                    Interlocked.Add(ref correct, local);
                });
            }
            return (double)correct / n;
        }

        internal static double KnnAccuracy(RowMatrix train, int[] trainLabels, RowMatrix test, int[] testLabels, int neighbors)
        {
            CheckLabels(trainLabels, train.Rows, nameof(trainLabels));
            CheckLabels(testLabels, test.Rows, nameof(testLabels));
            if (train.Columns != test.Columns)
                throw new ArgumentException($"The training embedding has {train.Columns} columns but the test embedding has {test.Columns}.");
            if (neighbors < 1 || neighbors > train.Rows)
                throw new ArgumentOutOfRangeException(nameof(neighbors), neighbors, $"k must be between 1 and the number of training rows ({train.Rows}).");
            if (test.Rows == 0)
                throw new ArgumentException("The test set is empty.", nameof(testLabels));

            var index = Index(train);
            int correct = 0;
            ParallelRange.For(test.Rows, 64, Environment.ProcessorCount, (start, end) =>
            {
                var idx = new int[neighbors];
                var dist = new float[neighbors];
                int local = 0;
                for (int i = start; i < end; i++)
                {
                    index.Query(VectorView.Dense(test.ReadOnlyRow(i)), idx, dist);
                    if (Vote(idx, trainLabels) == testLabels[i])
                        local++;
                }
                Interlocked.Add(ref correct, local);
            });
            return (double)correct / test.Rows;
        }

        /// <summary>The most frequent label among the neighbours; ties go to the smallest label.</summary>
        private static int Vote(int[] neighbors, int[] labels)
        {
            int best = int.MaxValue, bestCount = 0;
            foreach (int a in neighbors)
            {
                int label = labels[a];
                int count = 0;
                foreach (int b in neighbors)
                {
                    if (labels[b] == label)
                        count++;
                }
                if (count > bestCount || (count == bestCount && label < best))
                {
                    best = label;
                    bestCount = count;
                }
            }
            return best;
        }

        /// <summary>An exact squared-Euclidean neighbour index of the rows (the search the fit itself uses).</summary>
        private static ExactNearestNeighbors<SquaredEuclideanDistance> Index(RowMatrix rows) =>
            new ExactNearestNeighbors<SquaredEuclideanDistance>(new DenseVectorSet(rows), default, 1);

        /// <summary>The rows (and their labels) outside fold <paramref name="fold"/>: rows i with i mod folds ≠ fold, in order.</summary>
        private static (RowMatrix Rows, int[] Labels) OtherFolds(RowMatrix rows, int[] labels, int fold, int folds)
        {
            int count = rows.Rows - (rows.Rows - fold + folds - 1) / folds;
            var matrix = new RowMatrix(count, rows.Columns);
            var kept = new int[count];
            for (int i = 0, r = 0; i < rows.Rows; i++)
            {
                if (i % folds == fold)
                    continue;
                rows.ReadOnlyRow(i).CopyTo(matrix.Row(r));
                kept[r++] = labels[i];
            }
            return (matrix, kept);
        }

        private static int[] SampleRows(int n, int? sampleSize, int seed)
        {
            if (sampleSize is int s && s < 1)
                throw new ArgumentOutOfRangeException(nameof(sampleSize), s, "The sample size must be positive.");
            if (sampleSize is not int size || size >= n)
            {
                var all = new int[n];
                for (int i = 0; i < n; i++)
                    all[i] = i;
                return all;
            }

            // Partial Fisher–Yates shuffle: the first `size` entries are a uniform sample without replacement.
            var order = new int[n];
            for (int i = 0; i < n; i++)
                order[i] = i;
            var rng = FastRandom.ForStream((ulong)seed, 0x54525553 /* "TRUS" */);
            for (int i = 0; i < size; i++)
            {
                int j = i + rng.NextInt(n - i);
                (order[i], order[j]) = (order[j], order[i]);
            }
            return order.AsSpan(0, size).ToArray();
        }

        private static void CheckLabels(int[] labels, int rows, string name)
        {
            ArgumentNullException.ThrowIfNull(labels, name);
            if (labels.Length != rows)
                throw new ArgumentException($"There are {labels.Length} labels for {rows} rows.", name);
        }

        internal static RowMatrix ToMatrix(float[][] rows, string name)
        {
            ArgumentNullException.ThrowIfNull(rows, name);
            if (rows.Length == 0)
                throw new ArgumentException("There are no rows.", name);
            int d = rows[0]?.Length ?? throw new ArgumentException("Row 0 is null.", name);
            if ((long)rows.Length * d > Array.MaxLength)
                throw new ArgumentException($"{rows.Length} rows of {d} values are more than one array can hold.", name);
            var values = new float[rows.Length * d];
            var domain = new MetricDomain(UmapMetric.Euclidean, 2);
            for (int i = 0; i < rows.Length; i++)
            {
                var row = rows[i] ?? throw new ArgumentException($"Row {i} is null.", name);
                if (row.Length != d)
                    throw new ArgumentException($"Row {i} has {row.Length} values; row 0 has {d}.", name);
                for (int j = 0; j < d; j++)
                {
                    if (!float.IsFinite(row[j]))
                        throw new ArgumentException($"Row {i} holds {row[j]} at position {j}; the metrics need finite values.", name);
                }
                if (domain.Violation(row) is string violation)
                    throw new ArgumentException($"Row {i} {violation}.", name);
                row.CopyTo(values, i * d);
            }
            return new RowMatrix(values, rows.Length, d);
        }
    }
}
