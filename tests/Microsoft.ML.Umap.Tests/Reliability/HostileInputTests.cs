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
    /// a silent NaN before the library guarded against it. Surviving is not enough: each fit must also keep what the
    /// documentation promises for any input (the same embedding on any thread count, training rows given their
    /// embedding, new rows placed from the row alone, near their neighbours).
    /// </summary>
    public class HostileInputTests
    {
        private static UmapEstimator.Options Quick(UmapNeighborSearch search = UmapNeighborSearch.Auto, UmapMetric metric = UmapMetric.Euclidean) =>
            new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 20, NeighborSearch = search, Metric = metric };

        private static void AssertFinite(float[][] embedding, int rows, int components = 2)
        {
            Assert.Equal(rows, embedding.Length);
            foreach (var row in embedding)
            {
                Assert.Equal(components, row.Length);
                Assert.All(row, v => Assert.True(float.IsFinite(v), $"non-finite coordinate {v}"));
            }
        }

        /// <summary>
        /// What docs/workflows.md promises for any data: a training row gets exactly its training embedding (a row
        /// repeated in training, the embedding of its first occurrence), so transforming the training data returns the
        /// training embedding row for row.
        /// </summary>
        private static void AssertTrainingRowsGetTheirEmbedding<TRow>(MLContext ml, UmapTransformer model, IReadOnlyList<TRow> rows, Func<IReadOnlyList<TRow>, IDataView> load, Func<TRow, object> key)
        {
            var training = model.GetTrainingEmbedding();
            var transformed = MlNetData.Embedding(ml, model.Transform(load(rows)));
            AssertFinite(transformed, rows.Count, training[0].Length);
            var first = new Dictionary<object, int>();
            for (int i = 0; i < rows.Count; i++)
            {
                int original = first.TryGetValue(key(rows[i]), out int seen) ? seen : (first[key(rows[i])] = i);
                Assert.Equal(training[original], transformed[i]);
            }
        }

        /// <summary>
        /// What docs/workflows.md promises for new rows: a row's place depends only on the row and the model, never on
        /// the other rows of the batch or their order. Returns the rows' places.
        /// </summary>
        private static float[][] AssertEachRowIsPlacedAsIfAlone<TRow>(MLContext ml, UmapTransformer model, IReadOnlyList<TRow> rows, Func<IReadOnlyList<TRow>, IDataView> load)
        {
            var batch = MlNetData.Embedding(ml, model.Transform(load(rows)));
            AssertFinite(batch, rows.Count, model.GetTrainingEmbedding()[0].Length);
            var reversed = MlNetData.Embedding(ml, model.Transform(load(rows.Reverse().ToList())));
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(batch[i], reversed[rows.Count - 1 - i]);
                Assert.Equal(batch[i], MlNetData.Embedding(ml, model.Transform(load(new[] { rows[i] })))[0]);
            }
            return batch;
        }

        /// <summary>What docs/behaviour-and-limits.md promises of a seeded fit: the same embedding, bit for bit, whatever the thread count.</summary>
        private static UmapTransformer AssertTheSameFitOnOneAndThreeThreads(MLContext ml, IDataView data, UmapEstimator.Options options)
        {
            options.NumberOfThreads = 1;
            var one = ml.Transforms.Umap(options).Fit(data);
            options.NumberOfThreads = 3;
            var three = ml.Transforms.Umap(options).Fit(data);
            Assert.Equal(one.GetTrainingEmbedding(), three.GetTrainingEmbedding());
            return three;
        }

        /// <summary>The index of the training row whose embedding lies nearest <paramref name="point"/>.</summary>
        private static int NearestOnTheMap(float[][] training, float[] point) =>
            Enumerable.Range(0, training.Length).MinBy(i => training[i].Zip(point, (a, b) => (a - b) * (a - b)).Sum());

        private static string Key(float[] values) => string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v)));

        private static string Key(SparseRow row) => row.Dimension + ":" + string.Join(",", row.Indices) + ":" + Key(row.Values);

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
        public void AFitOnLogNormalRowScalesIsTheSameOnAnyThreadCountAndGivesTrainingRowsTheirEmbedding()
        {
            var ml = new MLContext(seed: 1);
            var matrix = HostileData.LogNormalRows(5000, 64, 0.5, seed: 11);
            var rows = Enumerable.Range(0, matrix.Rows).Select(i => new FeatureRow { Features = matrix.ReadOnlyRow(i).ToArray() }).ToList();
            var model = AssertTheSameFitOnOneAndThreeThreads(ml, MlNetData.Load(ml, rows, 64), Quick(UmapNeighborSearch.Approximate));
            AssertTrainingRowsGetTheirEmbedding(ml, model, rows, r => MlNetData.Load(ml, r, 64), r => Key(r.Features));
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData(UmapMetric.Euclidean)]
        [InlineData(UmapMetric.Cosine)]
        public void AFitOnHashedSparseRowsIsTheSameOnAnyThreadCountAndGivesTrainingRowsTheirEmbedding(UmapMetric metric)
        {
            var ml = new MLContext(seed: 1);
            var rows = HostileData.RandomSparse(5000, 20_000, 10, seed: 12);
            var model = AssertTheSameFitOnOneAndThreeThreads(ml, HostileData.LoadSparse(ml, rows), Quick(UmapNeighborSearch.Approximate, metric));
            AssertTrainingRowsGetTheirEmbedding(ml, model, rows, r => HostileData.LoadSparse(ml, r), r => Key(r));
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
        public void ANewRowWhoseNeighboursAreAllAtDistanceZeroIsPlacedAmongThem()
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
            var fresh = new[] { new FeatureRow { Features = new[] { 2f, 4f, 6f, 8f } }, new FeatureRow { Features = new[] { 0.5f, 1f, 1.5f, 2f } } };
            var placed = AssertEachRowIsPlacedAsIfAlone(ml, model, fresh, r => MlNetData.Load(ml, r, 4));
            // Its neighbours are copies of one row, so it lands among them: nearest on the map to one of the 40 copies.
            var training = model.GetTrainingEmbedding();
            foreach (var point in placed)
                Assert.InRange(NearestOnTheMap(training, point), 0, 39);
        }

        [Fact]
        public void AOneRowModelEmbedsItsRowAtTheOriginAndPlacesNewRows()
        {
            // docs/behaviour-and-limits.md: a single row is embedded at the origin.
            var ml = new MLContext(seed: 1);
            var single = new[] { new FeatureRow { Features = new[] { 1f, 2f } } };
            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, single, 2));
            Assert.Equal(new[] { new[] { 0f, 0f } }, model.GetTrainingEmbedding());
            AssertTrainingRowsGetTheirEmbedding(ml, model, single, r => MlNetData.Load(ml, r, 2), r => Key(r.Features));
            var fresh = new[] { new FeatureRow { Features = new[] { 3f, 5f } }, new FeatureRow { Features = new[] { -1f, 0f } } };
            AssertEachRowIsPlacedAsIfAlone(ml, model, fresh, r => MlNetData.Load(ml, r, 2));
        }

        [Fact]
        public void LocalConnectivityZeroWithDuplicateRowsKeepsEachPointsCopiesTogether()
        {
            var ml = new MLContext(seed: 1);
            // 20 copies of each of 3 points: with 15 neighbours, every neighbour of every row is at distance 0.
            var rows = Enumerable.Range(0, 60).Select(i => new FeatureRow { Features = new[] { (float)(i % 3), (float)(i % 3) * 2 } }).ToList();
            var options = Quick();
            options.LocalConnectivity = 0;
            var model = ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, rows, 2));
            // Identical rows are allowed (docs/behaviour-and-limits.md), and each row's nearest neighbours stay close:
            // every row's nearest rows on the map are copies of its own point.
            var training = model.GetTrainingEmbedding();
            AssertFinite(training, 60);
            Assert.Equal(1.0, UmapMetrics.KnnAccuracy(training, Enumerable.Range(0, 60).Select(i => i % 3).ToArray()));
            AssertTrainingRowsGetTheirEmbedding(ml, model, rows, r => MlNetData.Load(ml, r, 2), r => Key(r.Features));
            // (0.5, 0.5)'s 15 nearest rows are all copies of (0, 0): it lands among them.
            var fresh = new[] { new FeatureRow { Features = new[] { 0.5f, 0.5f } }, new FeatureRow { Features = new[] { 2.2f, 4.1f } } };
            var placed = AssertEachRowIsPlacedAsIfAlone(ml, model, fresh, r => MlNetData.Load(ml, r, 2));
            Assert.Equal(0, NearestOnTheMap(training, placed[0]) % 3);
            Assert.Equal(2, NearestOnTheMap(training, placed[1]) % 3);
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
        public void DegenerateColumnsAtNeighbourDescentSizeGiveTrainingRowsTheirEmbeddingAndPlaceNewRowsAlone(string shape)
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
            AssertFinite(model.GetTrainingEmbedding(), rows);
            AssertTrainingRowsGetTheirEmbedding(ml, model, data, r => MlNetData.Load(ml, r, width), r => Key(r.Features));
            var fresh = new[]
            {
                new FeatureRow { Features = Enumerable.Range(0, width).Select(c => c + 0.5f).ToArray() },
                new FeatureRow { Features = Enumerable.Range(0, width).Select(c => 3f - c).ToArray() },
            };
            AssertEachRowIsPlacedAsIfAlone(ml, model, fresh, r => MlNetData.Load(ml, r, width));
        }

        // Memory and time must follow the non-zeros, not the declared width of a sparse column.

        [Fact]
        public void ASparseColumnOfTwoToThe25SlotsFitsAndTransformsReproducibly()
        {
            var ml = new MLContext(seed: 1);
            var rows = HostileData.RandomSparse(600, 1 << 25, 10, seed: 8);
            var model = AssertTheSameFitOnOneAndThreeThreads(ml, HostileData.LoadSparse(ml, rows), Quick(UmapNeighborSearch.Approximate, UmapMetric.Cosine));
            AssertTrainingRowsGetTheirEmbedding(ml, model, rows, r => HostileData.LoadSparse(ml, r), r => Key(r));
            AssertEachRowIsPlacedAsIfAlone(ml, model, HostileData.RandomSparse(5, 1 << 25, 10, seed: 9), r => HostileData.LoadSparse(ml, r));
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
