using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>densMAP through ML.NET: options, the refusal to place new rows, and persistence.</summary>
    public class DensMapTests
    {
        private static (MLContext Ml, IDataView Train, IDataView Held, UmapTransformer Model) Fit()
        {
            var digits = Datasets.Digits();
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 600).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var train = MlNetData.Load(ml, rows.Take(500), 64);
            var held = MlNetData.Load(ml, rows.Skip(500), 64);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { DensityRegularization = true, DensityRegularizationStrength = 1.5f, NumberOfEpochs = 60, Seed = 2 }).Fit(train);
            return (ml, train, held, model);
        }

        [Fact]
        public void TrainingRowsAreEmbeddedAndNewRowsRefusedClearly()
        {
            var (ml, train, held, model) = Fit();
            Assert.True(model.Parameters.DensityRegularization);
            Assert.Equal(1.5, model.Parameters.DensityRegularizationStrength);
            Assert.Equal(0.3, model.Parameters.DensityRegularizationFraction, 6);
            Assert.Equal(model.GetTrainingEmbedding(), MlNetData.Embedding(ml, model.Transform(train)));

            var e = Assert.Throws<NotSupportedException>(() => MlNetData.Embedding(ml, model.Transform(held)));
            Assert.Contains("DensityRegularization", e.Message);
            Assert.Contains("densMAP", e.Message);
        }

        [Fact]
        public void DensMapSettingsSurviveSaveAndLoad()
        {
            var (ml, train, held, model) = Fit();
            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(new MLContext(), stream);
            Assert.True(loaded.Parameters.DensityRegularization);
            Assert.Equal(model.Parameters.DensityRegularizationStrength, loaded.Parameters.DensityRegularizationStrength);
            Assert.Equal(model.Parameters.DensityRegularizationVarianceShift, loaded.Parameters.DensityRegularizationVarianceShift);
            Assert.Equal(model.GetTrainingEmbedding(), MlNetData.Embedding(ml, loaded.Transform(train)));
            Assert.Throws<NotSupportedException>(() => MlNetData.Embedding(ml, loaded.Transform(held)));
        }

        [Fact]
        public void DefaultEpochsGrowByTwoHundredAsInUmapLearn()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(60, 4, seed: 2));
            Assert.Equal(700, ml.Transforms.Umap(new UmapEstimator.Options { DensityRegularization = true }).Fit(data).Parameters.NumberOfEpochs);
            Assert.Equal(500, ml.Transforms.Umap(new UmapEstimator.Options()).Fit(data).Parameters.NumberOfEpochs);
        }
    }
}
