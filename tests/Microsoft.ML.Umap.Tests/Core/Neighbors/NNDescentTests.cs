using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Neighbors
{
    public class NNDescentTests
    {
        private static double Recall(KnnGraph approximate, KnnGraph exact)
        {
            long found = 0, total = 0;
            for (int i = 0; i < exact.PointCount; i++)
            {
                var truth = exact.RowIndices(i).Slice(1).ToArray().ToHashSet();
                found += approximate.RowIndices(i).Slice(1).ToArray().Count(truth.Contains);
                total += truth.Count;
            }
            return (double)found / total;
        }

        [Fact]
        public void RecallOnDigitsIsAtLeast98Percent()
        {
            var digits = Datasets.Digits();
            var data = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(15, new FitMonitor());
            var approximate = new NNDescent<EuclideanDistance>(new DenseVectorSet(data), default, 2, new NNDescentSettings { Seed = 1 }).ComputeGraph(15, new FitMonitor());
            // Ties in the integer-valued digits make several neighbour sets equally correct; compare distances too.
            double recall = Recall(approximate, exact);
            Assert.True(recall >= 0.98, $"recall {recall:F4}");
            double distanceRatio = Enumerable.Range(0, data.Rows).Average(i => approximate.RowDistances(i)[14] / Math.Max(1e-6, exact.RowDistances(i)[14]));
            Assert.InRange(distanceRatio, 1.0, 1.01);
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void RecallOnMnistIsAtLeast97Percent()
        {
            // Wide enough (784 values) that the trees split the random sketch rather than the data.
            var mnist = Datasets.Mnist("t10k").Take(5000);
            var data = new RowMatrix(mnist.Features, mnist.Rows, mnist.Columns);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(15, new FitMonitor());
            var approximate = new NNDescent<EuclideanDistance>(new DenseVectorSet(data), default, 2, new NNDescentSettings { Seed = 2 }).ComputeGraph(15, new FitMonitor());
            double recall = Recall(approximate, exact);
            Assert.True(recall >= 0.97, $"recall {recall:F4}");
        }

        [Fact]
        public void RowsSearchedInLeafOrderGiveAGraphInTheCallersOrderWithTheSameRecall()
        {
            // The renumbering for locality normally starts at a hundred thousand rows; from zero it runs on the digits.
            var digits = Datasets.Digits();
            var data = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(15, new FitMonitor());
            KnnGraph Build(int threads) => new NNDescent<EuclideanDistance>(new DenseVectorSet(data), default, threads,
                new NNDescentSettings { Seed = 1, LocalityOrderFromRows = 0 }).ComputeGraph(15, new FitMonitor());
            var reordered = Build(2);
            Assert.Equal(reordered.Indices, Build(1).Indices);
            Assert.True(Recall(reordered, exact) >= 0.98, $"recall {Recall(reordered, exact):F4}");
            for (int i = 0; i < data.Rows; i++)
            {
                var row = reordered.RowIndices(i);
                Assert.Equal(i, row[0]);
                var distances = reordered.RowDistances(i);
                for (int j = 1; j < row.Length; j++)
                    Assert.Equal(Math.Sqrt(DistanceKernels.SquaredEuclidean(data.ReadOnlyRow(i), data.ReadOnlyRow(row[j]))), distances[j], 1e-4);
            }
        }

        [Fact]
        public void GraphIsWellFormedAndTheSameForAnyThreadCount()
        {
            var data = TestMatrices.Gaussian(1500, 12, seed: 32);
            KnnGraph Build(int threads) => new NNDescent<EuclideanDistance>(new DenseVectorSet(data), default, threads, new NNDescentSettings { Seed = 5 }).ComputeGraph(8, new FitMonitor());
            var one = Build(1);
            Assert.Equal(one.Indices, Build(2).Indices);
            Assert.Equal(one.Indices, Build(3).Indices);
            Assert.Equal(one.Distances, Build(2).Distances);
            Assert.NotEqual(one.Indices, new NNDescent<EuclideanDistance>(new DenseVectorSet(data), default, 2, new NNDescentSettings { Seed = 6 }).ComputeGraph(8, new FitMonitor()).Indices);

            for (int i = 0; i < data.Rows; i++)
            {
                var row = one.RowIndices(i);
                Assert.Equal(i, row[0]);
                Assert.Equal(row.Length, row.ToArray().Distinct().Count());
                var distances = one.RowDistances(i);
                for (int j = 1; j < distances.Length; j++)
                {
                    Assert.True(distances[j] >= distances[j - 1]);
                    Assert.Equal(Math.Sqrt(DistanceKernels.SquaredEuclidean(data.ReadOnlyRow(i), data.ReadOnlyRow(row[j]))), distances[j], 1e-4);
                }
            }
        }

        [Fact]
        public void TreeLeavesPartitionThePointsAndRespectTheLeafSize()
        {
            var data = TestMatrices.Gaussian(1000, 5, seed: 33);
            var tree = RandomProjectionTree.Build(data, 15, 7);
            var seen = new List<int>();
            for (int leaf = 0; leaf < tree.LeafCount; leaf++)
            {
                Assert.InRange(tree.Leaf(leaf).Length, 1, 15);
                seen.AddRange(tree.Leaf(leaf).ToArray());
            }
            Assert.Equal(Enumerable.Range(0, 1000), seen.OrderBy(i => i));
            Assert.Equal(tree.Points, RandomProjectionTree.Build(data, 15, 7).Points);
        }

        [Fact]
        public void RoutingATrainingPointFindsTheLeafItWasPutInInEveryTreeAtOnce()
        {
            // Trees of different depths (leaf sizes 3, 15 and all points): descended together, each still follows
            // its own hyperplanes to the end, and the one-leaf tree answers its only leaf.
            var data = TestMatrices.Gaussian(1000, 6, seed: 35);
            var trees = new[]
            {
                RandomProjectionTree.Build(data, 3, 1, keepHyperplanes: true),
                RandomProjectionTree.Build(data, 15, 2, keepHyperplanes: true),
                RandomProjectionTree.Build(data, 1000, 3, keepHyperplanes: true),
            };
            Assert.Equal(1, trees[2].LeafCount);
            var leafOf = trees.Select(tree =>
            {
                var map = new int[1000];
                for (int leaf = 0; leaf < tree.LeafCount; leaf++)
                {
                    foreach (int p in tree.Leaf(leaf))
                        map[p] = leaf;
                }
                return map;
            }).ToArray();
            var leaves = new int[trees.Length];
            for (int i = 0; i < 1000; i++)
            {
                RandomProjectionTree.FindLeaves(trees, data.ReadOnlyRow(i), leaves);
                for (int t = 0; t < trees.Length; t++)
                {
                    Assert.Equal(leafOf[t][i], leaves[t]);
                    Assert.Equal(leaves[t], trees[t].FindLeaf(data.ReadOnlyRow(i)));
                }
            }
            Assert.Throws<InvalidOperationException>(() => RandomProjectionTree.Build(data, 15, 2).FindLeaf(data.ReadOnlyRow(0)));
        }

        [Fact]
        public void TreesSplitDuplicatesToo()
        {
            var data = new RowMatrix(new float[200 * 3], 200, 3); // all rows identical
            var tree = RandomProjectionTree.Build(data, 10, 1);
            Assert.True(tree.LeafCount >= 20);
            for (int leaf = 0; leaf < tree.LeafCount; leaf++)
                Assert.InRange(tree.Leaf(leaf).Length, 1, 10);
        }

        [Fact]
        public void SketchKeepsDistancesRoughly()
        {
            var data = TestMatrices.Gaussian(200, 300, seed: 34);
            var sketch = RandomSketch.Project(new DenseVectorSet(data), 64, 3, 2);
            Assert.Equal(64, sketch.Columns);
            var ratios = Enumerable.Range(0, 100).Select(i =>
                DistanceKernels.SquaredEuclidean(sketch.ReadOnlyRow(i), sketch.ReadOnlyRow(i + 100)) /
                DistanceKernels.SquaredEuclidean(data.ReadOnlyRow(i), data.ReadOnlyRow(i + 100))).ToArray();
            Assert.InRange(ratios.Average(), 0.85, 1.15);
            Assert.Same(data, RandomSketch.Project(new DenseVectorSet(data), 300, 3, 2)); // already narrow enough
        }

        [Fact]
        public void AQuerysSketchSumsItsNonZeroValuesToTheTrainingSketchWithinRounding()
        {
            // Rows with many zeros (as MNIST's blank pixels): summed column by column over the non-zero values only,
            // the query's sketch is the training rows' sketch to float's rounding, and a sparse copy of the row gets
            // exactly the dense one's.
            var data = TestMatrices.Gaussian(50, 300, seed: 36);
            for (int i = 0; i < data.Values.Length; i++)
            {
                if (i % 3 != 0)
                    data.Values[i] = 0f;
            }
            var dense = new DenseVectorSet(data);
            var sketch = RandomSketch.For(dense, 64, 5)!;
            var projected = sketch.Project(dense, 2);
            var query = new float[64];
            var sparseQuery = new float[64];
            for (int i = 0; i < 50; i++)
            {
                var row = data.ReadOnlyRow(i).ToArray();
                sketch.ProjectQuery(VectorView.Dense(row), query);
                var expected = projected.ReadOnlyRow(i);
                double scale = Math.Sqrt(DistanceKernels.SquaredEuclidean(row, new float[300]));
                for (int j = 0; j < 64; j++)
                    Assert.Equal(expected[j], query[j], 1e-5 * scale);

                var nonZero = Enumerable.Range(0, 300).Where(c => row[c] != 0f).ToArray();
                var sparseSketch = RandomSketch.For(new SparseVectorSet(new[] { 0, nonZero.Length }, nonZero, nonZero.Select(c => row[c]).ToArray(), 300), 64, 5)!;
                sparseSketch.ProjectQuery(VectorView.Sparse(nonZero, nonZero.Select(c => row[c]).ToArray(), 300), sparseQuery);
                Assert.Equal(query, sparseQuery);
            }
        }

        [Fact]
        public void AutoSearchIsExactBelow4096Rows()
        {
            var small = TestMatrices.Gaussian(100, 3, seed: 35);
            Assert.IsType<ExactNearestNeighbors<EuclideanDistance>>(NeighborSearchFactory.Create(new DenseVectorSet(small), new UmapParameters()));
            Assert.IsType<NNDescent<EuclideanDistance>>(NeighborSearchFactory.Create(new DenseVectorSet(small), new UmapParameters { NeighborSearch = UmapNeighborSearch.Approximate }));
            var large = new RowMatrix(new float[5000 * 2], 5000, 2);
            Assert.IsType<NNDescent<EuclideanDistance>>(NeighborSearchFactory.Create(new DenseVectorSet(large), new UmapParameters()));
            Assert.IsType<ExactNearestNeighbors<EuclideanDistance>>(NeighborSearchFactory.Create(new DenseVectorSet(large), new UmapParameters { NeighborSearch = UmapNeighborSearch.Exact }));
        }
    }
}
