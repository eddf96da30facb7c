using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// Regression tests for data that once crashed a fit: each of these inputs gave an internal exception, a hang or
    /// a silent NaN before the library guarded against it.
    /// </summary>
    public class HostileInputTests
    {
        private static UmapEstimator.Options Quick(UmapNeighborSearch search = UmapNeighborSearch.Auto, UmapMetric metric = UmapMetric.Euclidean) =>
            new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 20, NeighborSearch = search, Metric = metric };

        private static float[][] FitAndEmbed(MLContext ml, IDataView data, UmapEstimator.Options options)
        {
            var model = ml.Transforms.Umap(options).Fit(data);
            return MlNetData.Embedding(ml, model.Transform(data));
        }

        private static void AssertFinite(float[][] embedding, int rows, int components = 2)
        {
            Assert.Equal(rows, embedding.Length);
            foreach (var row in embedding)
            {
                Assert.Equal(components, row.Length);
                Assert.All(row, v => Assert.True(float.IsFinite(v), $"non-finite coordinate {v}"));
            }
        }

        // The trees must not assume every leaf holds at least half a leaf of points.

        [Theory]
        [InlineData(0.5, false)]
        [InlineData(3.0, false)]
        [InlineData(3.0, true)]
        public void RandomProjectionTreesHoldEveryPointOnceWhateverTheSplits(double sigma, bool angular)
        {
            var data = HostileData.LogNormalRows(5000, 64, sigma, seed: 3);
            foreach (ulong seed in new ulong[] { 1, 2, 3, 4 })
            {
                var tree = RandomProjectionTree.Build(data, leafSize: 15, seed, keepHyperplanes: true, angular: angular);
                Assert.Equal(Enumerable.Range(0, data.Rows), tree.Points.OrderBy(p => p));
                for (int leaf = 0; leaf < tree.LeafCount; leaf++)
                    Assert.InRange(tree.Leaf(leaf).Length, 1, 15);
                for (int i = 0; i < data.Rows; i += 97)
                    Assert.InRange(tree.FindLeaf(data.ReadOnlyRow(i)), 0, tree.LeafCount - 1);
            }
        }

        [Fact]
        public void TreesOfIdenticalOrOneSidedPointsStayShallow()
        {
            // Every split of identical rows is a tie; one far outlier makes every hyperplane split 1 : rest.
            var values = new float[3000 * 4];
            for (int i = 0; i < 3000; i++)
                values[i * 4] = i < 10 ? 1e6f * (i + 1) : 1f;
            var tree = RandomProjectionTree.Build(new RowMatrix(values, 3000, 4), leafSize: 10, seed: 5, keepHyperplanes: true);
            Assert.Equal(3000, tree.Points.Distinct().Count());
            Assert.True(tree.LeafCount <= 3000);
            for (int leaf = 0; leaf < tree.LeafCount; leaf++)
                Assert.InRange(tree.Leaf(leaf).Length, 1, 10);
        }

        [Fact]
        public void AFitOnLogNormalRowScalesNeverCrashes()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, HostileData.LogNormalRows(5000, 64, 0.5, seed: 11));
            AssertFinite(FitAndEmbed(ml, data, Quick(UmapNeighborSearch.Approximate)), 5000);
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData(UmapMetric.Euclidean)]
        [InlineData(UmapMetric.Cosine)]
        public void AFitOnHashedSparseRowsNeverCrashes(UmapMetric metric)
        {
            var ml = new MLContext(seed: 1);
            var data = HostileData.LoadSparse(ml, HostileData.RandomSparse(5000, 20_000, 10, seed: 12));
            AssertFinite(FitAndEmbed(ml, data, Quick(UmapNeighborSearch.Approximate, metric)), 5000);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        public void ParallelWorkSurfacesTheFirstFailingChunksExceptionAlone(int threads)
        {
            // Chunks 3 and 7 fail; whatever the threads and timing, the caller sees chunk 3's exception itself.
            var e = Record.Exception(() => ParallelRange.For(100, 10, threads, (start, end) =>
            {
                if (start == 30)
                    throw new InvalidOperationException("chunk 3");
                if (start == 70)
                    throw new ArgumentException("chunk 7");
            }));
            Assert.IsType<InvalidOperationException>(e);
            Assert.Equal("chunk 3", e.Message);
        }

        // Smooth kNN must not index an empty list of positive distances.

        [Fact]
        public void TheLocalRadiusOfARowWithoutAPositiveDistanceIsZero()
        {
            foreach (double connectivity in new[] { 0.0, 0.5, 1.0, 2.5 })
            {
                Assert.Equal(0.0, SmoothKnnDistances.LocalRadius(new float[] { 0f, 0f, 0f }, connectivity));
                Assert.Equal(0.0, SmoothKnnDistances.LocalRadius(ReadOnlySpan<float>.Empty, connectivity));
                Assert.Equal(0.0, SmoothKnnDistances.LocalRadius(new[] { float.PositiveInfinity }, connectivity));
                var (sigma, rho) = SmoothKnnDistances.SmoothRow(ReadOnlySpan<float>.Empty, 0, 0, Math.Log2(15), connectivity);
                Assert.True(double.IsFinite(sigma) && double.IsFinite(rho));
            }
        }

        [Fact]
        public void ANewRowWhoseNeighboursAreAllAtDistanceZeroIsPlaced()
        {
            // Under cosine, a scaled copy of a direction is at distance 0 from every training row along it.
            var ml = new MLContext(seed: 1);
            var rows = new List<FeatureRow>();
            var rng = new Random(4);
            for (int i = 0; i < 40; i++)
                rows.Add(new FeatureRow { Features = new[] { 1f, 2f, 3f, 4f } });
            for (int i = 0; i < 60; i++)
                rows.Add(new FeatureRow { Features = Enumerable.Range(0, 4).Select(_ => (float)rng.NextDouble()).ToArray() });
            var model = ml.Transforms.Umap(Quick(metric: UmapMetric.Cosine)).Fit(MlNetData.Load(ml, rows, 4));
            var newRows = MlNetData.Load(ml, new[] { new FeatureRow { Features = new[] { 2f, 4f, 6f, 8f } } }, 4);
            AssertFinite(MlNetData.Embedding(ml, model.Transform(newRows)), 1);
        }

        [Fact]
        public void AOneRowModelPlacesNewRows()
        {
            var ml = new MLContext(seed: 1);
            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, new[] { new FeatureRow { Features = new[] { 1f, 2f } } }, 2));
            var placed = MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, new[] { new FeatureRow { Features = new[] { 3f, 5f } } }, 2)));
            AssertFinite(placed, 1);
        }

        [Fact]
        public void LocalConnectivityZeroWithDuplicateRowsFits()
        {
            var ml = new MLContext(seed: 1);
            // 20 copies of each of 3 points: with 15 neighbours, every neighbour of every row is at distance 0.
            var rows = Enumerable.Range(0, 60).Select(i => new FeatureRow { Features = new[] { (float)(i % 3), (float)(i % 3) * 2 } }).ToList();
            var options = Quick();
            options.LocalConnectivity = 0;
            var model = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, rows, 2));
            AssertFinite(MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, rows, 2))), 60);
            var fresh = new[] { new FeatureRow { Features = new[] { 0.5f, 0.5f } } };
            AssertFinite(MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, fresh, 2))), 1);
        }

        [Theory]
        [InlineData(UmapMetric.Euclidean)]
        [InlineData(UmapMetric.Cosine)]
        [InlineData(UmapMetric.Correlation)]
        [InlineData(UmapMetric.Manhattan)]
        [InlineData(UmapMetric.Canberra)]
        [InlineData(UmapMetric.Chebyshev)]
        [InlineData(UmapMetric.Minkowski)]
        public void ValuesThatOverflowTheMetricAreRefusedByColumnRowAndValue(UmapMetric metric)
        {
            var ml = new MLContext(seed: 1);
            var data = TestMatrices.Gaussian(50, 3, seed: 5);
            data.Row(23)[1] = 3e38f;
            data.Row(24)[1] = -3e38f;
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick(metric: metric)).Fit(MlNetData.Load(ml, data)));
            Assert.Contains("'Features'", e.Message);
            Assert.Contains("row index 23", e.Message);
            Assert.Contains(metric.ToString(), e.Message);
            Assert.Contains("scale", e.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void ValuesWhoseSquaresOverflowAreRefusedInAFitAndInATransform()
        {
            var ml = new MLContext(seed: 1);
            var data = TestMatrices.Gaussian(50, 3, seed: 5);
            data.Row(7)[2] = 1e20f;
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, data)));
            Assert.Contains("row index 7", e.Message);
            Assert.DoesNotContain("Krylov", e.Message);

            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, TestMatrices.Gaussian(50, 3, seed: 5)));
            var fresh = new[] { new FeatureRow { Features = new[] { 0f, 1e20f, 0f } }, new FeatureRow { Features = new[] { 1f, 1f, 1f } } };
            var transformed = model.Transform(MlNetData.Load(ml, fresh, 3));
            var e2 = Assert.Throws<InvalidOperationException>(() => MlNetData.Embedding(ml, transformed));
            Assert.Contains("'Features'", e2.Message);
            Assert.Contains("row index 0", e2.Message);
        }

        [Fact]
        public void HellingerRefusesNegativeValuesByRowAndSlot()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 30).Select(i => new FeatureRow { Features = new[] { i + 1f, 2f, 3f } }).ToList();
            rows[12].Features[2] = -0.5f;
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick(metric: UmapMetric.Hellinger)).Fit(MlNetData.Load(ml, rows, 3)));
            Assert.Contains("row index 12", e.Message);
            Assert.Contains("slot 2", e.Message);
            Assert.Contains("Hellinger", e.Message);

            rows[12].Features[2] = 0.5f;
            var model = ml.Transforms.Umap(Quick(metric: UmapMetric.Hellinger)).Fit(MlNetData.Load(ml, rows, 3));
            var fresh = model.Transform(MlNetData.Load(ml, new[] { new FeatureRow { Features = new[] { 1f, -1f, 1f } } }, 3));
            var e2 = Assert.Throws<InvalidOperationException>(() => MlNetData.Embedding(ml, fresh));
            Assert.Contains("slot 1", e2.Message);
        }

        // At NN-descent sizes the query path codes the rows for its walk; columns that are all constant leave nothing
        // to code, and the exact byte copy must still give every row back.

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData("every column constant")]
        [InlineData("all but one column constant")]
        [InlineData("one row repeated")]
        public void DegenerateColumnsAtNeighbourDescentSizeFitAndPlaceNewRows(string shape)
        {
            const int rows = 5000, width = 8;
            var rng = new Random(6);
            var repeated = Enumerable.Range(0, width).Select(_ => (float)rng.Next(200)).ToArray();
            var data = new List<FeatureRow>(rows);
            for (int i = 0; i < rows; i++)
            {
                var features = shape switch
                {
                    "every column constant" => Enumerable.Repeat(3f, width).ToArray(),
                    "all but one column constant" => Enumerable.Range(0, width).Select(c => c == 5 ? (float)rng.Next(50) : 7f).ToArray(),
                    _ => (float[])repeated.Clone(),
                };
                data.Add(new FeatureRow { Features = features });
            }
            var ml = new MLContext(seed: 1);
            var model = ml.Transforms.Umap(Quick(UmapNeighborSearch.Approximate)).Fit(MlNetData.Load(ml, data, width));
            Assert.Equal(rows, model.GetTrainingEmbedding().Length);
            var fresh = new[] { data[0], data[17], new FeatureRow { Features = Enumerable.Range(0, width).Select(c => c + 0.5f).ToArray() } };
            AssertFinite(MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, fresh, width))), fresh.Length);
        }

        // Memory and time must follow the non-zeros, not the declared width of a sparse column.

        [Fact]
        public void ASparseColumnOfTwoToThe25SlotsFitsAndTransforms()
        {
            var ml = new MLContext(seed: 1);
            var rows = HostileData.RandomSparse(600, 1 << 25, 10, seed: 8);
            var data = HostileData.LoadSparse(ml, rows);
            var model = ml.Transforms.Umap(Quick(UmapNeighborSearch.Approximate, UmapMetric.Cosine)).Fit(data);
            AssertFinite(MlNetData.Embedding(ml, model.Transform(data)), 600);
            var fresh = HostileData.LoadSparse(ml, HostileData.RandomSparse(5, 1 << 25, 10, seed: 9));
            AssertFinite(MlNetData.Embedding(ml, model.Transform(fresh)), 5);
        }

        [Fact]
        public void ACustomDistanceOnAVeryWideSparseColumnIsRefusedRatherThanRunForHours()
        {
            var ml = new MLContext(seed: 1);
            var data = HostileData.LoadSparse(ml, HostileData.RandomSparse(50, 1 << 22, 5, seed: 3));
            var options = Quick(metric: UmapMetric.Custom);
            options.CustomDistance = (x, y) => 0f;
            var e = Assert.Throws<NotSupportedException>(() => ml.Transforms.Umap(options).Fit(data));
            Assert.Contains("custom distance", e.Message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
