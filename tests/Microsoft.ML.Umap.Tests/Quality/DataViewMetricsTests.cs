using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Quality
{
    /// <summary>The quality measures read a pipeline's output directly: the same numbers as the array forms.</summary>
    public class DataViewMetricsTests
    {
        public sealed class Digit
        {
            [VectorType(64)]
            public float[] Features { get; set; } = Array.Empty<float>();

            public int Number { get; set; }

            public float Real { get; set; }

            public string Name { get; set; } = string.Empty;
        }

        private static (MLContext Ml, IDataView Scored, float[][] Input, float[][] Embedding, int[] Labels) Pipeline()
        {
            var digits = Datasets.Digits().Take(600);
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new Digit { Features = digits.Row(i), Number = digits.Labels[i], Real = digits.Labels[i], Name = "digit " + digits.Labels[i] }).ToList();
            var data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.Transforms.Conversion.MapValueToKey("Key", nameof(Digit.Number))
                .Append(ml.Transforms.Umap("Embedding", "Features", seed: 2))
                .Append(ml.Clustering.Trainers.KMeans("Embedding", numberOfClusters: 10))
                .Fit(data);
            var scored = model.Transform(data);
            return (ml, scored, digits.ToJagged(), scored.GetColumn<float[]>("Embedding").ToArray(), digits.Labels);
        }

        [Fact]
        public void EachMeasureOverADataViewEqualsItsArrayForm()
        {
            var (_, scored, input, embedding, labels) = Pipeline();
            Assert.Equal(UmapMetrics.Trustworthiness(input, embedding, 10), UmapMetrics.Trustworthiness(scored, "Features", "Embedding", 10));
            double expected = UmapMetrics.KnnAccuracy(embedding, labels);
            foreach (string column in new[] { "Number", "Real", "Name", "Key" })
                Assert.Equal(expected, UmapMetrics.KnnAccuracy(scored, "Embedding", column));
            var clusters = scored.GetColumn<uint>("PredictedLabel").Select(c => (int)c).ToArray();
            Assert.Equal(UmapMetrics.AdjustedRandIndex(labels, clusters), UmapMetrics.AdjustedRandIndex(scored, "Number", "PredictedLabel"));
        }

        public sealed class SparseRow
        {
            [VectorType(1000)]
            public VBuffer<float> Features { get; set; }

            [VectorType(2)]
            public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        /// <summary>
        /// A sparse input column is measured on its non-zeros and scores what the dense computation scores: rows of
        /// small integers (whose distances both sum exactly) and of arbitrary floats, whole and sampled.
        /// </summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void TrustworthinessOfASparseColumnIsTheDenseComputations(bool integers)
        {
            var ml = new MLContext(seed: 1);
            var rng = new Random(integers ? 3 : 4);
            var rows = Enumerable.Range(0, 150).Select(i =>
            {
                // Rows of a group share most positions, so the input has neighbourhoods the embedding may keep.
                var positions = Enumerable.Range(0, 12).Select(_ => (i % 6) * 100 + rng.Next(rng.NextDouble() < 0.8 ? 40 : 1000 - (i % 6) * 100)).Distinct().OrderBy(p => p).ToArray();
                var values = positions.Select(_ => integers ? rng.Next(1, 6) : (float)(rng.NextDouble() * 3)).ToArray();
                return new SparseRow
                {
                    Features = new VBuffer<float>(1000, positions.Length, values, positions),
                    Embedding = new[] { i % 6 + 0.5f * rng.NextSingle(), 0.5f * rng.NextSingle() },
                };
            }).ToList();
            var data = ml.Data.LoadFromEnumerable(rows);
            var dense = rows.Select(r => r.Features.DenseValues().ToArray()).ToArray();
            var embedding = rows.Select(r => r.Embedding).ToArray();
            Assert.True(Umap.MlNet.MetricColumns.Rows(data, "Features").IsSparse);

            Assert.Equal(UmapMetrics.Trustworthiness(dense, embedding, 5), UmapMetrics.Trustworthiness(data, "Features", "Embedding", 5));
            Assert.Equal(UmapMetrics.Trustworthiness(dense, embedding, 7, sampleSize: 40, seed: 2), UmapMetrics.Trustworthiness(data, "Features", "Embedding", 7, sampleSize: 40, seed: 2));
        }

        [Fact]
        public void TrainAndTestViewsShareTheirClasses()
        {
            var (ml, scored, _, embedding, labels) = Pipeline();
            var split = ml.Data.TrainTestSplit(scored, testFraction: 0.3, seed: 3);
            var trainEmbedding = split.TrainSet.GetColumn<float[]>("Embedding").ToArray();
            var testEmbedding = split.TestSet.GetColumn<float[]>("Embedding").ToArray();
            var trainLabels = split.TrainSet.GetColumn<int>("Number").ToArray();
            var testLabels = split.TestSet.GetColumn<int>("Number").ToArray();
            Assert.Equal(
                UmapMetrics.KnnAccuracy(trainEmbedding, trainLabels, testEmbedding, testLabels),
                UmapMetrics.KnnAccuracy(split.TrainSet, split.TestSet, "Embedding", "Name"));
        }

        [Fact]
        public void MissingColumnsAndLabelsAreNamed()
        {
            var (ml, scored, _, _, _) = Pipeline();
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => UmapMetrics.Trustworthiness(scored, "Nope", "Embedding"));
            Assert.Contains("'Nope'", e.Message);
            var withGap = ml.Data.LoadFromEnumerable(new[] { new Digit { Features = new float[64], Name = "a" }, new Digit { Features = new float[64], Name = "" } });
            var e2 = Assert.Throws<ArgumentException>(() => UmapMetrics.KnnAccuracy(withGap, "Features", "Name", neighbors: 1, folds: 2));
            Assert.Contains("row index 1", e2.Message);
        }
    }
}
