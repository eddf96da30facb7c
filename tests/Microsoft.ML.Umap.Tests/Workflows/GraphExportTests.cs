using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Workflows
{
    /// <summary><see cref="UmapTransformer.GetGraph"/>: the fuzzy simplicial set, against umap-learn's golden values.</summary>
    public class GraphExportTests
    {
        private static UmapTransformer FitFirstTwelveDigits(float setOperationMixRatio = 1f)
        {
            var ml = new MLContext(seed: 1);
            var digits = Datasets.Digits().Take(12);
            var data = MlNetData.Load(ml, new RowMatrix(digits.Features, digits.Rows, digits.Columns));
            return ml.Transforms.Umap(new UmapEstimator.Options
            {
                NumberOfNeighbors = 4,
                NeighborSearch = UmapNeighborSearch.Exact,
                SetOperationMixRatio = setOperationMixRatio,
                NumberOfEpochs = 5,
                Seed = 3,
            }).Fit(data);
        }

        [Fact]
        public void TheGraphIsUmapLearnsFuzzySimplicialSet()
        {
            var graph = FitFirstTwelveDigits().GetGraph();
            Assert.Equal(12, graph.RowCount);
            // umap-learn 0.5.3's fuzzy_simplicial_set on the same 12 digits with k = 4 (see Core/Graph/FuzzyGraphGoldenTests).
            AssertRow(graph, 0, new double[] { 0, 0, 0, 0, 0, 0.4711167812347412, 0, 0, 0, 0.7803433537483215, 1.0, 0 });
            AssertRow(graph, 5, new double[] { 0.4711167812347412, 0, 0, 0.9999999403953552, 0, 0, 0, 0, 1.0, 1.0, 0, 0 });
            AssertRow(FitFirstTwelveDigits(0f).GetGraph(), 0, new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.28229326009750366, 1.0, 0 });
        }

        [Fact]
        public void TheGraphIsSymmetricSortedWithoutSelfLoopsAndSurvivesSaveAndLoad()
        {
            var model = FitFirstTwelveDigits();
            var graph = model.GetGraph();
            Assert.Equal(graph.RowCount + 1, graph.RowOffsets.Length);
            Assert.Equal(graph.EdgeCount, graph.RowOffsets[^1]);
            for (int i = 0; i < graph.RowCount; i++)
            {
                var columns = graph.ColumnIndices[graph.RowOffsets[i]..graph.RowOffsets[i + 1]];
                Assert.Equal(columns.OrderBy(c => c), columns);
                Assert.DoesNotContain(i, columns);
                for (int e = graph.RowOffsets[i]; e < graph.RowOffsets[i + 1]; e++)
                {
                    Assert.InRange(graph.Weights[e], float.Epsilon, 1f);
                    Assert.Equal(graph.Weights[e], graph[graph.ColumnIndices[e], i]);
                }
            }

            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(new MLContext(), stream).GetGraph();
            Assert.Equal(graph.RowOffsets, loaded.RowOffsets);
            Assert.Equal(graph.ColumnIndices, loaded.ColumnIndices);
            Assert.Equal(graph.Weights, loaded.Weights);
            Assert.Throws<System.ArgumentOutOfRangeException>(() => graph[12, 0]);
            Assert.Throws<System.ArgumentOutOfRangeException>(() => graph[0, -1]);
        }

        private static void AssertRow(UmapGraph graph, int row, double[] expected)
        {
            for (int j = 0; j < expected.Length; j++)
                Assert.Equal(expected[j], graph[row, j], 4);
        }
    }
}
