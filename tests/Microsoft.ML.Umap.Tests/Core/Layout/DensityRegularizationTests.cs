using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Core.Layout
{
    /// <summary>
    /// densMAP. umap-learn 0.5.3 on three 10-D Gaussian blobs of 500 points with standard deviations 1, 0.2 and
    /// 0.5 (random_state 1) gives mean distances to the blob centre in the ratios 0.98 (wide / narrow) and 1.01
    /// (middle / narrow) with plain UMAP, and 3.06 and 2.03 with densMAP.
    /// </summary>
    public class DensityRegularizationTests
    {
        private readonly ITestOutputHelper _output;

        public DensityRegularizationTests(ITestOutputHelper output) => _output = output;

        /// <summary>Blobs of 500 points in 10-D, standard deviations 1, 0.2 and 0.5, far apart.</summary>
        private static (RowMatrix Data, int[] Labels) Blobs()
        {
            var (data, labels) = TestMatrices.Blobs(3, 500, 10, 0, seed: 5);
            float[] scale = { 1f, 0.2f, 0.5f };
            float[] offset = { 0f, 8f, -8f };
            for (int i = 0; i < data.Rows; i++)
            {
                var row = data.Row(i);
                for (int d = 0; d < row.Length; d++)
                    row[d] = row[d] * scale[labels[i]] + (d == labels[i] ? offset[labels[i]] : 0f);
            }
            return (data, labels);
        }

        private static double Spread(RowMatrix embedding, int[] labels, int label)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            double cx = rows.Average(i => embedding.ReadOnlyRow(i)[0]), cy = rows.Average(i => embedding.ReadOnlyRow(i)[1]);
            return rows.Average(i => Math.Sqrt(Math.Pow(embedding.ReadOnlyRow(i)[0] - cx, 2) + Math.Pow(embedding.ReadOnlyRow(i)[1] - cy, 2)));
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void DenseBlobsStaySmallAndSparseOnesLarge()
        {
            var (data, labels) = Blobs();
            (double Wide, double Middle) Ratios(DensitySettings density)
            {
                var embedding = UmapFitter.Fit(data, new UmapParameters { Seed = 1, Density = density }, new FitMonitor()).Model.Embedding;
                double narrow = Spread(embedding, labels, 1);
                return (Spread(embedding, labels, 0) / narrow, Spread(embedding, labels, 2) / narrow);
            }

            var plain = Ratios(null!);
            var densMap = Ratios(new DensitySettings());
            _output.WriteLine($"UMAP {plain.Wide:F2} / {plain.Middle:F2}, densMAP {densMap.Wide:F2} / {densMap.Middle:F2}");
            Assert.InRange(plain.Wide, 0.7, 1.4);
            Assert.InRange(plain.Middle, 0.7, 1.4);
            Assert.True(densMap.Wide > 2.2, $"wide / narrow {densMap.Wide:F2}");
            Assert.True(densMap.Middle > 1.5, $"middle / narrow {densMap.Middle:F2}");
            Assert.True(densMap.Wide > densMap.Middle);
        }

        [Fact]
        public void DensMapIsBitIdenticalForAnyThreadCountAndRunsTwoHundredMoreEpochs()
        {
            var (data, _) = TestMatrices.Blobs(3, 100, 5, 6, seed: 21);
            UmapModel Run(int threads) =>
                UmapFitter.Fit(data, new UmapParameters { Seed = 4, NumberOfThreads = threads, Density = new DensitySettings() }, new FitMonitor()).Model;

            var one = Run(1);
            Assert.Equal(700, one.Epochs);
            Assert.Equal(one.Embedding.Values, Run(2).Embedding.Values);
            Assert.All(one.Embedding.Values, v => Assert.True(float.IsFinite(v)));
            Assert.NotEqual(one.Embedding.Values, UmapFitter.Fit(data, new UmapParameters { Seed = 4, NumberOfEpochs = 700 }, new FitMonitor()).Model.Embedding.Values);
        }

        [Fact]
        public void TheTermActsInTheLastFractionOfTheEpochs()
        {
            var graph = new CsrMatrix(2, 2, new[] { 0, 1, 2 }, new[] { 1, 0 }, new[] { 1f, 1f });
            var neighbors = new KnnGraph(new[] { 0, 1, 1, 0 }, new[] { 0f, 1f, 0f, 1f }, 2, 2);
            var term = DensityRegularization.Create(graph, neighbors, new DensitySettings { Fraction = 0.3 }, 1.577, 0.895, 1);
            Assert.Equal(new[] { 7, 8, 9 }, Enumerable.Range(0, 10).Where(e => term.IsActive(e, 10)));
            var off = DensityRegularization.Create(graph, neighbors, new DensitySettings { Strength = 0 }, 1.577, 0.895, 1);
            Assert.DoesNotContain(Enumerable.Range(0, 10), e => off.IsActive(e, 10));
        }

        [Fact]
        public void TheTermMatchesUmapLearnsFormulasEdgeByEdge()
        {
            // Fixtures: umap-learn's own graph and densMAP formulas (see Fixtures/README.md) on the first 200 digits
            // with this library's exact neighbours, at fixed positions; every 40th edge of the pruned graph.
            var digits = Datasets.Digits();
            var data = new RowMatrix(digits.Features.AsSpan(0, 200 * 64).ToArray(), 200, 64);
            var fit = UmapFitter.Fit(data, new UmapParameters { Seed = 1, NumberOfEpochs = 0 }, new FitMonitor());
            var graph = EdgeSchedule.Prune(fit.FuzzySet.Graph, 700, 700);
            var term = DensityRegularization.Create(graph, fit.Model.Neighbors, new DensitySettings(), fit.Model.A, fit.Model.B, 1);
            var positions = TestMatrices.Fixture("densmap-positions.csv");
            term.BeginEpoch(positions.Values, 2, 1);

            var expected = TestMatrices.Fixture("densmap-coefficients.csv");
            Assert.Equal(85, expected.Rows);
            for (int r = 0; r < expected.Rows; r++)
            {
                int i = (int)expected.ReadOnlyRow(r)[0], j = (int)expected.ReadOnlyRow(r)[1];
                int p = graph.RowColumns(i).IndexOf(j);
                Assert.True(p >= 0, $"edge ({i}, {j}) is missing");
                float distanceSquared = UmapGradient.SquaredDistance(positions.ReadOnlyRow(i), positions.ReadOnlyRow(j));
                float actual = term.Coefficient(i, j, graph.RowOffsets[i] + p, distanceSquared);
                float reference = expected.ReadOnlyRow(r)[2];
                // float32 per-vertex statistics against float64 in the reference; small coefficients come from cancellation.
                Assert.True(Math.Abs(actual - reference) <= 1e-4 * Math.Abs(reference) + 1e-5, $"edge ({i}, {j}): {actual} vs umap-learn {reference}");
            }
        }

        [Fact]
        public void PointsSparserInTheDataArePushedApartAndDenserOnesPulledIn()
        {
            // Two pairs, 1 and 2 apart in the data, both 1 apart in the embedding: with equal embedded radii the
            // term pushes the pair that is sparse in the data apart and pulls the dense one together.
            var graph = new CsrMatrix(4, 4, new[] { 0, 1, 2, 3, 4 }, new[] { 1, 0, 3, 2 }, new[] { 1f, 1f, 1f, 1f });
            var neighbors = new KnnGraph(new[] { 0, 1, 1, 0, 2, 3, 3, 2 }, new[] { 0f, 1f, 0f, 1f, 0f, 2f, 0f, 2f }, 4, 2);
            var term = DensityRegularization.Create(graph, neighbors, new DensitySettings(), 1.577, 0.895, 1);
            var positions = new float[] { 0, 0, 1, 0, 10, 0, 11, 0 };
            term.BeginEpoch(positions, 2, 1);
            Assert.True(term.Coefficient(0, 1, 0, 1f) < 0, "the pair that is dense in the data is pulled together");
            Assert.True(term.Coefficient(2, 3, 2, 1f) > 0, "the pair that is sparse in the data is pushed apart");
            Assert.Equal(term.Coefficient(0, 1, 0, 1f), term.Coefficient(1, 0, 1, 1f));
            Assert.Equal(-term.Coefficient(0, 1, 0, 1f), term.Coefficient(2, 3, 2, 1f), 5);
            Assert.Equal(0f, term.Coefficient(0, 1, 0, 0f));
        }
    }
}
