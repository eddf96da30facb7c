using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
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

        /// <summary>
        /// At both widths, every value is kept to half a step, and the coded distance from any query (inside the
        /// training range or not) is the distance to the reconstruction, whatever the width of the rows (the vector
        /// paths' blocks, their tails and the padding of half-byte rows).
        /// </summary>
        [Theory]
        [InlineData(1, 15)]
        [InlineData(7, 15)]
        [InlineData(16, 255)]
        [InlineData(33, 15)]
        [InlineData(33, 255)]
        [InlineData(100, 15)]
        [InlineData(100, 255)]
        public void DistanceIsTheSquaredDistanceToTheReconstruction(int columns, int levels)
        {
            var (rows, _) = Data(200, columns, columns);
            var codes = QuantizedRows.Code(rows, levels, 2);
            Assert.NotNull(codes);
            Assert.Equal(levels, codes!.Levels);
            var rng = new Random(1);
            var query = Enumerable.Range(0, columns).Select(_ => (float)(rng.NextDouble() * 14 - 7)).ToArray(); // partly outside the range
            var coded = new CodedQuery(codes.PaddedColumns);
            Assert.True(codes.Prepare(query, coded));

            var minimum = Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, 200).Min(i => rows.ReadOnlyRow(i)[c])).ToArray();
            var maximum = Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, 200).Max(i => rows.ReadOnlyRow(i)[c])).ToArray();
            for (int i = 0; i < 200; i++)
            {
                double expected = 0, rowTerm = 0;
                for (int c = 0; c < columns; c++)
                {
                    double step = (maximum[c] - minimum[c]) / (double)levels;
                    double x = rows.ReadOnlyRow(i)[c];
                    double reconstruction = minimum[c] + step * Math.Round((x - minimum[c]) / step);
                    Assert.True(Math.Abs(reconstruction - x) <= step / 2 + 1e-5, "a value is kept to half a step");
                    expected += Math.Pow(query[c] - reconstruction, 2);
                    rowTerm += Math.Pow(reconstruction - minimum[c], 2);
                }
                Assert.Equal(expected, codes.SquaredDistance(coded, i), Tolerance(coded, levels, columns, rowTerm) + expected * 1e-5);
            }
        }

        /// <summary>
        /// What the coded distance may differ from the distance to the reconstruction by: the rounding of the query's
        /// weights (half a unit each, times a code of at most <paramref name="levels"/>, twice) and float's rounding
        /// of the two terms it subtracts from.
        /// </summary>
        internal static double Tolerance(CodedQuery query, int levels, int columns, double rowTerm) =>
            (double)query.Scale * levels * columns + 1e-6 * (query.Norm + rowTerm);

        [Fact]
        public void ValuesOnAGridOf255StepsAreKeptExactlyInAByte()
        {
            // MNIST's pixels: k / 255 in every column.
            var (rows, _) = Data(300, 50, 2, (i, c) => ((i * 7 + c * 13) % 256) / 255.0);
            var codes = QuantizedRows.Code(rows, 255, 1)!;
            var coded = new CodedQuery(codes.PaddedColumns);
            Assert.True(codes.Prepare(rows.ReadOnlyRow(5), coded));
            for (int i = 0; i < 300; i++)
            {
                float exact = DistanceKernels.SquaredEuclidean(rows.ReadOnlyRow(5), rows.ReadOnlyRow(i));
                double rowTerm = 0;
                foreach (float x in rows.ReadOnlyRow(i))
                    rowTerm += x * (double)x; // every column's minimum is 0
                Assert.Equal(exact, codes.SquaredDistance(coded, i), Tolerance(coded, 255, 50, rowTerm) + exact * 1e-5);
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(40)]
        [InlineData(100)]
        public void IntegersSpanningAtMost256ValuesComeBackBitForBitFromAByte(int columns)
        {
            // 8-bit pixels, a constant column, a negative range, a column of 256 values: all kept one to one.
            var (rows, graph) = Data(300, columns, columns, (i, c) => c % 4 switch { 0 => (i * 37 + c) % 256, 1 => 7, 2 => -(i % 9) - 3, _ => 1000 + (i * 11 % 256) });
            var codes = QuantizedRows.TryBuild(rows, graph, 2)!;
            var copy = codes.ExactRows;
            Assert.NotNull(copy);
            Assert.Equal(255, copy!.Levels);
            var row = new float[columns];
            for (int i = 0; i < 300; i++)
            {
                copy.Reconstruct(i, row);
                Assert.Equal(rows.ReadOnlyRow(i).ToArray(), row);
            }

            // One fraction among the integers, or a column spanning 257 values: no exact copy.
            var (fraction, fractionGraph) = Data(300, columns, columns, (i, c) => i == 5 && c == 0 ? 2.5 : (i * 37 + c) % 256);
            Assert.Null(QuantizedRows.TryBuild(fraction, fractionGraph, 2)?.ExactRows);
            var (wide, wideGraph) = Data(300, columns, columns, (i, c) => c == 0 ? i % 257 : 1);
            Assert.Null(QuantizedRows.TryBuild(wide, wideGraph, 2)?.ExactRows);
        }

        [Fact]
        public void HalfAByteIsChosenWhenItsRoundingIsSmallElseAByteElseNothing()
        {
            // Integers on a grid of 15 steps: half a byte keeps them, with an exact byte copy beside.
            var (integers, integerGraph) = Data(200, 40, 5, (i, c) => (i * 7 + c * 3) % 16 + c * 100);
            var coded = QuantizedRows.TryBuild(integers, integerGraph, 1)!;
            Assert.Equal(15, coded.Levels);
            Assert.NotNull(coded.ExactRows);
            // Fractions on a grid of 15 steps: half a byte keeps them (to float's rounding of the step).
            var (grid, gridGraph) = Data(200, 40, 5, (i, c) => (i * 7 + c * 3) % 16 * 0.1 + 0.05);
            var half = QuantizedRows.TryBuild(grid, gridGraph, 1)!;
            Assert.Equal(15, half.Levels);
            Assert.Null(half.ExactRows);
            // Values on a grid of 255 steps with neighbours one step apart: half a byte loses them, a byte does not.
            var (fine, fineGraph) = Data(256, 3, 6, (i, c) => c == 0 ? i * 0.01 : 0);
            Assert.Equal(255, QuantizedRows.TryBuild(fine, fineGraph, 1)!.Levels);
        }

        /// <summary>
        /// Columns holding one value in every row are left out of the walk's codes (MNIST's blank border pixels), yet
        /// still count in the distance through the query's own term: the same distances as the reconstruction's, at
        /// both widths, however many columns are constant (all of them included) and wherever they sit.
        /// </summary>
        [Theory]
        [InlineData(40, 15)]
        [InlineData(40, 255)]
        [InlineData(70, 15)]
        [InlineData(5, 15)]
        public void ConstantColumnsAreLeftOutOfTheCodesAndStillMeasured(int columns, int levels)
        {
            foreach (int every in new[] { 1, 2, 3, 7 })
            {
                // Column c is constant when c % every == 0: all of them, half, a third, a seventh.
                var (rows, _) = Data(150, columns, columns + every, (i, c) => c % every == 0 ? c * 0.5 - 3 : Math.Sin(i * 1.3 + c) * 4);
                var codes = QuantizedRows.Code(rows, levels, 2)!;
                Assert.Equal((columns - (columns + every - 1) / every + 31) / 32 * 32, codes.PaddedColumns);
                var query = Enumerable.Range(0, columns).Select(c => (float)Math.Cos(c * 0.7) * 5).ToArray();
                var coded = new CodedQuery(codes.PaddedColumns);
                Assert.True(codes.Prepare(query, coded));
                for (int i = 0; i < 150; i++)
                {
                    double expected = 0, rowTerm = 0;
                    for (int c = 0; c < columns; c++)
                    {
                        double minimum = Enumerable.Range(0, 150).Min(r => rows.ReadOnlyRow(r)[c]);
                        double step = (Enumerable.Range(0, 150).Max(r => rows.ReadOnlyRow(r)[c]) - minimum) / levels;
                        double reconstruction = step == 0 ? minimum : minimum + step * Math.Round((rows.ReadOnlyRow(i)[c] - minimum) / step);
                        expected += Math.Pow(query[c] - reconstruction, 2);
                        rowTerm += Math.Pow(reconstruction - minimum, 2);
                    }
                    Assert.Equal(expected, codes.SquaredDistance(coded, i), Tolerance(coded, levels, columns, rowTerm) + expected * 1e-5);
                }
            }
        }

        [Fact]
        public void ConstantColumnsAreExactAndOutliersOrOverflowTurnTheCodesDown()
        {
            var (constant, graph) = Data(100, 4, 3, (i, c) => c == 2 ? 1.5 : (i * 31 + c * 17) % 10);
            var codes = QuantizedRows.Code(constant, 255, 1)!;
            var query = new float[] { 1, 2, 4.5f, 3 };
            var coded = new CodedQuery(codes.PaddedColumns);
            Assert.True(codes.Prepare(query, coded));
            var row = constant.ReadOnlyRow(9);
            float exact = DistanceKernels.SquaredEuclidean(query, row);
            Assert.Equal(exact, codes.SquaredDistance(coded, 9), Tolerance(coded, 255, 4, 4 * 100) + exact * 1e-5);

            // One huge value in a column squeezes the rest of it onto one code: neighbours' distances would be lost.
            var (outlier, outlierGraph) = Data(100, 4, 4, (i, c) => c == 0 && i == 50 ? 1e6 : (i % 10) + c);
            Assert.Null(QuantizedRows.TryBuild(outlier, outlierGraph, 1));
            // A range beyond float's cannot be coded at all.
            var (wide, wideGraph) = Data(10, 2, 5, (i, c) => i == 0 ? -3e38 : i == 1 ? 3e38 : i);
            Assert.Null(QuantizedRows.TryBuild(wide, wideGraph, 1));
        }
    }
}
