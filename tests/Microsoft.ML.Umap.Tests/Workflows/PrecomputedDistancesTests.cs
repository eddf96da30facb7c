using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Workflows
{
    /// <summary><see cref="UmapMetric.Precomputed"/> (umap-learn's <c>metric="precomputed"</c>): distances in, embedding out.</summary>
    public class PrecomputedDistancesTests
    {
        private const int TrainRows = 1500;

        /// <summary>The digits' Euclidean distances: training rows to training rows, and the rest to training rows.</summary>
        private static readonly Lazy<(RowMatrix Features, RowMatrix TrainDistances, RowMatrix HeldDistances, RowMatrix HeldFeatures)> Digits = new(() =>
        {
            var digits = Datasets.Digits();
            var all = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            var train = new RowMatrix(digits.Features.AsSpan(0, TrainRows * 64).ToArray(), TrainRows, 64);
            int held = digits.Rows - TrainRows;
            var heldFeatures = new RowMatrix(digits.Features.AsSpan(TrainRows * 64).ToArray(), held, 64);
            var search = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(train), default, 2);
            RowMatrix Distances(RowMatrix rows)
            {
                var values = new float[rows.Rows * TrainRows];
                for (int i = 0; i < rows.Rows; i++)
                {
                    for (int j = 0; j < TrainRows; j++)
                        values[i * TrainRows + j] = search.Measure(VectorView.Dense(rows.ReadOnlyRow(i)), VectorView.Dense(train.ReadOnlyRow(j)));
                }
                return new RowMatrix(values, rows.Rows, TrainRows);
            }
            return (train, Distances(train), Distances(heldFeatures), heldFeatures);
        });

        private static UmapEstimator.Options Options(UmapMetric metric) => new()
        {
            Metric = metric,
            NeighborSearch = UmapNeighborSearch.Exact,
            NumberOfEpochs = 100,
            Seed = 11,
        };

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void EuclideanDistancesGiveTheEuclideanNeighboursAndEmbedding()
        {
            var ml = new MLContext();
            var (features, trainDistances, heldDistances, heldFeatures) = Digits.Value;
            var euclidean = ml.Transforms.Umap(Options(UmapMetric.Euclidean)).Fit(MlNetData.Load(ml, features));
            var precomputed = ml.Transforms.Umap(Options(UmapMetric.Precomputed)).Fit(MlNetData.Load(ml, trainDistances));

            Assert.Equal(euclidean.GetNeighborIndices(), precomputed.GetNeighborIndices());
            Assert.Equal(euclidean.Model.Neighbors.Distances, precomputed.Model.Neighbors.Distances);
            Assert.Equal(euclidean.Parameters.Initialization, precomputed.Parameters.Initialization);
            Assert.Equal(euclidean.GetTrainingEmbedding(), precomputed.GetTrainingEmbedding());
            Assert.Equal(UmapMetric.Precomputed, precomputed.Parameters.Metric);

            // New rows: their distances to the training rows place them where their features do. Not bit for bit: a
            // new row's random stream is keyed by its values, which are distances here and pixels there.
            var placed = MlNetData.Embedding(ml, euclidean.Transform(MlNetData.Load(ml, heldFeatures)));
            var fromDistances = MlNetData.Embedding(ml, precomputed.Transform(MlNetData.Load(ml, heldDistances)));
            var gaps = placed.Zip(fromDistances, (a, b) => Math.Sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]))).OrderBy(g => g).ToArray();
            Assert.True(gaps[gaps.Length / 2] < 0.25, $"Median gap between the two placements: {gaps[gaps.Length / 2]:F3}");
            var labels = Datasets.Digits().Labels;
            double accuracy = UmapMetrics.KnnAccuracy(euclidean.GetTrainingEmbedding(), labels[..TrainRows], placed, labels[TrainRows..], 10);
            double fromDistancesAccuracy = UmapMetrics.KnnAccuracy(precomputed.GetTrainingEmbedding(), labels[..TrainRows], fromDistances, labels[TrainRows..], 10);
            Assert.True(Math.Abs(accuracy - fromDistancesAccuracy) <= 0.01, $"kNN accuracy of the new rows: {accuracy:F3} from features, {fromDistancesAccuracy:F3} from distances");

            using var stream = new MemoryStream();
            precomputed.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            Assert.Equal(fromDistances, MlNetData.Embedding(ml, loaded.Transform(MlNetData.Load(ml, heldDistances))));
        }

        /// <summary>
        /// Distances are scale-free up to the smooth-kNN normalisation: the digits' distances times 1e20, 1e30 or 1e-30
        /// (far inside float's range) give the same neighbours and as good an embedding as the distances themselves.
        /// </summary>
        [Theory]
        [InlineData(1e20)]
        [InlineData(1e30)]
        [InlineData(1e-30)]
        public void DistancesOfAnyScaleGiveTheSameNeighboursAndAnEquallyGoodEmbedding(double scale)
        {
            const int rows = 300;
            var ml = new MLContext();
            var digits = new DenseVectorSet(new RowMatrix(Datasets.Digits().Features.AsSpan(0, rows * 64).ToArray(), rows, 64));
            var search = new ExactNearestNeighbors<EuclideanDistance>(digits, default, 1);
            var square = new float[rows * rows];
            var scaled = new float[rows * rows];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < rows; j++)
                {
                    square[i * rows + j] = search.Measure(digits[i], digits[j]);
                    scaled[i * rows + j] = (float)(square[i * rows + j] * scale);
                }
            }
            var options = Options(UmapMetric.Precomputed);
            var reference = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, new RowMatrix(square, rows, rows)));
            var model = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, new RowMatrix(scaled, rows, rows)));

            Assert.Equal(reference.GetNeighborIndices(), model.GetNeighborIndices());
            var labels = Datasets.Digits().Labels[..rows];
            double expected = UmapMetrics.KnnAccuracy(reference.GetTrainingEmbedding(), labels, 10);
            double accuracy = UmapMetrics.KnnAccuracy(model.GetTrainingEmbedding(), labels, 10);
            Assert.True(accuracy >= expected - 0.02, $"kNN accuracy {accuracy:F3} at scale {scale}, {expected:F3} unscaled");
        }

        /// <summary>
        /// A graph in several pieces places them by the distances between the pieces; huge distances, whose profiles'
        /// squares overflow single precision, place them as well.
        /// </summary>
        [Theory]
        [InlineData(1.0)]
        [InlineData(1e30)]
        public void SeparateClustersOfAnyScaleAreLaidOutApart(double scale)
        {
            var ml = new MLContext();
            var (points, labels) = TestMatrices.Blobs(7, 20, 4, separation: 100, seed: 5);
            int n = points.Rows;
            var search = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(points), default, 1);
            var matrix = new float[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                    matrix[i * n + j] = (float)(search.Measure(VectorView.Dense(points.ReadOnlyRow(i)), VectorView.Dense(points.ReadOnlyRow(j))) * scale);
            }
            var options = Options(UmapMetric.Precomputed);
            options.NumberOfNeighbors = 5;
            var model = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, new RowMatrix(matrix, n, n)));
            var embedding = model.GetTrainingEmbedding();
            Assert.All(embedding.SelectMany(p => p), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(1.0, UmapMetrics.KnnAccuracy(embedding, labels, 5));
        }

        [Fact]
        public void WhatIsNotADistanceMatrixIsRefusedNamingTheCulprit()
        {
            var ml = new MLContext();
            var estimator = ml.Transforms.Umap(Options(UmapMetric.Precomputed));
            var square = Square(40);

            var notSquare = new RowMatrix(square.Values.AsSpan(0, 39 * 40).ToArray(), 39, 40);
            Assert.Contains("Column 'Features' has 39 rows of 40 values", Assert.Throws<InvalidOperationException>(() => estimator.Fit(MlNetData.Load(ml, notSquare))).Message);

            var diagonal = Copy(square);
            diagonal.Row(7)[7] = 0.5f;
            Assert.Contains("Column 'Features', row index 7, holds 0.5 at position 7, its distance to itself", Assert.Throws<InvalidOperationException>(() => estimator.Fit(MlNetData.Load(ml, diagonal))).Message);

            var negative = Copy(square);
            negative.Row(3)[9] = -2f;
            Assert.Contains("holds -2 at position 9; with Metric = Precomputed the values are distances", Assert.Throws<InvalidOperationException>(() => estimator.Fit(MlNetData.Load(ml, negative))).Message);

            var infinite = Copy(square);
            infinite.Row(5)[1] = float.PositiveInfinity;
            Assert.Contains("row index 5", Assert.Throws<InvalidOperationException>(() => estimator.Fit(MlNetData.Load(ml, infinite))).Message);

            // New rows need one distance per training row.
            var model = estimator.Fit(MlNetData.Load(ml, square));
            var shortRows = new RowMatrix(new float[2 * 39], 2, 39);
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(MlNetData.Load(ml, shortRows)));
            Assert.Contains("40", error.Message);
        }

        [Fact]
        public void NeighborsWithinLabelIsRefusedWithPrecomputedDistances()
        {
            var ml = new MLContext();
            var options = Options(UmapMetric.Precomputed);
            options.LabelColumnName = "Label";
            options.NeighborsWithinLabel = true;
            var error = Assert.Throws<NotSupportedException>(() => ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, Square(30), Enumerable.Range(0, 30).Select(i => i % 2).ToArray())));
            Assert.Contains("NeighborsWithinLabel", error.Message);
        }

        /// <summary>Distances between points on a line: a valid n × n matrix.</summary>
        private static RowMatrix Square(int n)
        {
            var values = new float[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                    values[i * n + j] = Math.Abs(i - j) + (i == j ? 0 : 0.01f * ((i * 7 + j * 3) % 5));
            }
            return new RowMatrix(values, n, n);
        }

        private static RowMatrix Copy(RowMatrix m) => new((float[])m.Values.Clone(), m.Rows, m.Columns);
    }
}
