using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// A parametric model exports to ONNX through ML.NET's converter, with the stages around it: ONNX Runtime then gives
    /// ML.NET's embedding (within 1e-5 per coordinate) and the same clusters.
    /// </summary>
    public class ParametricOnnxTests
    {
        private sealed class ClusteredRow
        {
            public float[] Embedding { get; set; } = Array.Empty<float>();

            public uint PredictedLabel { get; set; }
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void NormalizeUmapAndKMeansExportAsOneGraphThatOnnxRuntimeRunsAlike()
        {
            var ml = new MLContext(seed: 1);
            var digits = Samples.Datasets.Digits();
            var (train, test) = (Rows(digits, 0, 1500), Rows(digits, 1500, digits.Rows));
            var trainData = MlNetData.Load(ml, train, digits.Columns);
            var testData = MlNetData.Load(ml, test, digits.Columns);
            var model = ml.Transforms.NormalizeMinMax("Features")
                .Append(ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 64, 64 } } }))
                .Append(ml.Clustering.Trainers.KMeans("Embedding", numberOfClusters: 10))
                .Fit(trainData);
            var expected = ml.Data.CreateEnumerable<ClusteredRow>(model.Transform(testData), reuseRowObject: false).ToList();

            using var stream = new MemoryStream();
            ml.Model.ConvertToOnnx(model, trainData, stream);
            using var session = new InferenceSession(stream.ToArray());
            string input = session.InputMetadata.Keys.Single(k => k.StartsWith("Features", StringComparison.Ordinal));
            string embeddingOutput = session.OutputMetadata.Keys.First(k => k.StartsWith("Embedding", StringComparison.Ordinal));
            string clusterOutput = session.OutputMetadata.Keys.First(k => k.StartsWith("PredictedLabel", StringComparison.Ordinal));
            var graphInputs = session.InputMetadata.Keys.ToList();

            double worst = 0;
            var pairs = new List<(uint MlNet, uint Onnx)>();
            for (int i = 0; i < test.Count; i++)
            {
                var feeds = new List<NamedOnnxValue>
                {
                    NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(test[i].Features, new[] { 1, digits.Columns })),
                };
                // Columns the converter keeps as graph inputs though the embedding does not need them (the label).
                foreach (string other in graphInputs.Where(k => k != input))
                    feeds.Add(NamedOnnxValue.CreateFromTensor(other, new DenseTensor<int>(new[] { test[i].Label }, new[] { 1, 1 })));
                using var results = session.Run(feeds);
                var embedding = results.First(r => r.Name == embeddingOutput).AsEnumerable<float>().ToArray();
                var cluster = results.First(r => r.Name == clusterOutput).AsEnumerable<uint>().Single();
                Assert.Equal(2, embedding.Length);
                for (int c = 0; c < 2; c++)
                    worst = Math.Max(worst, Math.Abs(embedding[c] - expected[i].Embedding[c]));
                pairs.Add((expected[i].PredictedLabel, cluster));
            }
            // ML.NET's key values count clusters from 1, the exported KMeans from 0: the same clusters.
            Assert.All(pairs, p => Assert.Equal(p.MlNet - 1, p.Onnx));
            Assert.True(worst <= 1e-5, $"ONNX Runtime's embedding differs from ML.NET's by up to {worst:G3}.");
        }

        private static List<FeatureRow> Rows(Samples.LabelledData data, int from, int to) =>
            Enumerable.Range(from, to - from).Select(i => new FeatureRow { Features = data.Row(i), Label = data.Labels[i] }).ToList();

        [Fact]
        public void ANonParametricModelStillRefusesPointingToTheParametricOption()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(60, 5, seed: 3));
            var umap = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 5 }).Fit(data);
            var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(umap, data, new MemoryStream()));
            Assert.Contains("Parametric", e.Message, StringComparison.Ordinal);
        }
    }
}
