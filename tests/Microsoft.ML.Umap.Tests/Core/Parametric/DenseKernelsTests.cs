using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Core.Numerics.Lanes;
using Microsoft.ML.Umap.Core.Parametric;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Parametric
{
    /// <summary>
    /// The encoder's matrix products against the plainest reading of their contract: each value one float sum, from the
    /// bias, every term added in order (zeros included), the activation applied, zeros made +0.
    /// </summary>
    public class DenseKernelsTests
    {
        public static IEnumerable<object[]> Shapes()
        {
            // Outputs: fewer than a vector; one vector; strips of one, two and three vectors, with an overlapping last
            // vector at most widths. Zeros: dense blocks (every term in order) and sparse ones (the listed terms). 46
            // inputs leave two terms past whole groups of four, and a block of two inputs, to the lists' scalar path.
            foreach (int outputs in new[] { 2, 16, 37, 64, 100 })
            {
                foreach (double zeros in new[] { 0.05, 0.9 })
                    yield return new object[] { 13, 46, outputs, zeros };
            }
            // More inputs than the list of terms keeps on the stack; a lone row.
            yield return new object[] { 6, 1100, 20, 0.5 };
            yield return new object[] { 1, 46, 37, 0.5 };
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public void ProductsAreTheSumsInOrderAtEveryWidth(int rows, int inputs, int outputs, double zeros)
        {
            var random = new Random(rows * 1000 + outputs);
            var x = Values(random, rows * inputs, zeros);
            // Whole zero columns and rows too: terms that no row of a block needs.
            for (int r = 0; r < rows; r++)
                x[r * inputs + 3] = x[r * inputs + inputs - 1] = 0f;
            Array.Clear(x, 0, Math.Min(inputs, x.Length));
            var weights = Values(random, inputs * outputs, 0);
            var bias = Values(random, outputs, 0);
            var mask = Values(random, rows * outputs, 0.3);
            var d = Values(random, rows * outputs, zeros);

            var check = new Products(x, weights, bias, mask, d, rows, inputs, outputs);
            LaneWidths.ForEach(check);

            var expected = Reference(x, weights, bias, rows, inputs, outputs, LayerActivation.Relu, mask)
                .Concat(Reference(x, weights, bias, rows, inputs, outputs, LayerActivation.Linear, mask))
                .Concat(Reference(x, weights, Array.Empty<float>(), rows, inputs, outputs, LayerActivation.MaskByPositive, mask))
                .Concat(ReferenceGradient(x, d, rows, inputs, outputs))
                .ToArray();
            Assert.All(check.Results, result => Assert.Equal(Bits(expected), Bits(result)));
        }

        [Fact]
        public void AGradientOverARangeOfInputsFillsThoseRowsOnly()
        {
            var random = new Random(7);
            int rows = 9, inputs = 30, outputs = 37;
            var x = Values(random, rows * inputs, 0.5);
            var d = Values(random, rows * outputs, 0.5);
            var gradient = Enumerable.Repeat(float.NaN, inputs * outputs).ToArray();
            DenseKernels.WeightGradient(x, d, gradient, rows, inputs, outputs, 5, 18);
            var expected = ReferenceGradient(x, d, rows, inputs, outputs);
            for (int i = 0; i < gradient.Length; i++)
            {
                int input = i / outputs;
                if (input is >= 5 and < 18)
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(gradient[i]));
                else
                    Assert.True(float.IsNaN(gradient[i]), $"Gradient row {input} was written outside the range.");
            }
        }

        private sealed class Products : IWidthCheck
        {
            private readonly float[] _x, _weights, _bias, _mask, _d;
            private readonly int _rows, _inputs, _outputs;

            public Products(float[] x, float[] weights, float[] bias, float[] mask, float[] d, int rows, int inputs, int outputs) =>
                (_x, _weights, _bias, _mask, _d, _rows, _inputs, _outputs) = (x, weights, bias, mask, d, rows, inputs, outputs);

            public List<float[]> Results { get; } = new();

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes>
            {
                var relu = new float[_rows * _outputs];
                var linear = new float[_rows * _outputs];
                var masked = new float[_rows * _outputs];
                var gradient = new float[_inputs * _outputs];
                DenseKernels.Affine<TLanes>(_x, _weights, _bias, relu, _rows, _inputs, _outputs, LayerActivation.Relu, default);
                DenseKernels.Affine<TLanes>(_x, _weights, _bias, linear, _rows, _inputs, _outputs, LayerActivation.Linear, default);
                DenseKernels.Affine<TLanes>(_x, _weights, default, masked, _rows, _inputs, _outputs, LayerActivation.MaskByPositive, _mask);
                DenseKernels.WeightGradient<TLanes>(_x, _d, gradient, _rows, _inputs, _outputs, 0, _inputs);
                Results.Add(relu.Concat(linear).Concat(masked).Concat(gradient).ToArray());
            }
        }

        private static float[] Reference(float[] x, float[] weights, float[] bias, int rows, int inputs, int outputs, LayerActivation activation, float[] mask)
        {
            var y = new float[rows * outputs];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    float sum = bias.Length == 0 ? 0f : bias[j];
                    for (int k = 0; k < inputs; k++)
                        sum += x[r * inputs + k] * weights[k * outputs + j];
                    y[r * outputs + j] = activation switch
                    {
                        LayerActivation.Relu => sum > 0f ? sum : 0f,
                        LayerActivation.MaskByPositive => mask[r * outputs + j] > 0f ? sum + 0f : 0f,
                        _ => sum + 0f,
                    };
                }
            }
            return y;
        }

        private static float[] ReferenceGradient(float[] x, float[] d, int rows, int inputs, int outputs)
        {
            var g = new float[inputs * outputs];
            for (int k = 0; k < inputs; k++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    float sum = 0f;
                    for (int r = 0; r < rows; r++)
                        sum += x[r * inputs + k] * d[r * outputs + j];
                    g[k * outputs + j] = sum + 0f;
                }
            }
            return g;
        }

        /// <summary>Values of magnitudes 1e-3 to 1e3 (every exponent's bits matter to telling zeros apart), a share of them zeros.</summary>
        private static float[] Values(Random random, int count, double zeros)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
                values[i] = random.NextDouble() < zeros ? 0f : (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-3, 4)));
            return values;
        }

        private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
    }
}
