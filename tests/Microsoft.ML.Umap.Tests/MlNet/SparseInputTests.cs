using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>Sparse columns (bags of words, one-hot codes) are read and searched sparsely.</summary>
    public class SparseInputTests
    {
        private const int Vocabulary = 20_000;
        private const int Topics = 5;

        public sealed class Document
        {
            [VectorType(Vocabulary)]
            public VBuffer<float> Features { get; set; }

            public int Label { get; set; }
        }

        /// <summary>Documents of 40 words: 60% from their topic's 300 words, 40% from 2,000 shared ones.</summary>
        private static List<Document> Documents(int count, int seed)
        {
            var rng = new Random(seed);
            var documents = new List<Document>();
            for (int i = 0; i < count; i++)
            {
                int topic = (i / 5) % Topics; // not i % 5: the 5 cross-validation folds are i mod 5
                var counts = new SortedDictionary<int, float>();
                for (int w = 0; w < 40; w++)
                {
                    int word = rng.NextDouble() < 0.6 ? 2_000 + topic * 300 + rng.Next(300) : rng.Next(2_000);
                    counts[word] = counts.TryGetValue(word, out float c) ? c + 1 : 1;
                }
                documents.Add(new Document { Features = new VBuffer<float>(Vocabulary, counts.Count, counts.Values.ToArray(), counts.Keys.ToArray()), Label = topic });
            }
            return documents;
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData(UmapNeighborSearch.Exact)]
        [InlineData(UmapNeighborSearch.Approximate)]
        public void BagOfWordsWithCosineIsEmbeddedSparselyAndSeparatesTopics(UmapNeighborSearch search)
        {
            var ml = new MLContext(seed: 1);
            var docs = Documents(3000, 1);
            var data = ml.Data.LoadFromEnumerable(docs);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Cosine, NeighborSearch = search, NumberOfEpochs = 200 }).Fit(data);

            // Stored as it came: about 35 non-zeros per row, not 20,000 values.
            var stored = Assert.IsType<SparseVectorSet>(model.Model.TrainingData);
            Assert.True(stored.Values.Length < 3000 * 40);

            var embedding = model.GetTrainingEmbedding();
            double accuracy = UmapMetrics.KnnAccuracy(embedding, docs.Select(d => d.Label).ToArray(), 10, 5);
            Assert.True(accuracy >= 0.95, $"kNN accuracy of topics {accuracy:F4}");

            // New sparse documents are placed among their topic.
            var fresh = Documents(200, 2);
            var placed = MlNetData.Embedding(ml, model.Transform(ml.Data.LoadFromEnumerable(fresh)));
            double transformed = UmapMetrics.KnnAccuracy(embedding, docs.Select(d => d.Label).ToArray(), placed, fresh.Select(d => d.Label).ToArray(), 10);
            Assert.True(transformed >= 0.9, $"kNN accuracy of transformed documents {transformed:F4}");
        }

        [Fact]
        public void SparseRowsCanTakeTheirNeighboursWithinTheirLabel()
        {
            var ml = new MLContext(seed: 1);
            var docs = Documents(1000, 3);
            var data = ml.Data.LoadFromEnumerable(docs);
            var options = new UmapEstimator.Options
            {
                Metric = UmapMetric.Cosine, NeighborSearch = UmapNeighborSearch.Approximate, NumberOfEpochs = 100,
                LabelColumnName = nameof(Document.Label), NeighborsWithinLabel = true,
            };
            var model = ml.Transforms.Umap(options).Fit(data);
            Assert.IsType<SparseVectorSet>(model.Model.TrainingData);
            double accuracy = UmapMetrics.KnnAccuracy(model.GetTrainingEmbedding(), docs.Select(d => d.Label).ToArray(), 10, 5);
            Assert.True(accuracy >= 0.99, $"kNN accuracy of topics {accuracy:F4}");
        }

        [Fact]
        public void SparseModelsRoundTripThroughSaveAndLoad()
        {
            var ml = new MLContext(seed: 1);
            var docs = Documents(600, 3);
            var data = ml.Data.LoadFromEnumerable(docs);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Cosine, NumberOfEpochs = 50 }).Fit(data);
            using var stream = new MemoryStream();
            model.Save(stream);
            Assert.True(stream.Length < 600L * Vocabulary * sizeof(float) / 20); // far below the dense size
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            var fresh = ml.Data.LoadFromEnumerable(Documents(50, 4));
            Assert.Equal(MlNetData.Embedding(ml, model.Transform(fresh)), MlNetData.Embedding(ml, loaded.Transform(fresh)));
        }

        [Fact]
        public void TextFeaturizedInThePipelineFeedsUmap()
        {
            var ml = new MLContext(seed: 1);
            var rng = new Random(5);
            var words = Enumerable.Range(0, 3).Select(t => Enumerable.Range(0, 60).Select(w => $"t{t}w{w}").ToArray()).ToArray();
            var texts = Enumerable.Range(0, 300).Select(i => new Text
            {
                Body = string.Join(" ", Enumerable.Range(0, 25).Select(_ => words[(i / 5) % 3][rng.Next(60)])),
                Label = (i / 5) % 3,
            }).ToList();
            var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(Text.Body))
                .Append(ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Cosine, NumberOfEpochs = 100 }));
            var model = pipeline.Fit(ml.Data.LoadFromEnumerable(texts));
            var embedding = MlNetData.Embedding(ml, model.Transform(ml.Data.LoadFromEnumerable(texts)));
            Assert.True(model.LastTransformer.Model.TrainingData.IsSparse);
            Assert.True(UmapMetrics.KnnAccuracy(embedding, texts.Select(t => t.Label).ToArray(), 10, 5) >= 0.95);
        }

        public sealed class Text
        {
            public string Body { get; set; } = string.Empty;

            public int Label { get; set; }
        }

        [Fact]
        public void DenseColumnsStayDense()
        {
            var ml = new MLContext(seed: 1);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 10 }).Fit(MlNetData.Load(ml, TestMatrices.Gaussian(50, 4, seed: 1)));
            Assert.IsType<DenseVectorSet>(model.Model.TrainingData);
        }

        [Fact]
        public void AColumnNormalizeMinMaxHandsOverPartlySparseIsStoredDenseAndEmbedsAsTheDenseValuesDo()
        {
            // NormalizeMinMax leaves zeros implicit in some rows; stored (and searched) sparsely, the column would be
            // several times slower. The values are the same, so the embedding must be the same too.
            var ml = new MLContext(seed: 1);
            var digits = Samples.Datasets.Digits();
            var raw = MlNetData.Load(ml, new RowMatrix(digits.Features, digits.Rows, digits.Columns));
            var normalized = ml.Transforms.NormalizeMinMax("Features").Fit(raw).Transform(raw);
            var values = normalized.GetColumn<float[]>("Features").ToArray();
            Assert.Contains(normalized.GetColumn<VBuffer<float>>("Features"), row => !row.IsDense);
            var dense = MlNetData.Load(ml, new RowMatrix(values.SelectMany(r => r).ToArray(), digits.Rows, digits.Columns));

            var options = new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 50 };
            var fromNormalizer = ml.Transforms.Umap(options).Fit(normalized);
            var fromDense = ml.Transforms.Umap(options).Fit(dense);
            Assert.IsType<DenseVectorSet>(fromNormalizer.Model.TrainingData);
            Assert.Equal(fromDense.GetTrainingEmbedding(), fromNormalizer.GetTrainingEmbedding());
        }

        [Fact]
        public void SparseBuffersStaySparseOnlyBelowTheDensityThreshold()
        {
            var ml = new MLContext(seed: 1);
            var options = new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 5 };
            // 4 non-zeros in 100 slots (4%): sparse; 6 in 100 (6%): dense.
            foreach (var (nonZeros, sparse) in new[] { (4, true), (6, false) })
            {
                var rows = Reliability.HostileData.RandomSparse(80, 100, nonZeros, seed: 2);
                var model = ml.Transforms.Umap(options).Fit(Reliability.HostileData.LoadSparse(ml, rows));
                Assert.Equal(sparse, model.Model.TrainingData.IsSparse);
            }
        }
    }
}
