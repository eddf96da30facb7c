using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>Embedding rows the model was not trained on (umap-learn's transform), per row and reproducibly.</summary>
    public class NewRowTransformTests
    {
        private sealed class Split
        {
            public required MLContext Ml { get; init; }
            public required IDataView Train { get; init; }
            public required List<FeatureRow> Held { get; init; }
            public required int[] TrainLabels { get; init; }
            public required UmapTransformer Model { get; init; }
        }

        private static Split FitDigits(UmapNeighborSearch search, int trainRows = 1400)
        {
            var digits = Datasets.Digits();
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var train = MlNetData.Load(ml, rows.Take(trainRows), digits.Columns);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NeighborSearch = search, Seed = 7 }).Fit(train);
            return new Split { Ml = ml, Train = train, Held = rows.Skip(trainRows).ToList(), TrainLabels = digits.Labels.Take(trainRows).ToArray(), Model = model };
        }

        private static float[][] TransformBatch(Split split, IEnumerable<FeatureRow> rows) =>
            MlNetData.Embedding(split.Ml, split.Model.Transform(MlNetData.Load(split.Ml, rows, 64)));

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData(UmapNeighborSearch.Exact)]
        [InlineData(UmapNeighborSearch.Approximate)]
        public void HeldOutDigitsLandAmongTheirClass(UmapNeighborSearch search)
        {
            var split = FitDigits(search);
            var embedded = TransformBatch(split, split.Held);
            double accuracy = UmapMetrics.KnnAccuracy(split.Model.GetTrainingEmbedding(), split.TrainLabels, embedded, split.Held.Select(r => r.Label).ToArray(), 10);
            // umap-learn 0.5.3 on the same split: 0.945; a kNN classifier on the raw 64 features: 0.952.
            Assert.True(accuracy >= 0.93, $"kNN accuracy of transformed rows {accuracy:F4}");
            Assert.All(embedded.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(search, split.Model.Parameters.NeighborSearch);
        }

        [Fact]
        public void ARowsEmbeddingDependsOnlyOnTheRow()
        {
            var split = FitDigits(UmapNeighborSearch.Approximate);
            var held = split.Held.Take(60).ToList();
            var batch = TransformBatch(split, held);

            var reversed = TransformBatch(split, Enumerable.Reverse(held));
            Assert.Equal(batch, Enumerable.Reverse(reversed).ToArray());

            // Mixed with other rows (and training rows) in another order.
            var others = split.Held.Skip(100).Take(40).ToList();
            var mixed = held.Zip(others, (h, o) => new[] { o, h }).SelectMany(p => p).Concat(held.Skip(40)).ToList();
            var mixedEmbedding = TransformBatch(split, mixed);
            for (int i = 0; i < held.Count; i++)
                Assert.Equal(batch[i], mixedEmbedding[mixed.IndexOf(held[i])]);

            var engine = split.Ml.Model.CreatePredictionEngine<FeatureRow, EmbeddedRow>(split.Model, split.Train.Schema);
            for (int i = 0; i < held.Count; i++)
                Assert.Equal(batch[i], engine.Predict(held[i]).Embedding);
        }

        [Fact]
        public void ParallelPredictionEnginesAgreeWithOneThread()
        {
            var split = FitDigits(UmapNeighborSearch.Approximate);
            var held = split.Held.Take(200).ToList();
            var expected = TransformBatch(split, held);
            var results = new float[held.Count][];
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            {
                var engine = split.Ml.Model.CreatePredictionEngine<FeatureRow, EmbeddedRow>(split.Model, split.Train.Schema);
                for (int i = worker; i < held.Count; i += 4)
                    results[i] = engine.Predict(held[i]).Embedding;
            });
            Assert.Equal(expected, results);
        }

        [Fact]
        public void TrainingRowsKeepTheirTrainingEmbeddingAmongNewRows()
        {
            var split = FitDigits(UmapNeighborSearch.Approximate);
            var training = split.Ml.Data.CreateEnumerable<FeatureRow>(split.Train, reuseRowObject: false).Take(20).ToList();
            var mixed = training.Concat(split.Held.Take(20)).ToList();
            var embedded = TransformBatch(split, mixed);
            var expected = split.Model.GetTrainingEmbedding();
            for (int i = 0; i < 20; i++)
                Assert.Equal(expected[i], embedded[i]);
        }

        [Fact]
        public void TransformEpochsDefaultToAThirdOfTheFitAndCanBeSet()
        {
            var split = FitDigits(UmapNeighborSearch.Exact);
            Assert.Equal(500 / 3, split.Model.Parameters.NumberOfTransformEpochs);

            var ml = new MLContext(seed: 1);
            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new FeatureRow { Features = digits.Row(i) }).ToList();
            var train = MlNetData.Load(ml, rows.Take(1400), 64);
            var noEpochs = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 7, NumberOfTransformEpochs = 0 }).Fit(train);
            Assert.Equal(0, noEpochs.Parameters.NumberOfTransformEpochs);
            // With no optimisation a new row sits at the membership-weighted mean of its neighbours' positions.
            var embedded = MlNetData.Embedding(ml, noEpochs.Transform(MlNetData.Load(ml, rows.Skip(1400).Take(5), 64)));
            var training = noEpochs.GetTrainingEmbedding();
            foreach (var point in embedded)
            {
                Assert.InRange(point[0], training.Min(t => t[0]), training.Max(t => t[0]));
                Assert.InRange(point[1], training.Min(t => t[1]), training.Max(t => t[1]));
            }
        }
    }
}
