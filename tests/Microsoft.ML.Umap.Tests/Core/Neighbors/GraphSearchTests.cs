using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class GraphSearchTests
    {
        /// <summary>
        /// The digits (integers 0–16: a byte copy gives them back exactly, and the best candidates are re-measured
        /// from it) and the same digits over 7 (fractions: re-measured from the rows themselves).
        /// </summary>
        [Theory]
        [InlineData(1f, true)]
        [InlineData(1f / 7, false)]
        public void DigitsAreCodedAndQueriesReturnTheExactNeighboursWithExactDistances(float scale, bool exactCopy)
        {
            var digits = Datasets.Digits();
            var values = digits.Features.Select(v => v * scale).ToArray();
            const int Train = 1500;
            var training = new RowMatrix(values.AsSpan(0, Train * digits.Columns).ToArray(), Train, digits.Columns);
            var search = new NNDescent<EuclideanDistance>(new DenseVectorSet(training), default, 2, new NNDescentSettings { Seed = 3 });
            var graph = search.ComputeGraph(15, new FitMonitor());
            // The walk runs on the codes here.
            var codes = QuantizedRows.TryBuild(training, graph, 2);
            Assert.NotNull(codes);
            Assert.Equal(exactCopy, codes!.ExactRows != null);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(training), default, 2);

            int found = 0, total = 0;
            var indices = new int[15];
            var distances = new float[15];
            var truthIndices = new int[15];
            var truthDistances = new float[15];
            for (int q = Train; q < digits.Rows; q++)
            {
                var query = values.AsSpan(q * digits.Columns, digits.Columns).ToArray();
                search.Query(VectorView.Dense(query), indices, distances);
                exact.Query(VectorView.Dense(query), truthIndices, truthDistances);
                for (int j = 0; j < indices.Length; j++)
                {
                    // Exact distances of the exact rows, ascending: only the route was approximate.
                    float measured = MathF.Sqrt(DistanceKernels.SquaredEuclidean(query, training.ReadOnlyRow(indices[j])));
                    Assert.Equal(measured, distances[j]);
                    if (j > 0)
                        Assert.True(distances[j - 1] <= distances[j]);
                }
                // Ties among the integer-valued digits make several answers equally right: count by distance.
                found += distances.Count(d => d <= truthDistances[^1]);
                total += indices.Length;
            }
            double recall = (double)found / total;
            Assert.True(recall >= 0.98, $"recall {recall:F4}");
        }

        [Fact]
        public void QueriesAnswerTheSameForAnyThreadCountAndRepeatedCalls()
        {
            var digits = Datasets.Digits();
            var training = new RowMatrix(digits.Features.AsSpan(0, 1500 * digits.Columns).ToArray(), 1500, digits.Columns);
            var graph = new NNDescent<EuclideanDistance>(new DenseVectorSet(training), default, 2, new NNDescentSettings { Seed = 3 }).ComputeGraph(15, new FitMonitor());
            var one = new NNDescent<EuclideanDistance>(new DenseVectorSet(training), default, 1, new NNDescentSettings { Seed = 3 }, graph);
            var two = new NNDescent<EuclideanDistance>(new DenseVectorSet(training), default, 2, new NNDescentSettings { Seed = 3 }, graph);
            var a = new int[15];
            var b = new int[15];
            var da = new float[15];
            var db = new float[15];
            for (int q = 1500; q < digits.Rows; q += 7)
            {
                one.Query(VectorView.Dense(digits.Row(q)), a, da);
                two.Query(VectorView.Dense(digits.Row(q)), b, db);
                Assert.Equal(a, b);
                Assert.Equal(da, db);
                two.Query(VectorView.Dense(digits.Row(q)), b, db);
                Assert.Equal(a, b);
            }
        }
    }
}
