using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// Memory follows a sparse column's non-zeros, not its declared width: hashed text
    /// features of 2^20 to 2^24 slots are ordinary ML.NET input. Each test fits the same rows declared at a narrow
    /// and at a very wide width and compares what the two fits allocate.
    /// </summary>
    [Collection(ProcessWideState.Name)]
    public class SparseScalingTests
    {
        private static long AllocatedByFit(IReadOnlyList<SparseRow> rows, UmapEstimator.Options options)
        {
            var ml = new MLContext(seed: 1);
            var data = HostileData.LoadSparse(ml, rows);
            var estimator = ml.Transforms.Umap(options);
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var model = estimator.Fit(data);
            var embedding = model.Transform(data).GetColumn<float[]>("Embedding").ToArray();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.All(embedding.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
            return allocated;
        }

        /// <summary>The same rows (positions below <paramref name="narrow"/>) spread over a declared width of <paramref name="wide"/>.</summary>
        private static (List<SparseRow> Narrow, List<SparseRow> Wide) SameRows(List<SparseRow> rows, int wide) =>
            (rows, rows.Select(r => new SparseRow(wide, r.Indices.Select(i => (int)((long)i * 4099 % wide)).OrderBy(i => i).ToArray(), r.Values)).ToList());

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AWideSparseColumnAllocatesAboutWhatANarrowOneDoes()
        {
            var (narrow, wide) = SameRows(HostileData.RandomSparse(5000, 1 << 14, 30, seed: 21), 1 << 20);
            var options = new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 10, NeighborSearch = UmapNeighborSearch.Approximate, Metric = UmapMetric.Cosine };
            long small = AllocatedByFit(narrow, options);
            long large = AllocatedByFit(wide, options);
            Assert.True(large < small * 1.5 + (16 << 20), $"2^14 slots: {small >> 20} MB; 2^20 slots: {large >> 20} MB");
        }

        public sealed class WideRow
        {
            [VectorType(1 << 20)]
            public VBuffer<float> Features { get; set; }

            [VectorType(2)]
            public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        /// <summary>Trustworthiness measures a sparse input column on its non-zeros, never on a dense copy of its width.</summary>
        [Fact]
        public void TrustworthinessOfAWideSparseColumnCostsItsNonZeros()
        {
            var ml = new MLContext(seed: 1);
            var rng = new Random(5);
            var rows = HostileData.RandomSparse(300, 1 << 20, 10, seed: 8)
                .Select(r => new WideRow { Features = new VBuffer<float>(r.Dimension, r.Values.Length, r.Values, r.Indices), Embedding = new[] { rng.NextSingle(), rng.NextSingle() } })
                .ToList();
            var data = ml.Data.LoadFromEnumerable(rows);
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            double score = UmapMetrics.Trustworthiness(data, "Features", "Embedding", neighbors: 10);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.InRange(score, 0, 1);
            Assert.True(allocated < 32 << 20, $"Trustworthiness of 300 rows of 2^20 slots (3,000 non-zeros) allocated {allocated >> 20} MB");
        }

        [Fact]
        public void ThousandsOfConnectedComponentsInAWideColumnStayCheap()
        {
            // 1,000 groups of 3 rows, each group on its own 4 slots: under cosine every other row is at the
            // disconnection distance, so the graph has 1,000 connected components, laid out around their centroids.
            var rows = new List<SparseRow>();
            for (int g = 0; g < 1000; g++)
            {
                for (int r = 0; r < 3; r++)
                    rows.Add(new SparseRow(1 << 14, Enumerable.Range(4 * g, 4).ToArray(), new[] { 1f + r, 2f, 3f - r * 0.5f, 1f }));
            }
            var (narrow, wide) = SameRows(rows, 1 << 22);
            var options = new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 10, NumberOfNeighbors = 3, Metric = UmapMetric.Cosine };
            long small = AllocatedByFit(narrow, options);
            long large = AllocatedByFit(wide, options);
            Assert.True(large < small * 1.5 + (16 << 20), $"2^14 slots: {small >> 20} MB; 2^22 slots: {large >> 20} MB");
        }
    }
}
