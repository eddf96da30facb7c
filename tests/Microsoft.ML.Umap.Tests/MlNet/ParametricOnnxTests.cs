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
    /// A parametric model exports to ONNX through ML.NET's converter, with the stages around it: ONNX Runtime, and ML.NET's
    /// own ApplyOnnxModel, then give ML.NET's embedding (within 1e-5 per coordinate) and the same clusters.
    /// </summary>
    public class ParametricOnnxTests
    {
        public sealed class ClusteredRow
        {
            public float[] Embedding { get; set; } = Array.Empty<float>();

            public uint PredictedLabel { get; set; }
        }

        /// <summary>
        /// <c>NormalizeMinMax → Umap(parametric) → KMeans</c> fitted on 1,500 digits, its ML.NET output on the other 297,
        /// and the pipeline exported as one ONNX graph with the names of the graph's inputs and outputs.
        /// </summary>
        private sealed class ExportedPipeline
        {
            public ExportedPipeline()
            {
                var ml = new MLContext(seed: 1);
                var digits = Samples.Datasets.Digits();
                var train = Rows(digits, 0, 1500);
                Columns = digits.Columns;
                Test = Rows(digits, 1500, digits.Rows);
                var trainData = MlNetData.Load(ml, train, Columns);
                TestData = MlNetData.Load(ml, Test, Columns);
                var model = ml.Transforms.NormalizeMinMax("Features")
                    .Append(ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 64, 64 } } }))
                    .Append(ml.Clustering.Trainers.KMeans("Embedding", numberOfClusters: 10))
                    .Fit(trainData);
                Expected = ml.Data.CreateEnumerable<ClusteredRow>(model.Transform(TestData), reuseRowObject: false).ToList();
                using var stream = new MemoryStream();
                ml.Model.ConvertToOnnx(model, trainData, stream);
                Onnx = stream.ToArray();
                using var session = new InferenceSession(Onnx);
                Inputs = session.InputMetadata.Keys.ToList();
                Input = Inputs.Single(k => k.StartsWith("Features", StringComparison.Ordinal));
                EmbeddingOutput = session.OutputMetadata.Keys.First(k => k.StartsWith("Embedding", StringComparison.Ordinal));
                ClusterOutput = session.OutputMetadata.Keys.First(k => k.StartsWith("PredictedLabel", StringComparison.Ordinal));
            }

            public int Columns { get; }

            public List<FeatureRow> Test { get; }

            public IDataView TestData { get; }

            public List<ClusteredRow> Expected { get; }

            public byte[] Onnx { get; }

            public List<string> Inputs { get; }

            public string Input { get; }

            public string EmbeddingOutput { get; }

            public string ClusterOutput { get; }
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void NormalizeUmapAndKMeansExportAsOneGraphThatOnnxRuntimeRunsAlike()
        {
            var pipeline = new ExportedPipeline();
            var test = pipeline.Test;
            using var session = new InferenceSession(pipeline.Onnx);

            double worst = 0;
            var pairs = new List<(uint MlNet, uint Onnx)>();
            for (int i = 0; i < test.Count; i++)
            {
                var feeds = new List<NamedOnnxValue>
                {
                    NamedOnnxValue.CreateFromTensor(pipeline.Input, new DenseTensor<float>(test[i].Features, new[] { 1, pipeline.Columns })),
                };
                // Columns the converter keeps as graph inputs though the embedding does not need them (the label).
                foreach (string other in pipeline.Inputs.Where(k => k != pipeline.Input))
                    feeds.Add(NamedOnnxValue.CreateFromTensor(other, new DenseTensor<int>(new[] { test[i].Label }, new[] { 1, 1 })));
                using var results = session.Run(feeds);
                var embedding = results.First(r => r.Name == pipeline.EmbeddingOutput).AsEnumerable<float>().ToArray();
                var cluster = results.First(r => r.Name == pipeline.ClusterOutput).AsEnumerable<uint>().Single();
                Assert.Equal(2, embedding.Length);
                for (int c = 0; c < 2; c++)
                    worst = Math.Max(worst, Math.Abs(embedding[c] - pipeline.Expected[i].Embedding[c]));
                pairs.Add((pipeline.Expected[i].PredictedLabel, cluster));
            }
            // ML.NET's key values count clusters from 1, the exported KMeans from 0: the same clusters.
            Assert.All(pairs, p => Assert.Equal(p.MlNet - 1, p.Onnx));
            Assert.True(worst <= 1e-5, $"ONNX Runtime's embedding differs from ML.NET's by up to {worst:G3}.");
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void TheExportedGraphRunsInMlNetsApplyOnnxModelAlike()
        {
            var pipeline = new ExportedPipeline();
            string path = Path.Combine(Path.GetTempPath(), $"umap-parametric-{Guid.NewGuid():N}.onnx");
            File.WriteAllBytes(path, pipeline.Onnx);
            try
            {
                var ml = new MLContext(seed: 1);
                // The graph's inputs are the data's columns of the same names (the features, and the label it keeps).
                using var onnx = ml.Transforms.ApplyOnnxModel(new[] { pipeline.EmbeddingOutput, pipeline.ClusterOutput }, pipeline.Inputs.ToArray(), path)
                    .Fit(pipeline.TestData);
                var output = onnx.Transform(pipeline.TestData);
                var embeddings = output.GetColumn<float[]>(ColumnOf(pipeline.EmbeddingOutput)).ToList();
                var clusters = output.GetColumn<uint[]>(ColumnOf(pipeline.ClusterOutput)).ToList();
                Assert.Equal(pipeline.Expected.Count, embeddings.Count);
                double worst = 0;
                for (int i = 0; i < embeddings.Count; i++)
                {
                    Assert.Equal(2, embeddings[i].Length);
                    for (int c = 0; c < 2; c++)
                        worst = Math.Max(worst, Math.Abs(embeddings[i][c] - pipeline.Expected[i].Embedding[c]));
                    Assert.Equal(pipeline.Expected[i].PredictedLabel - 1, Assert.Single(clusters[i]));
                }
                Assert.True(worst <= 1e-5, $"ApplyOnnxModel's embedding differs from ML.NET's by up to {worst:G3}.");
            }
            finally
            {
                File.Delete(path);
            }
        }

        /// <summary>The column ApplyOnnxModel makes of a graph output: its name without the ".output" ML.NET's converter adds.</summary>
        private static string ColumnOf(string output) => output.EndsWith(".output", StringComparison.Ordinal) ? output[..^".output".Length] : output;

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
