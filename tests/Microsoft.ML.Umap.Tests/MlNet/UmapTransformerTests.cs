using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    public class UmapTransformerTests
    {
        private static (MLContext Ml, IDataView Data, UmapTransformer Model) Fitted()
        {
            var ml = new MLContext(seed: 1);
            var (matrix, labels) = TestMatrices.Blobs(3, 40, 6, 8, seed: 3);
            var data = MlNetData.Load(ml, matrix, labels);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 50 }).Fit(data);
            return (ml, data, model);
        }

        [Fact]
        public void TransformingTheTrainingRowsReturnsExactlyTheTrainingEmbedding()
        {
            var (ml, data, model) = Fitted();
            Assert.Equal(model.GetTrainingEmbedding(), MlNetData.Embedding(ml, model.Transform(data)));
            var rows = ml.Data.CreateEnumerable<EmbeddedRow>(model.Transform(data), reuseRowObject: false).ToList();
            Assert.Equal(model.GetTrainingEmbedding(), rows.Select(r => r.Embedding).ToArray());
            Assert.Equal(model.GetTrainingEmbedding()[7], rows[7].Embedding);
        }

        [Fact]
        public void TransformIsLazyAndKeepsOtherColumns()
        {
            var (ml, data, model) = Fitted();
            var transformed = model.Transform(data);
            // Reading only the labels does not need the embedding column.
            var labels = ml.Data.CreateEnumerable<FeatureRow>(transformed, reuseRowObject: false).Select(r => r.Label).ToArray();
            Assert.Equal(120, labels.Length);
            Assert.Equal(2, labels[119]);
        }

        [Fact]
        public void PredictionEngineMapsTrainingRows()
        {
            var (ml, data, model) = Fitted();
            var engine = ml.Model.CreatePredictionEngine<FeatureRow, EmbeddedRow>(model, data.Schema);
            var training = ml.Data.CreateEnumerable<FeatureRow>(data, reuseRowObject: false).ToList();
            var embedding = model.GetTrainingEmbedding();
            for (int i = 0; i < training.Count; i += 13)
                Assert.Equal(embedding[i], engine.Predict(training[i]).Embedding);
        }

        [Fact]
        public void WrongSizeOrNonFiniteRowsAtTransformTimeAreNamed()
        {
            var (ml, _, model) = Fitted();
            var wrongSize = MlNetData.Load(ml, new[] { new FeatureRow { Features = new float[4] } }, 4);
            var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wrongSize));
            Assert.Contains("'Features'", e1.Message);
            Assert.Contains("6 Single values", e1.Message);

            var nan = MlNetData.Load(ml, new[] { new FeatureRow { Features = new[] { 0f, 0, 0, float.NaN, 0, 0 } } }, 6);
            var e2 = Assert.Throws<InvalidOperationException>(() => MlNetData.Embedding(ml, model.Transform(nan)));
            Assert.Contains("NaN", e2.Message);
            Assert.Contains("'Features'", e2.Message);
        }

        [Fact]
        public void PipelineNormalizeUmapKMeansRuns()
        {
            var ml = new MLContext(seed: 1);
            // Blobs offset along every axis, so they stay apart after min-max scaling of each feature.
            var matrix = TestMatrices.Gaussian(150, 6, seed: 4);
            var labels = Enumerable.Range(0, 150).Select(i => i / 50).ToArray();
            for (int i = 0; i < matrix.Values.Length; i++)
                matrix.Values[i] += 12f * labels[i / 6];
            var data = MlNetData.Load(ml, matrix, labels);
            var pipeline = ml.Transforms.NormalizeMinMax("Features")
                .Append(ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 100 }))
                .Append(ml.Clustering.Trainers.KMeans("Embedding", numberOfClusters: 3));
            var model = pipeline.Fit(data);
            var predictions = ml.Data.CreateEnumerable<ClusterRow>(model.Transform(data), reuseRowObject: false).ToArray();
            // Well-separated blobs: each blob lands in a single cluster.
            for (int blob = 0; blob < 3; blob++)
                Assert.Single(predictions.Skip(blob * 50).Take(50).Select(p => p.PredictedLabel).Distinct());
            Assert.Equal(3, predictions.Select(p => p.PredictedLabel).Distinct().Count());

            var engine = ml.Model.CreatePredictionEngine<FeatureRow, ClusterRow>(model, data.Schema);
            var first = ml.Data.CreateEnumerable<FeatureRow>(data, reuseRowObject: false).First();
            Assert.Equal(predictions[0].PredictedLabel, engine.Predict(first).PredictedLabel);
        }

        public sealed class ClusterRow
        {
            public uint PredictedLabel { get; set; }
        }

        [Fact]
        public void OutputWithTheInputsNameHidesTheInputColumn()
        {
            var ml = new MLContext(seed: 1);
            var (matrix, _) = TestMatrices.Blobs(2, 30, 4, 8, seed: 5);
            var data = MlNetData.Load(ml, matrix);
            var model = ml.Transforms.Umap("Features", numberOfComponents: 3).Fit(data);
            var schema = model.Transform(data).Schema;
            Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), schema["Features"].Type);
            Assert.True(schema[1].IsHidden || schema.Count(c => c.Name == "Features" && !c.IsHidden) == 1);
        }
    }
}
