using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Graph
{
    /// <summary>
    /// The graph stages against umap-learn 0.5.3 on the first 12 digits with k = 4 (values recorded with its
    /// <c>smooth_knn_dist</c> and <c>fuzzy_simplicial_set</c>; see Fixtures/README.md).
    /// </summary>
    public class FuzzyGraphGoldenTests
    {
        private static readonly int[][] ReferenceIndices =
        {
            new[] { 0, 10, 9, 5 }, new[] { 1, 11, 6, 2 }, new[] { 2, 1, 11, 8 }, new[] { 3, 5, 8, 9 },
            new[] { 4, 6, 10, 11 }, new[] { 5, 9, 3, 8 }, new[] { 6, 4, 10, 1 }, new[] { 7, 2, 1, 11 },
            new[] { 8, 5, 3, 2 }, new[] { 9, 5, 0, 8 }, new[] { 10, 0, 6, 4 }, new[] { 11, 1, 2, 4 },
        };

        private static readonly double[] ReferenceSigmas =
        {
            26.841796875, 8.37158203125, 1.31781005859375, 14.54931640625, 10.571533203125, 7.742919921875,
            4.36181640625, 3.331787109375, 2.34124755859375, 15.462646484375, 26.1220703125, 11.98193359375,
        };

        private static readonly double[] ReferenceRhos =
        {
            23.706539154052734, 35.12833786010742, 41.62931823730469, 33.660064697265625, 36.95943832397461, 31.09662437438965,
            36.95943832397461, 49.33558654785156, 40.902320861816406, 31.09662437438965, 23.706539154052734, 35.12833786010742,
        };

        private static readonly double[] ReferenceSigmasLocalConnectivity15 =
        {
            14.453125, 4.6192626953125, 0.69866943359375, 8.13720703125, 5.408935546875, 5.452880859375,
            2.373779296875, 2.0855712890625, 1.22320556640625, 8.41748046875, 14.478515625, 6.6278076171875,
        };

        private static KnnGraph Knn()
        {
            var digits = Datasets.Digits().Take(12);
            var data = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            return new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, 1).ComputeGraph(4, new FitMonitor());
        }

        [Fact]
        public void NeighboursMatchTheReference()
        {
            var knn = Knn();
            for (int i = 0; i < 12; i++)
                Assert.Equal(ReferenceIndices[i], knn.RowIndices(i).ToArray());
        }

        [Fact]
        public void SigmaAndRhoMatchTheReference()
        {
            var (sigmas, rhos) = SmoothKnnDistances.Compute(Knn(), 1.0, threads: 1);
            for (int i = 0; i < 12; i++)
            {
                Assert.Equal(ReferenceRhos[i], rhos[i], 3);
                Assert.Equal(ReferenceSigmas[i], sigmas[i], ReferenceSigmas[i] * 1e-3);
            }

            var (sigmas15, _) = SmoothKnnDistances.Compute(Knn(), 1.5, threads: 1);
            for (int i = 0; i < 12; i++)
                Assert.Equal(ReferenceSigmasLocalConnectivity15[i], sigmas15[i], ReferenceSigmasLocalConnectivity15[i] * 1e-3);
        }

        [Fact]
        public void FuzzyUnionAndIntersectionMatchTheReference()
        {
            var union = FuzzySimplicialSet.Build(Knn(), 1.0, 1.0, threads: 1).Graph;
            AssertRow(union, 0, new double[] { 0, 0, 0, 0, 0, 0.4711167812347412, 0, 0, 0, 0.7803433537483215, 1.0, 0 });
            AssertRow(union, 5, new double[] { 0.4711167812347412, 0, 0, 0.9999999403953552, 0, 0, 0, 0, 1.0, 1.0, 0, 0 });

            var intersection = FuzzySimplicialSet.Build(Knn(), 1.0, 0.0, threads: 1).Graph;
            AssertRow(intersection, 0, new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.28229326009750366, 1.0, 0 });
        }

        private static void AssertRow(CsrMatrix graph, int row, double[] expected)
        {
            for (int j = 0; j < expected.Length; j++)
                Assert.Equal(expected[j], graph[row, j], 4);
        }
    }
}
