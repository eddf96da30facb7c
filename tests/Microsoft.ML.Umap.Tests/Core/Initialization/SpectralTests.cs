using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Initialization;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Initialization
{
    public class SpectralTests
    {
        private static CsrMatrix KnnGraphOf(RowMatrix data, int k = 10) =>
            FuzzySimplicialSet.Build(new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 2).ComputeGraph(k, new FitMonitor()), 1.0, 1.0, 2).Graph;

        private static double[,] DenseLaplacian(CsrMatrix w)
        {
            int n = w.Rows;
            var degree = new double[n];
            for (int i = 0; i < n; i++)
                foreach (float v in w.RowValues(i))
                    degree[i] += v;
            var l = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                l[i, i] = 1;
                var cols = w.RowColumns(i);
                var vals = w.RowValues(i);
                for (int p = 0; p < cols.Length; p++)
                    l[i, cols[p]] -= vals[p] / Math.Sqrt(degree[i] * degree[cols[p]]);
            }
            return l;
        }

        [Fact]
        public void LanczosFindsTheSmallestNonTrivialLaplacianEigenpairs()
        {
            var graph = KnnGraphOf(TestMatrices.Gaussian(300, 5, seed: 11));
            var op = new NormalizedAdjacencyOperator(graph, 2);
            var trivial = op.SqrtDegree.Select(x => x / Math.Sqrt(op.SqrtDegree.Sum(y => y * y))).ToArray();
            var result = LanczosEigensolver.Largest(op, 3, new[] { trivial }, new LanczosEigensolver.Settings { Tolerance = 1e-8, MaximumBasisSize = 30, Seed = 1, Threads = 2 }, default);
            Assert.True(result.Converged);

            var laplacian = Matrix<double>.Build.DenseOfArray(DenseLaplacian(graph));
            var dense = laplacian.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderBy(x => x).ToArray();
            for (int i = 0; i < 3; i++)
            {
                double lambda = 1 - result.Values[i];
                Assert.Equal(dense[i + 1], lambda, 6);
                // L v = λ v for the returned vector.
                var v = Vector<double>.Build.DenseOfArray(result.Vectors[i]);
                Assert.True((laplacian * v - lambda * v).L2Norm() < 1e-6);
                Assert.Equal(1.0, v.L2Norm(), 9);
            }
        }

        [Fact]
        public void SolverReportsNonConvergence()
        {
            var graph = KnnGraphOf(TestMatrices.Gaussian(400, 5, seed: 12));
            var op = new NormalizedAdjacencyOperator(graph, 1);
            var settings = new LanczosEigensolver.Settings { Tolerance = 1e-30, MaximumBasisSize = 8, MaximumRestarts = 1, Seed = 1 };
            var result = LanczosEigensolver.Largest(op, 2, Array.Empty<double[]>(), settings, default);
            Assert.False(result.Converged);
        }

        [Fact]
        public void FailedSolveWarnsAndFallsBackToRandom()
        {
            var graph = KnnGraphOf(TestMatrices.Gaussian(400, 5, seed: 13));
            var warnings = new List<string>();
            var monitor = new FitMonitor(warning: warnings.Add);
            var settings = new LanczosEigensolver.Settings { Tolerance = 1e-30, MaximumBasisSize = 8, MaximumRestarts = 1 };
            var layout = new SpectralInitializer(2, 1, 1, monitor, settings).Layout(graph, null!, null!);
            Assert.Null(layout);
            Assert.Contains(warnings, w => w.Contains("Falling back to random", StringComparison.Ordinal));
        }

        [Fact]
        public void DisconnectedGraphIsLaidOutPerComponentAroundSeparateCentres()
        {
            // Two far-apart blobs give two components; each must get its own region.
            var (data, labels) = TestMatrices.Blobs(2, 60, 4, separation: 1000, seed: 14);
            var graph = KnnGraphOf(data, 8);
            ConnectedComponents.Label(graph, out int components);
            Assert.Equal(2, components);

            var layout = new SpectralInitializer(2, 1, 2, new FitMonitor()).Layout(graph, new DenseVectorSet(data), Euclidean);
            Assert.NotNull(layout);
            double Mean(int label, int axis) => Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).Average(i => layout[i * 2 + axis]);
            // umap-learn puts two components at (1, 0) and (−1, 0), each within half the distance between them.
            Assert.Equal(1.0, Mean(0, 0), 1);
            Assert.Equal(-1.0, Mean(1, 0), 1);
            for (int i = 0; i < labels.Length; i++)
                Assert.True(labels[i] == 0 ? layout[i * 2] > 0 : layout[i * 2] < 0);
        }

        [Fact]
        public void ManyComponentsArePlacedByASpectralEmbeddingOfTheirCentroids()
        {
            var (data, labels) = TestMatrices.Blobs(6, 20, 3, separation: 500, seed: 15);
            var graph = KnnGraphOf(data, 6);
            ConnectedComponents.Label(graph, out int components);
            Assert.Equal(6, components);
            var layout = new SpectralInitializer(2, 1, 2, new FitMonitor()).Layout(graph, new DenseVectorSet(data), Euclidean);
            Assert.All(layout!, v => Assert.True(double.IsFinite(v)));
            // The blobs lie on a line in input space; their centres must come out in that order on some axis.
            var centres = Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Average(i => layout![i * 2])).ToArray();
            bool increasing = centres.Zip(centres.Skip(1)).All(p => p.Second > p.First);
            bool decreasing = centres.Zip(centres.Skip(1)).All(p => p.Second < p.First);
            Assert.True(increasing || decreasing, string.Join(", ", centres));
        }

        private static double Euclidean(VectorView x, VectorView y)
        {
            double sum = 0;
            for (int i = 0; i < x.Values.Length; i++)
                sum += (x.Values[i] - y.Values[i]) * (double)(x.Values[i] - y.Values[i]);
            return Math.Sqrt(sum);
        }
    }
}
