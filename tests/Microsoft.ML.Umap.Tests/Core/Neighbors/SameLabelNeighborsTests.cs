using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.Core.Distances;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class SameLabelNeighborsTests
    {
        private static KnnGraph Exact(VectorSet data, int k) =>
            new ExactNearestNeighbors<EuclideanDistance>(data, default, 2).ComputeGraph(k, new FitMonitor());

        [Fact]
        public void LabelledRowsGetTheirNearestRowsOfTheirClassAndUnlabelledRowsKeepTheirs()
        {
            var data = TestMatrices.Gaussian(300, 6, seed: 3);
            var set = new DenseVectorSet(data);
            // Class 2 has 3 rows (0, 2 and 6), fewer than k; every fifth row is unlabelled.
            var classes = Enumerable.Range(0, data.Rows).Select(i => i % 5 == 4 ? -1 : i < 8 && i % 2 == 0 ? 2 : i % 2).ToArray();
            const int k = 10;
            var all = Exact(set, k);
            var restricted = SameLabelNeighbors.Restrict(set, all, classes, new UmapParameters { NumberOfThreads = 2 }, new FitMonitor());

            for (int i = 0; i < data.Rows; i++)
            {
                if (classes[i] < 0)
                {
                    Assert.Equal(all.RowIndices(i).ToArray(), restricted.RowIndices(i).ToArray());
                    continue;
                }
                // Brute force within the class: the point itself first, then ascending distance, ties by index.
                var expected = Enumerable.Range(0, data.Rows).Where(j => classes[j] == classes[i])
                    .Select(j => (Row: j, Reduced: Distance.Reduced(default(EuclideanDistance), VectorView.Dense(data.ReadOnlyRow(i)), VectorView.Dense(data.ReadOnlyRow(j)))))
                    .OrderBy(p => p.Row == i ? 0 : 1).ThenBy(p => p.Reduced).ThenBy(p => p.Row)
                    .Take(k).ToArray();
                var rowIndices = restricted.RowIndices(i);
                var rowDistances = restricted.RowDistances(i);
                for (int q = 0; q < k; q++)
                {
                    if (q < expected.Length)
                    {
                        Assert.Equal(expected[q].Row, rowIndices[q]);
                        Assert.Equal(MathF.Sqrt(expected[q].Reduced), rowDistances[q], 4);
                    }
                    else
                    {
                        Assert.Equal(-1, rowIndices[q]);
                        Assert.Equal(float.PositiveInfinity, rowDistances[q]);
                    }
                }
            }
            Assert.Equal(new[] { 0, 2, 6 }, restricted.RowIndices(0).ToArray().Where(j => j >= 0).Order());
        }

        [Fact]
        public void ASingleRowClassHasOnlyItselfAndNoLabelsChangeNothing()
        {
            var data = TestMatrices.Gaussian(40, 3, seed: 9);
            var set = new DenseVectorSet(data);
            var all = Exact(set, 5);
            var classes = Enumerable.Range(0, 40).Select(i => i == 7 ? 3 : i % 2).ToArray();
            var restricted = SameLabelNeighbors.Restrict(set, all, classes, new UmapParameters(), new FitMonitor());
            Assert.Equal(new[] { 7, -1, -1, -1, -1 }, restricted.RowIndices(7).ToArray());

            var unlabelled = SameLabelNeighbors.Restrict(set, all, Enumerable.Repeat(-1, 40).ToArray(), new UmapParameters(), new FitMonitor());
            Assert.Equal(all.Indices, unlabelled.Indices);
            Assert.Throws<ArgumentException>(() => SameLabelNeighbors.Restrict(set, all, new int[39], new UmapParameters(), new FitMonitor()));
        }

        [Fact]
        public void ApproximateSearchWithinEachClassFindsTheExactNeighbours()
        {
            var digits = Datasets.Digits();
            var set = new DenseVectorSet(new RowMatrix(digits.Features, digits.Rows, digits.Columns));
            var classes = digits.Labels.Select((label, i) => i % 2 == 0 ? label : -1).ToArray();
            var all = Exact(set, 15);
            var exact = SameLabelNeighbors.Restrict(set, all, classes, new UmapParameters { NeighborSearch = UmapNeighborSearch.Exact, NumberOfThreads = 2 }, new FitMonitor());
            var approximate = SameLabelNeighbors.Restrict(set, all, classes, new UmapParameters { NeighborSearch = UmapNeighborSearch.Approximate, Seed = 4, NumberOfThreads = 2 }, new FitMonitor());

            long found = 0, total = 0;
            for (int i = 0; i < digits.Rows; i += 2)
            {
                var truth = exact.RowIndices(i).ToArray().ToHashSet();
                Assert.All(approximate.RowIndices(i).ToArray(), j => Assert.Equal(classes[i], classes[j]));
                found += approximate.RowIndices(i).ToArray().Count(truth.Contains);
                total += truth.Count;
            }
            // Integer-valued digits have distance ties, so a few equally near rows may be swapped.
            Assert.True((double)found / total >= 0.97, $"recall {(double)found / total:F4}");
        }

        [Fact]
        public void SubsetsCopyDenseAndSparseRowsAlike()
        {
            var data = TestMatrices.Gaussian(20, 7, seed: 8);
            for (int i = 0; i < data.Rows; i++)
                data.Row(i)[i % 7] = 0f;
            var rows = new[] { 13, 2, 7 };
            var dense = new DenseVectorSet(data).Subset(rows);
            var sparse = MetricKernelTests.ToSparse(TestMatrices.ToJagged(data), 7).Subset(rows);
            Assert.False(dense.IsSparse);
            Assert.True(sparse.IsSparse);
            Assert.Equal(3, sparse.Count);
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.Equal(data.ReadOnlyRow(rows[r]).ToArray(), ((DenseVectorSet)dense).Matrix.ReadOnlyRow(r).ToArray());
                var expected = new float[7];
                var view = sparse[r];
                Assert.Equal(6, view.Indices.Length);
                for (int p = 0; p < view.Indices.Length; p++)
                    expected[view.Indices[p]] = view.Values[p];
                Assert.Equal(data.ReadOnlyRow(rows[r]).ToArray(), expected);
            }
        }
    }
}
