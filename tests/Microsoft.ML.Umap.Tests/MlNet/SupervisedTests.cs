using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// Supervised and semi-supervised fits on digits. umap-learn 0.5.3 on the same data and protocol (kNN accuracy,
    /// k = 10, 5-fold; seeds 1 and 2): supervised 0.9994; every second label hidden: 0.9933 / 0.9922 on the labelled
    /// half and 0.9855 / 0.9866 on the hidden half, against 0.9722 for the unsupervised embedding's hidden half.
    /// The benchmarks' <c>supervised</c> mode and benchmarks/reference/supervised_digits.py print both sides over
    /// three seeds and target weights 0.5 and 1.0.
    /// </summary>
    public class SupervisedTests
    {
        private readonly ITestOutputHelper _output;

        public SupervisedTests(ITestOutputHelper output) => _output = output;

        public sealed class LabelledRow
        {
            [VectorType(64)]
            public float[] Features { get; set; } = Array.Empty<float>();

            public float Label { get; set; }
        }

        private static LabelledData Digits => Datasets.Digits();

        private static float[][] Fit(MLContext ml, LabelledRow[] rows, string label, UmapTargetMetric metric = UmapTargetMetric.Categorical, bool withinLabel = false, int seed = 1)
        {
            var data = ml.Data.LoadFromEnumerable(rows);
            IEstimator<ITransformer> pipeline = ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = label, TargetMetric = metric, NeighborsWithinLabel = withinLabel, Seed = seed });
            if (label == "Key")
                pipeline = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Append(pipeline);
            return MlNetData.Embedding(ml, pipeline.Fit(data).Transform(data));
        }

        private static LabelledRow[] Rows(Func<int, float> label)
        {
            var digits = Digits;
            return Enumerable.Range(0, digits.Rows).Select(i => new LabelledRow { Features = digits.Row(i), Label = label(i) }).ToArray();
        }

        private static double Accuracy(float[][] embedding, int[] labels, int[] rows) =>
            UmapMetrics.KnnAccuracy(rows.Select(i => embedding[i]).ToArray(), rows.Select(i => labels[i]).ToArray(), 10, 5);

        [Theory]
        [InlineData("Label")]
        [InlineData("Key")]
        public void SupervisedDigitsSeparatePerfectly(string column)
        {
            var labels = Digits.Labels;
            var embedding = Fit(new MLContext(seed: 1), Rows(i => labels[i]), column);
            double accuracy = UmapMetrics.KnnAccuracy(embedding, labels, 10, 5);
            _output.WriteLine($"supervised by {column}: {accuracy:F4}");
            Assert.True(accuracy >= 0.995, $"kNN accuracy {accuracy:F4}");
        }

        /// <summary>
        /// Every second label hidden: kNN accuracy of the labelled and the hidden half, and of the hidden half in the
        /// unsupervised embedding, at the given seed.
        /// </summary>
        private (double Labelled, double Hidden, double UnsupervisedHidden) HalfLabelledDigits(bool withinLabel, int seed = 1)
        {
            var labels = Digits.Labels;
            var all = Enumerable.Range(0, labels.Length).ToArray();
            var labelled = all.Where(i => i % 2 == 0).ToArray();
            var hidden = all.Where(i => i % 2 == 1).ToArray();

            var unsupervised = Fit(new MLContext(seed: seed), Rows(i => labels[i]), null!, seed: seed);
            var semi = Fit(new MLContext(seed: seed), Rows(i => i % 2 == 0 ? labels[i] : float.NaN), "Label", withinLabel: withinLabel, seed: seed);
            var result = (Accuracy(semi, labels, labelled), Accuracy(semi, labels, hidden), Accuracy(unsupervised, labels, hidden));
            _output.WriteLine($"seed {seed}, within label {withinLabel}: labelled {result.Item1:F4}, hidden {result.Item2:F4}, unsupervised hidden {result.Item3:F4}");
            return result;
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void SemiSupervisedDigitsImproveTheHiddenHalfAndKeepTheLabelledHalf()
        {
            // Over three seeds: one seed moves the labelled half by a digit or more (1/899 each), and the layout's
            // blocks trade a little of it for unsupervised quality (docs/measurements.md, "Quality against umap-learn").
            var runs = new[] { 1, 2, 3 }.Select(seed => HalfLabelledDigits(withinLabel: false, seed)).ToArray();
            double labelledAccuracy = runs.Average(r => r.Labelled), hiddenAccuracy = runs.Average(r => r.Hidden);
            double unsupervisedHidden = runs.Average(r => r.UnsupervisedHidden);
            // umap-learn reaches 0.992–0.994 on the labelled half with this protocol (seeds 1, 2).
            Assert.True(labelledAccuracy >= 0.99, $"labelled half {labelledAccuracy:F4}");
            Assert.True(hiddenAccuracy >= unsupervisedHidden - 0.005, $"hidden half {hiddenAccuracy:F4} vs unsupervised {unsupervisedHidden:F4}");
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void NeighborsWithinLabelPutEveryLabelledDigitWithItsClass()
        {
            var (labelledAccuracy, hiddenAccuracy, unsupervisedHidden) = HalfLabelledDigits(withinLabel: true);
            // The bars; 1.0000 / 0.9844 against 0.9744 were measured at seed 1.
            Assert.True(labelledAccuracy >= 0.995, $"labelled half {labelledAccuracy:F4}");
            Assert.True(hiddenAccuracy >= unsupervisedHidden - 0.005, $"hidden half {hiddenAccuracy:F4} vs unsupervised {unsupervisedHidden:F4}");
        }

        [Fact]
        public void NeighborsWithinLabelCopesWithAOneRowClass()
        {
            var ml = new MLContext(seed: 1);
            var digits = Digits;
            // Row 5 is the only one of class 10; the other rows of the first 300 keep their digit or are unlabelled.
            var rows = Rows(i => i == 5 ? 10 : i % 3 == 0 ? float.NaN : digits.Labels[i]).Take(300).ToArray();
            var embedding = Fit(ml, rows, "Label", withinLabel: true);
            Assert.Equal(300, embedding.Length);
            Assert.All(embedding.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void NeighborsWithinLabelNeedsACategoricalLabelColumn()
        {
            var ml = new MLContext(seed: 1);
            var noLabel = Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(new UmapEstimator.Options { NeighborsWithinLabel = true }));
            Assert.Contains("NeighborsWithinLabel", noLabel.Message);
            Assert.Contains("LabelColumnName is not set", noLabel.Message);
            var euclidean = Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(new UmapEstimator.Options { NeighborsWithinLabel = true, LabelColumnName = "Label", TargetMetric = UmapTargetMetric.Euclidean }));
            Assert.Contains("TargetMetric is Euclidean", euclidean.Message);
        }

        [Fact]
        public void EuclideanTargetsSteerTheLayout()
        {
            var labels = Digits.Labels;
            var embedding = Fit(new MLContext(seed: 1), Rows(i => labels[i]), "Label", UmapTargetMetric.Euclidean);
            Assert.True(UmapMetrics.KnnAccuracy(embedding, labels, 10, 5) >= 0.98);
        }

        [Fact]
        public void TransformIgnoresLabelsAndNeedsNoLabelColumn()
        {
            var ml = new MLContext(seed: 1);
            var digits = Digits;
            var train = ml.Data.LoadFromEnumerable(Rows(i => digits.Labels[i]).Take(1500));
            var model = ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Label", NumberOfEpochs = 50 }).Fit(train);
            var unlabelled = MlNetData.Load(ml, new RowMatrix(digits.Features.AsSpan(1500 * 64).ToArray(), digits.Rows - 1500, 64));
            var schemaWithoutLabel = ml.Data.LoadFromEnumerable(Enumerable.Range(1500, 10).Select(i => new FeaturesOnly { Features = digits.Row(i) }));
            Assert.Equal(digits.Rows - 1500, MlNetData.Embedding(ml, model.Transform(unlabelled)).Length);
            Assert.Equal(10, MlNetData.Embedding(ml, model.Transform(schemaWithoutLabel)).Length);
        }

        public sealed class FeaturesOnly
        {
            [VectorType(64)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        public sealed class TextLabelRow
        {
            [VectorType(3)]
            public float[] Features { get; set; } = Array.Empty<float>();

            public string Label { get; set; } = string.Empty;

            public double Target { get; set; }
        }

        [Fact]
        public void LabelColumnsAreCheckedByNameAndType()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 40).Select(i => new TextLabelRow { Features = new float[] { i, i % 3, 1 }, Label = i % 4 == 0 ? "" : (i % 2).ToString(), Target = i }).ToArray();
            var data = ml.Data.LoadFromEnumerable(rows);

            var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Nope", NumberOfEpochs = 5 }).Fit(data));
            Assert.Contains("'Nope'", missing.Message);

            var textAsNumber = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Label", TargetMetric = UmapTargetMetric.Euclidean, NumberOfEpochs = 5 }).Fit(data));
            Assert.Contains("'Label'", textAsNumber.Message);
            Assert.Contains("String", textAsNumber.Message);

            // Text classes work, empty text meaning "unlabelled"; double targets work as numbers.
            ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Label", NumberOfEpochs = 5 }).Fit(data);
            ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Target", TargetMetric = UmapTargetMetric.Euclidean, NumberOfEpochs = 5 }).Fit(data);

            var nan = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new TextLabelRow { Features = r.Features, Label = r.Label, Target = i == 7 ? double.NaN : r.Target }));
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(new UmapEstimator.Options { LabelColumnName = "Target", TargetMetric = UmapTargetMetric.Euclidean, NumberOfEpochs = 5 }).Fit(nan));
            Assert.Contains("row index 7", e.Message);

            Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { TargetWeight = 1.5f }));
        }
    }
}
