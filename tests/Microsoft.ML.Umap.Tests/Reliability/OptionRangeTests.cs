using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// Every option has a documented range (see <see cref="UmapLimits"/>), checked when the estimator is created:
    /// values past it would overflow, hang or return NaN.
    /// </summary>
    public class OptionRangeTests
    {
        [Theory]
        [InlineData(nameof(UmapEstimator.Options.NumberOfComponents), 150_000)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfComponents), UmapLimits.MaximumComponents + 1)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfNeighbors), UmapLimits.MaximumNeighbors + 1)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfEpochs), int.MaxValue)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfEpochs), UmapLimits.MaximumEpochs + 1)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfTransformEpochs), int.MaxValue)]
        [InlineData(nameof(UmapEstimator.Options.LearningRate), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.LearningRate), UmapLimits.MaximumLearningRate * 2)]
        [InlineData(nameof(UmapEstimator.Options.NegativeSampleRate), int.MaxValue)]
        [InlineData(nameof(UmapEstimator.Options.NegativeSampleRate), UmapLimits.MaximumNegativeSampleRate + 1)]
        [InlineData(nameof(UmapEstimator.Options.RepulsionStrength), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.LocalConnectivity), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.Spread), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.Spread), 1e-9)]
        [InlineData(nameof(UmapEstimator.Options.A), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.B), 100)]
        [InlineData(nameof(UmapEstimator.Options.MinkowskiP), 1e-3)]
        [InlineData(nameof(UmapEstimator.Options.MinkowskiP), 1e6)]
        [InlineData(nameof(UmapEstimator.Options.TargetNumberOfNeighbors), 100_000)]
        [InlineData(nameof(UmapEstimator.Options.DensityRegularizationStrength), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.DensityRegularizationVarianceShift), 1e30)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfThreads), 100_000)]
        public void ValuesPastTheDocumentedRangeAreRejectedByName(string option, double value)
        {
            var options = new UmapEstimator.Options();
            var property = typeof(UmapEstimator.Options).GetProperty(option);
            var type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            property.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.Umap(options));
            Assert.Equal(option, e.ParamName);
            Assert.Contains(option, e.Message);
        }

        [Fact]
        public void TheLargestAllowedComponentCountEmbedsWithoutTouchingTheStack()
        {
            // Used to be a stackalloc sized by the component count: 150,000 components killed the process.
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(40, 5, seed: 2));
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfComponents = UmapLimits.MaximumComponents, NumberOfEpochs = 5, Seed = 1 }).Fit(data);
            var embedding = MlNetData.Embedding(ml, model.Transform(data));
            Assert.All(embedding, row => Assert.Equal(UmapLimits.MaximumComponents, row.Length));
            Assert.All(embedding.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void SpectralInitialisationWithManyComponentsKeepsItsBasisOffTheStack()
        {
            var ml = new MLContext(seed: 1);
            var (data, _) = TestMatrices.Blobs(4, 150, 6, 6.0, seed: 3);
            var options = new UmapEstimator.Options { NumberOfComponents = 200, NumberOfEpochs = 2, Seed = 1 };
            var model = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, data));
            Assert.Equal(UmapInitialization.Spectral, model.Parameters.Initialization);
            Assert.All(model.GetTrainingEmbedding().SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Theory]
        [InlineData(nameof(UmapEstimator.Options.LearningRate), UmapLimits.MaximumLearningRate)]
        [InlineData(nameof(UmapEstimator.Options.NegativeSampleRate), UmapLimits.MaximumNegativeSampleRate)]
        [InlineData(nameof(UmapEstimator.Options.RepulsionStrength), UmapLimits.MaximumRepulsionStrength)]
        [InlineData(nameof(UmapEstimator.Options.LocalConnectivity), UmapLimits.MaximumLocalConnectivity)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfThreads), UmapLimits.MaximumThreads)]
        [InlineData(nameof(UmapEstimator.Options.Spread), UmapLimits.MinimumSpread)]
        public void TheExtremesOfEachRangeGiveAFiniteEmbedding(string option, double value)
        {
            var ml = new MLContext(seed: 1);
            var (data, _) = TestMatrices.Blobs(3, 40, 5, 5.0, seed: 4);
            var options = new UmapEstimator.Options { NumberOfEpochs = 30, Seed = 2, MinimumDistance = 0 };
            var property = typeof(UmapEstimator.Options).GetProperty(option);
            var type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            property.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));
            var view = MlNetData.Load(ml, data);
            var model = ml.Transforms.Umap(options).Fit(view);
            Assert.All(MlNetData.Embedding(ml, model.Transform(view)).SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
            var fresh = MlNetData.Load(ml, TestMatrices.Gaussian(3, 5, seed: 9));
            Assert.All(MlNetData.Embedding(ml, model.Transform(fresh)).SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void ANonFiniteLayoutIsReportedWithItsStageInsteadOfReturned()
        {
            var layout = new Microsoft.ML.Umap.Core.Numerics.RowMatrix(new[] { 0f, 1f, float.NaN, 2f }, 2, 2);
            var e = Assert.Throws<InvalidOperationException>(() => FiniteLayout.Check(layout, UmapStage.Layout));
            Assert.Contains("Layout", e.Message);
            Assert.Contains("row 1", e.Message);
            FiniteLayout.Check(new Microsoft.ML.Umap.Core.Numerics.RowMatrix(new[] { 0f, 1f, 2f, 3f }, 2, 2), UmapStage.Layout);
        }
    }
}
