using System;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Workflows
{
    /// <summary><see cref="UmapTransformer.Update"/> (umap-learn's <c>update</c>).</summary>
    public class UpdateTests
    {
        private const int TrainRows = 1300;

        private static (MLContext Ml, IDataView Train, IDataView Added, int[] Labels) Digits(int trainRows = TrainRows)
        {
            var ml = new MLContext();
            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            return (ml, MlNetData.Load(ml, rows.Take(trainRows), 64), MlNetData.Load(ml, rows.Skip(trainRows), 64), digits.Labels);
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AddedRowsLandWithTheirClassAndTheOriginalModelIsUnchanged()
        {
            var (ml, train, added, labels) = Digits();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, NeighborSearch = UmapNeighborSearch.Approximate }).Fit(train);
            var before = model.GetTrainingEmbedding();
            var updated = model.Update(added);

            Assert.Equal(before, model.GetTrainingEmbedding());
            Assert.Equal(TrainRows, model.TrainingRowCount);
            Assert.Equal(labels.Length, updated.TrainingRowCount);
            var embedding = updated.GetTrainingEmbedding();
            double accuracy = UmapMetrics.KnnAccuracy(embedding[..TrainRows], labels[..TrainRows], embedding[TrainRows..], labels[TrainRows..], 10);
            Assert.True(accuracy >= 0.93, $"kNN accuracy of the added digits: {accuracy:F3}");
            // The old rows are refined, not rearranged.
            var moves = before.Zip(embedding, (a, b) => Math.Sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]))).OrderBy(d => d).ToArray();
            Assert.True(moves[moves.Length / 2] < 1.0, $"Median move of the original rows: {moves[moves.Length / 2]:F3}");
            // Every row's neighbour list covers all rows now: some old rows list added ones.
            Assert.Contains(updated.GetNeighborIndices().Take(TrainRows), row => row.Any(j => j >= TrainRows));

            // Reproducible, and saved and loaded like any model.
            Assert.Equal(embedding, model.Update(added).GetTrainingEmbedding());
            using var stream = new MemoryStream();
            updated.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            Assert.Equal(embedding, loaded.GetTrainingEmbedding());
            Assert.Equal(MlNetData.Embedding(ml, updated.Transform(added)), MlNetData.Embedding(ml, loaded.Transform(added)));
            Assert.Equal(embedding[TrainRows..], MlNetData.Embedding(ml, updated.Transform(added)));
        }

        [Fact]
        public void ExactSearchModelsUpdateToo()
        {
            var (ml, train, added, labels) = Digits(400);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 50 }).Fit(train);
            var updated = model.Update(ml.Data.TakeRows(added, 100));
            Assert.Equal(500, updated.TrainingRowCount);
            Assert.All(updated.GetTrainingEmbedding().SelectMany(p => p), v => Assert.True(float.IsFinite(v)));
        }

        /// <summary>
        /// A model of fewer rows than NumberOfNeighbors has fewer neighbours per row; the union of its rows and the new
        /// ones gets the neighbours asked for, and a map as good as a fit of all rows.
        /// </summary>
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AModelOfAFewRowsUpdatesToAMapAsGoodAsAFitOfAllRows(int modelRows)
        {
            var (ml, all, labels) = DigitRows(modelRows + 200);
            var options = new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 200 };
            var updated = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, all.Take(modelRows), 64)).Update(MlNetData.Load(ml, all.Skip(modelRows), 64));
            var fitted = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, all, 64));

            Assert.Equal(15, updated.Parameters.NumberOfNeighbors);
            Assert.All(updated.GetNeighborIndices(), row => Assert.Equal(15, row.Length));
            double accuracy = UmapMetrics.KnnAccuracy(updated.GetTrainingEmbedding(), labels, 10);
            double expected = UmapMetrics.KnnAccuracy(fitted.GetTrainingEmbedding(), labels, 10);
            Assert.True(accuracy >= expected - 0.03, $"kNN accuracy {accuracy:F3} after updating a model of {modelRows} rows; a fit of all rows: {expected:F3}");
        }

        /// <summary>
        /// New rows start inside the old rows' map, and the layout's forces act along the differences of positions, so
        /// a map of one point or a line could never become a plane: such a model is fitted again with the new rows.
        /// </summary>
        [Theory]
        [InlineData(0f)]
        [InlineData(2f)]
        public void AModelWhoseMapIsAPointOrALineUpdatesToAFullMap(float slope)
        {
            var (ml, all, labels) = DigitRows(250);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 50 }).Fit(MlNetData.Load(ml, all.Take(50), 64));
            var flat = new Microsoft.ML.Umap.Core.Numerics.RowMatrix(50, 2);
            for (int i = 0; i < 50; i++)
                (flat.Row(i)[0], flat.Row(i)[1]) = (slope == 0 ? 3f : i, slope == 0 ? 3f : slope * i);
            var flatModel = new UmapTransformer(new Microsoft.ML.Umap.Core.Model.UmapModel(model.Model.Parameters, model.Model.Summary, model.Model.TrainingData, flat, model.Model.Neighbors), "Features", "Embedding", null);

            var embedding = flatModel.Update(MlNetData.Load(ml, all.Skip(50), 64)).GetTrainingEmbedding();
            double accuracy = UmapMetrics.KnnAccuracy(embedding, labels, 10);
            Assert.True(accuracy >= 0.95, $"kNN accuracy {accuracy:F3} after updating a model whose map is a {(slope == 0 ? "point" : "line")}");
            // A plane, not a line: the map's narrower principal axis is not negligible beside the wider one.
            double spread = MapShape.NarrowToWideSpread(embedding);
            Assert.True(spread > 0.1, $"The updated map's narrower principal axis has {spread:F4} of the wider one's spread");
        }

        private static (MLContext Ml, FeatureRow[] Rows, int[] Labels) DigitRows(int count)
        {
            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, count).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToArray();
            return (new MLContext(), rows, digits.Labels[..count]);
        }

        [Fact]
        public void WhatCannotBeUpdatedSaysWhy()
        {
            var (ml, train, added, _) = Digits(300);
            var supervised = ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Label", NumberOfEpochs = 10 }).Fit(train);
            Assert.Contains("unsupervised", Assert.Throws<NotSupportedException>(() => supervised.Update(added)).Message);
            var densMap = ml.Transforms.Umap(new UmapEstimator.Options { DensityRegularization = true, NumberOfEpochs = 10 }).Fit(train);
            Assert.Contains("densMAP", Assert.Throws<NotSupportedException>(() => densMap.Update(added)).Message);

            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 10 }).Fit(train);
            Assert.Throws<ArgumentNullException>(() => model.Update(null!));
            Assert.Contains("at least one new row", Assert.Throws<InvalidOperationException>(() => model.Update(MlNetData.Load(ml, Enumerable.Empty<FeatureRow>(), 64))).Message);
            var narrow = MlNetData.Load(ml, new Microsoft.ML.Umap.Core.Numerics.RowMatrix(new float[3 * 10], 3, 10));
            Assert.Contains("Features", Assert.Throws<ArgumentOutOfRangeException>(() => model.Update(narrow)).Message);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.Throws<OperationCanceledException>(() => model.Update(added, cancelled.Token));
        }
    }
}
