using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Kernels
{
    public class QuantizedRowsTests
    {
        /// <summary>Rows of random values and a graph whose first neighbour of each row is the next row.</summary>
        private static (RowMatrix Rows, KnnGraph Graph) Data(int rows, int columns, int seed, Func<int, int, double>? value = null)
        {
            var rng = new Random(seed);
            var values = new float[rows * columns];
            for (int i = 0; i < rows; i++)
            {
                for (int c = 0; c < columns; c++)
                    values[i * columns + c] = (float)(value?.Invoke(i, c) ?? rng.NextDouble() * 10 - 5);
            }
            var indices = new int[rows * 2];
            var distances = new float[rows * 2];
            for (int i = 0; i < rows; i++)
            {
                indices[2 * i] = i;
                indices[2 * i + 1] = (i + 1) % rows;
            }
            return (new RowMatrix(values, rows, columns), new KnnGraph(indices, distances, rows, 2));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(16)]
        [InlineData(33)]
        [InlineData(100)]
        public void DistanceIsTheSquaredDistanceToTheReconstructionWhateverTheWidth(int columns)
        {
            // One column of random values is too coarse at 255 steps for neighbours at random distances (TryBuild
            // says no, as it should): that width gets values on the grid instead.
            var (rows, graph) = Data(200, columns, columns, columns == 1 ? (i, _) => (i * 37 % 256) / 25.5 - 5 : null);
            var codes = QuantizedRows.TryBuild(rows, graph, 2);
            Assert.NotNull(codes);
            var rng = new Random(1);
            var query = Enumerable.Range(0, columns).Select(_ => (float)(rng.NextDouble() * 14 - 7)).ToArray(); // partly outside the range
            var shifted = new float[columns];
            codes!.Shift(query, shifted);

            var minimum = Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, 200).Min(i => rows.ReadOnlyRow(i)[c])).ToArray();
            var maximum = Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, 200).Max(i => rows.ReadOnlyRow(i)[c])).ToArray();
            for (int i = 0; i < 200; i++)
            {
                double expected = 0, exact = 0;
                for (int c = 0; c < columns; c++)
                {
                    double step = (maximum[c] - minimum[c]) / 255.0;
                    double x = rows.ReadOnlyRow(i)[c];
                    double reconstruction = minimum[c] + step * Math.Round((x - minimum[c]) / step);
                    Assert.True(Math.Abs(reconstruction - x) <= step / 2 + 1e-5, "a value is kept to half a step");
                    expected += Math.Pow(query[c] - reconstruction, 2);
                    exact += Math.Pow(query[c] - x, 2);
                }
                float approximate = codes.SquaredDistance(shifted, i);
                Assert.Equal(expected, approximate, expected * 1e-4);
                Assert.Equal(exact, approximate, exact * 0.02);
            }
        }

        [Fact]
        public void ValuesOnAGridOf255StepsAreKeptExactly()
        {
            // MNIST's pixels: k / 255 in every column.
            var (rows, graph) = Data(300, 50, 2, (i, c) => ((i * 7 + c * 13) % 256) / 255.0);
            var codes = QuantizedRows.TryBuild(rows, graph, 1)!;
            var shifted = new float[50];
            codes.Shift(rows.ReadOnlyRow(5), shifted);
            for (int i = 0; i < 300; i++)
            {
                float exact = DistanceKernels.SquaredEuclidean(rows.ReadOnlyRow(5), rows.ReadOnlyRow(i));
                Assert.Equal(exact, codes.SquaredDistance(shifted, i), Math.Max(exact * 1e-5, 1e-9));
            }
        }

        [Fact]
        public void ConstantColumnsAreExactAndOutliersOrOverflowTurnTheCodesDown()
        {
            var (constant, graph) = Data(100, 4, 3, (i, c) => c == 2 ? 1.5 : (i * 31 + c * 17) % 10);
            var codes = QuantizedRows.TryBuild(constant, graph, 1)!;
            var query = new float[] { 1, 2, 4.5f, 3 };
            var shifted = new float[4];
            codes.Shift(query, shifted);
            var row = constant.ReadOnlyRow(9);
            float exact = DistanceKernels.SquaredEuclidean(query, row);
            Assert.Equal(exact, codes.SquaredDistance(shifted, 9), exact * 1e-4);

            // One huge value in a column squeezes the rest of it onto one code: neighbours' distances would be lost.
            var (outlier, outlierGraph) = Data(100, 4, 4, (i, c) => c == 0 && i == 50 ? 1e6 : (i % 10) + c);
            Assert.Null(QuantizedRows.TryBuild(outlier, outlierGraph, 1));
            // A range beyond float's cannot be coded at all.
            var (wide, wideGraph) = Data(10, 2, 5, (i, c) => i == 0 ? -3e38 : i == 1 ? 3e38 : i);
            Assert.Null(QuantizedRows.TryBuild(wide, wideGraph, 1));
        }
    }
}
