using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Parametric;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Parametric
{
    /// <summary>The principal-component projection the encoder may train on, and its folding into the first layer.</summary>
    public class InputProjectionTests
    {
        /// <summary>Rows near a three-dimensional subspace, offset from the origin, with a third of the values zeroed (as pixels are) unless told not to.</summary>
        private static DenseVectorSet Rows(int rows, int columns, ulong seed, bool zeros = true)
        {
            var random = FastRandom.ForStream(seed, 7);
            var basis = Enumerable.Range(0, 3 * columns).Select(_ => 2f * random.NextFloat() - 1f).ToArray();
            var values = new float[rows * columns];
            for (int i = 0; i < rows; i++)
            {
                float a = 3f * (2f * random.NextFloat() - 1f), b = 2f * (2f * random.NextFloat() - 1f), c = 2f * random.NextFloat() - 1f;
                for (int j = 0; j < columns; j++)
                {
                    float value = 1.5f + a * basis[j] + b * basis[columns + j] + c * basis[2 * columns + j] + 0.05f * (2f * random.NextFloat() - 1f);
                    values[i * columns + j] = zeros && (i + j) % 3 == 0 ? 0f : value;
                }
            }
            return new DenseVectorSet(new RowMatrix(values, rows, columns));
        }

        [Theory]
        [InlineData(300, 20, 5)]
        [InlineData(12_000, 30, 8)] // more rows than the sample the directions come from
        public void TheFoldedNetworkOnRawRowsIsTheNetworkOnTheirScores(int rows, int columns, int components)
        {
            var data = Rows(rows, columns, 3);
            var projection = InputProjection.Compute(data, components, 11, 2);
            var network = EncoderNetwork.Initialize(new[] { components, 16, 8, 2 }, 5);
            var random = FastRandom.ForStream(5, 1);
            foreach (var bias in network.Biases)
            {
                for (int j = 0; j < bias.Length; j++)
                    bias[j] = 0.2f * (2f * random.NextFloat() - 1f);
            }
            var scores = projection.Project(data, 2, default);
            var composed = network.Embed(scores, 1, default);
            var folded = projection.Fold(network);
            Assert.Equal(new[] { columns, 16, 8, 2 }, folded.Sizes);
            var direct = folded.Embed(data, 1, default);
            for (int i = 0; i < direct.Values.Length; i++)
                Assert.True(Math.Abs(direct.Values[i] - composed.Values[i]) <= 1e-4 * Math.Max(1, Math.Abs(composed.Values[i])), $"Value {i}: folded {direct.Values[i]}, projected then applied {composed.Values[i]}.");
            // The network it was folded from is left as it was.
            Assert.Equal(components, network.InputCount);
        }

        [Fact]
        public void TheScoresAreCentredUncorrelatedAndInDecreasingVariance()
        {
            const int Components = 3;
            var data = Rows(2_000, 25, 4, zeros: false);
            var scores = InputProjection.Compute(data, Components, 2, 1).Project(data, 1, default).Matrix;
            var variance = new double[Components];
            for (int c = 0; c < Components; c++)
            {
                double mean = 0;
                for (int i = 0; i < scores.Rows; i++)
                    mean += scores.ReadOnlyRow(i)[c];
                mean /= scores.Rows;
                Assert.True(Math.Abs(mean) < 1e-3, $"Component {c} has mean {mean}.");
                for (int i = 0; i < scores.Rows; i++)
                    variance[c] += (double)scores.ReadOnlyRow(i)[c] * scores.ReadOnlyRow(i)[c];
                for (int e = 0; e < c; e++)
                {
                    double covariance = 0;
                    for (int i = 0; i < scores.Rows; i++)
                        covariance += (double)scores.ReadOnlyRow(i)[c] * scores.ReadOnlyRow(i)[e];
                    Assert.True(Math.Abs(covariance) < 1e-3 * Math.Sqrt(variance[c] * variance[e]), $"Components {e} and {c} are correlated: {covariance}.");
                }
                if (c > 0)
                    Assert.True(variance[c] <= variance[c - 1] * (1 + 1e-6), $"Component {c}'s variance {variance[c]} exceeds component {c - 1}'s {variance[c - 1]}.");
            }
        }

        [Fact]
        public void TheProjectionIsTheSameOnAnyThreadCount()
        {
            var data = Rows(11_000, 20, 6);
            var one = InputProjection.Compute(data, 6, 9, 1);
            var two = InputProjection.Compute(data, 6, 9, 2);
            Assert.Equal(one.Weights, two.Weights);
            Assert.Equal(one.Bias, two.Bias);
            Assert.Equal(one.Project(data, 1, default).Matrix.Values, two.Project(data, 3, default).Matrix.Values);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(21)]
        public void ComponentsOutsideTheInputWidthAreRefused(int components)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => InputProjection.Compute(Rows(50, 20, 1), components, 1, 1));
            Assert.Equal("components", e.ParamName);
        }

        [Fact]
        public void ComponentsNotFewerThanTheFeaturesMeanTheRawRows()
        {
            var settings = new EncoderSettings { InputComponents = 64 };
            Assert.Equal(64, settings.InputComponentsFor(784));
            Assert.Equal(0, settings.InputComponentsFor(64));
            Assert.Equal(0, settings.InputComponentsFor(10));
            Assert.Equal(0, new EncoderSettings { InputComponents = 0 }.InputComponentsFor(784));
        }
    }
}
