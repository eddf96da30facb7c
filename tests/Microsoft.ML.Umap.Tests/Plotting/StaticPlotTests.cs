using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Plotting
{
    public class StaticPlotTests
    {
        private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        private static (UmapTransformer Model, float[][] Embedding, int[] Labels) Fitted()
        {
            var ml = new MLContext(seed: 1);
            var (data, labels) = TestMatrices.Blobs(3, 40, 5, 8, seed: 51);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 30 }).Fit(MlNetData.Load(ml, data, labels));
            return (model, model.GetTrainingEmbedding(), labels);
        }

        [Fact]
        public void ScatterByClassRendersPngSvgAndHtml()
        {
            var (_, embedding, labels) = Fitted();
            var plot = EmbeddingPlot.Scatter(embedding, labels, "blobs");
            var png = plot.ToPng(400, 300);
            Assert.Equal(PngSignature, png.Take(8));
            Assert.Contains("<svg", plot.ToSvg(400, 300));
            Assert.StartsWith("<img width=\"400\" height=\"300\" src=\"data:image/png;base64,", plot.ToHtml(400, 300));
            // The legend lists the classes with swatches of a readable size, outside the data area.
            Assert.Equal(new[] { "0", "1", "2" }, plot.Plot.Legend.ManualItems.Select(i => i.LabelText).ToArray());
            Assert.All(plot.Plot.Legend.ManualItems, i => Assert.True(i.MarkerSize >= 10));
            Assert.Contains(plot.Plot.Axes.GetPanels(), panel => panel.GetType().Name == "LegendPanel");

            string path = Path.Combine(Path.GetTempPath(), $"umap-plot-{Guid.NewGuid():N}.png");
            try
            {
                plot.SavePng(path, 200, 150);
                Assert.Equal(PngSignature, File.ReadAllBytes(path).Take(8));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void ScatterByValueConnectivityAndOverlayRender()
        {
            var (model, embedding, labels) = Fitted();
            var values = embedding.Select(p => p[0] + p[1]).ToArray();
            Assert.Equal(PngSignature, EmbeddingPlot.Scatter(embedding, values).ToPng(300, 200).Take(8));
            Assert.Equal(PngSignature, EmbeddingPlot.Connectivity(model, labels).ToPng(300, 200).Take(8));
            Assert.Equal(PngSignature, EmbeddingPlot.Connectivity(model).AddPoints(embedding.Take(5).ToArray(), labels.Take(5).ToArray()).ToPng(300, 200).Take(8));
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(EmbeddingPlot.SideBySide(100, 100, EmbeddingPlot.Scatter(embedding, labels), EmbeddingPlot.Scatter(embedding, labels)), "<img").Count);
        }

        [Fact]
        public void OverlaidNewRowsStayBehindTheTrainingPoints()
        {
            var (_, embedding, labels) = Fitted();
            var plot = EmbeddingPlot.Scatter(embedding, labels);
            var training = plot.Plot.GetPlottables().ToArray();
            plot.AddPoints(embedding.Where((_, i) => i % 7 == 0).ToArray(), labels.Where((_, i) => i % 7 == 0).ToArray());
            var order = plot.Plot.GetPlottables().ToList();
            // Drawn in list order: every training scatter comes after (on top of) every added one.
            int firstTraining = training.Min(p => order.IndexOf(p));
            Assert.All(order.Except(training), added => Assert.True(order.IndexOf(added) < firstTraining));
            Assert.Equal(new[] { "0", "1", "2", "new 0", "new 1", "new 2" }, plot.Plot.Legend.ManualItems.Select(i => i.LabelText).ToArray());
            // One legend beside the data, however many sets of points were added.
            Assert.Single(plot.Plot.Axes.GetPanels(), panel => panel.GetType().Name == "LegendPanel");
        }

        [Fact]
        public void ClassNamesAndDataViewColumnsAreAccepted()
        {
            var (model, embedding, labels) = Fitted();
            var names = labels.Select(l => l == 2 ? null : $"group {(char)('A' + l)}").ToArray();
            var plot = EmbeddingPlot.Scatter(embedding, names);
            Assert.Equal(new[] { "group A", "group B", "unlabelled" }, plot.Plot.Legend.ManualItems.Select(i => i.LabelText).ToArray());

            var ml = new MLContext(seed: 1);
            var (data, _) = TestMatrices.Blobs(3, 40, 5, 8, seed: 51);
            var embedded = model.Transform(MlNetData.Load(ml, data, labels));
            var fromColumns = EmbeddingPlot.Scatter(embedded, model.OutputColumnName, "Label");
            Assert.Equal(new[] { "0", "1", "2" }, fromColumns.Plot.Legend.ManualItems.Select(i => i.LabelText).ToArray());
            Assert.Equal(PngSignature, fromColumns.ToPng(300, 200).Take(8));
            // Without a label column: one colour, no legend.
            Assert.Empty(EmbeddingPlot.Scatter(embedded, model.OutputColumnName).Plot.Legend.ManualItems);
        }

        [Fact]
        public void MismatchedInputsAreRejected()
        {
            var (_, embedding, labels) = Fitted();
            Assert.Throws<ArgumentException>(() => EmbeddingPlot.Scatter(embedding, labels.Skip(1).ToArray()));
            Assert.Throws<ArgumentException>(() => EmbeddingPlot.Scatter(embedding.Select(p => new[] { p[0] }).ToArray(), labels));
            Assert.Throws<ArgumentException>(() => EmbeddingPlot.Scatter(embedding, labels).AddPoints(embedding, labels.Skip(1).ToArray()));
            var infinite = embedding.Select(p => p.ToArray()).ToArray();
            infinite[3][1] = float.PositiveInfinity;
            Assert.Contains("Point 3, coordinate 1", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Scatter(infinite, labels)).Message);
        }

        [Fact]
        public void NeighborIndicesListEachTrainingRowFirst()
        {
            var (model, _, _) = Fitted();
            var neighbors = model.GetNeighborIndices();
            Assert.Equal(model.TrainingRowCount, neighbors.Length);
            for (int i = 0; i < neighbors.Length; i++)
            {
                Assert.Equal(i, neighbors[i][0]);
                Assert.Equal(model.Parameters.NumberOfNeighbors, neighbors[i].Length);
            }
        }
    }
}
