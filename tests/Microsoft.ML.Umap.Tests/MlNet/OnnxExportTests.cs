using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// UMAP's transform (a neighbour search over the training rows, then an iterative optimisation) has no ONNX form.
    /// Left to itself, ML.NET's converter reports success and writes a graph that passes the embedding through as an
    /// input; the export must fail instead, saying why.
    /// </summary>
    public class OnnxExportTests
    {
        private static (MLContext Ml, IDataView Data) Digits()
        {
            var ml = new MLContext(seed: 1);
            return (ml, MlNetData.Load(ml, TestMatrices.Gaussian(60, 5, seed: 3)));
        }

        [Fact]
        public void ExportingAPipelineWithUmapFailsNamingTheStage()
        {
            var (ml, data) = Digits();
            var model = ml.Transforms.NormalizeMinMax("Features")
                .Append(ml.Transforms.Umap("Embedding", "Features"))
                .Append(ml.Clustering.Trainers.KMeans("Embedding", numberOfClusters: 3))
                .Fit(data);
            using var stream = new MemoryStream();
            var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, data, stream));
            Assert.Contains("UMAP", e.Message);
            Assert.Contains("'Features' -> 'Embedding'", e.Message);
            Assert.Contains("ONNX", e.Message);
            Assert.Equal(0, stream.Length);
        }

        [Fact]
        public void ExportingUmapAloneFails()
        {
            var (ml, data) = Digits();
            var umap = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 5 }).Fit(data);
            Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(umap, data, new MemoryStream()));
        }

        [Fact]
        public void TheStepsBeforeUmapStillExport()
        {
            // The converter works here: what fails above fails because of UMAP.
            var (ml, data) = Digits();
            var normalizer = ml.Transforms.NormalizeMinMax("Features").Fit(data);
            using var stream = new MemoryStream();
            ml.Model.ConvertToOnnx(normalizer, data, stream);
            Assert.True(stream.Length > 0);
        }
    }
}
