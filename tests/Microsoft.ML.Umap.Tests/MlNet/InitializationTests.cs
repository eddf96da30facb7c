using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Umap.Core.Initialization;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    public class InitializationTests
    {
        [Fact]
        public void PcaScoresMatchADenseEigendecomposition()
        {
            var data = TestMatrices.Gaussian(300, 6, seed: 41);
            for (int i = 0; i < data.Rows; i++)
            {
                data.Row(i)[0] *= 5; // a dominant direction
                data.Row(i)[1] += 2 * data.Row(i)[0];
            }
            var scores = PcaInitializer.Layout(new DenseVectorSet(data), 2, 1, 2);

            var x = Matrix<double>.Build.Dense(300, 6, (i, j) => data.ReadOnlyRow(i)[j]);
            var centred = x - Matrix<double>.Build.Dense(300, 6, (i, j) => x.Column(j).Average());
            var evd = (centred.TransposeThisAndMultiply(centred)).Evd(Symmetricity.Symmetric);
            for (int c = 0; c < 2; c++)
            {
                var direction = evd.EigenVectors.Column(5 - c);
                var expected = centred * direction;
                double sign = Math.Sign(expected.AbsoluteMaximum() == Math.Abs(expected.Maximum()) ? 1 : -1);
                for (int i = 0; i < 300; i++)
                    Assert.Equal(sign * expected[i], scores[i * 2 + c], 1e-3 * expected.AbsoluteMaximum());
            }
        }

        [Fact]
        public void PcaInitializationFitsDigitsWell()
        {
            var digits = Datasets.Digits();
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, new RowMatrix(digits.Features, digits.Rows, digits.Columns), digits.Labels);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Initialization = UmapInitialization.Pca }).Fit(data);
            Assert.Equal(UmapInitialization.Pca, model.Parameters.Initialization);
            Assert.True(UmapMetrics.KnnAccuracy(model.GetTrainingEmbedding(), digits.Labels, 10, 5) >= 0.98);
        }

        [Fact]
        public void CustomCoordinatesAreTheStartingLayout()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(30, 4, seed: 42));
            var start = Enumerable.Range(0, 30).Select(i => new float[] { i, 2 * (i % 5) }).ToArray();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Initialization = UmapInitialization.Custom, InitialCoordinates = start, NumberOfEpochs = 0 }).Fit(data);
            // With no epochs the embedding is the given layout mapped onto [0, 10] per axis.
            var embedding = model.GetTrainingEmbedding();
            for (int i = 0; i < 30; i++)
            {
                Assert.Equal(10f * i / 29, embedding[i][0], 4);
                Assert.Equal(10f * (i % 5) / 4, embedding[i][1], 4);
            }
        }

        [Fact]
        public void DuplicateCustomCoordinatesAreJittered()
        {
            var start = new RowMatrix(new float[] { 0, 0, 0, 0, 1, 1, 2, 2 }, 4, 2);
            var layout = CustomInitializer.Layout(start, 3, 1);
            Assert.NotEqual(layout.ReadOnlyRow(0).ToArray(), layout.ReadOnlyRow(1).ToArray());
            Assert.InRange(layout.ReadOnlyRow(0)[0], -0.01f, 0.01f);
            var distinct = new RowMatrix(new float[] { 0, 0, 1, 1 }, 2, 2);
            Assert.Equal(distinct.Values, CustomInitializer.Layout(distinct, 3, 1).Values); // no duplicates: untouched
        }

        [Fact]
        public void BadCustomCoordinatesAreNamed()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(10, 4, seed: 43));
            var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { Initialization = UmapInitialization.Custom }));
            Assert.Equal("InitialCoordinates", missing.ParamName);
            var ragged = Enumerable.Range(0, 10).Select(i => new float[i == 3 ? 3 : 2]).ToArray();
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { Initialization = UmapInitialization.Custom, InitialCoordinates = ragged }));
            Assert.Contains("row 3", e.Message);
            var wrongCount = Enumerable.Range(0, 7).Select(i => new float[2]).ToArray();
            var count = Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(new UmapEstimator.Options { Initialization = UmapInitialization.Custom, InitialCoordinates = wrongCount }).Fit(data));
            Assert.Contains("InitialCoordinates has 7 rows", count.Message);
        }
    }
}
