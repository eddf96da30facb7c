using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Plotting
{
    public class NotebookDisplayTests
    {
        [Fact]
        public void AFittedModelShowsItsSettingsStageTimesAndAThumbnail()
        {
            var ml = new MLContext(seed: 1);
            var (data, labels) = TestMatrices.Blobs(3, 30, 5, 8, seed: 5);
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 20, NumberOfNeighbors = 7 }).Fit(MlNetData.Load(ml, data, labels));
            string html = NotebookDisplay.ToHtml(model);
            Assert.Contains("<b>UMAP model</b>", html);
            Assert.Contains("<td style=\"text-align:left\">NumberOfNeighbors</td><td style=\"text-align:right\">7</td>", html);
            Assert.Contains("<td style=\"text-align:left\">Training rows</td><td style=\"text-align:right\">90</td>", html);
            foreach (UmapStage stage in Enum.GetValues<UmapStage>())
                Assert.Contains($">{stage} time<", html);
            Assert.Contains("Features → Embedding", System.Net.WebUtility.HtmlDecode(html));
            Assert.Contains("<img width=\"260\" height=\"200\" src=\"data:image/png;base64,", html);
        }

        [Fact]
        public void AnEmbeddingShowsItsSizeAndAThumbnailWhenItCanBeDrawn()
        {
            var points = new[] { new[] { 0f, 1f }, new[] { 2f, 3f }, new[] { 1f, 1f } };
            string html = NotebookDisplay.ToHtml(points);
            Assert.Contains("3 points × 2 coordinates", html);
            Assert.Contains("data:image/png;base64,", html);
            // One coordinate, ragged rows or non-finite values: the size only, never an exception.
            Assert.DoesNotContain("<img", NotebookDisplay.ToHtml(new[] { new[] { 1f }, new[] { 2f } }));
            Assert.DoesNotContain("<img", NotebookDisplay.ToHtml(new[] { new[] { 1f, 2f }, new[] { 2f } }));
            Assert.DoesNotContain("<img", NotebookDisplay.ToHtml(new[] { new[] { 1f, float.NaN } }));
            Assert.Contains("0 points × 0 coordinates", NotebookDisplay.ToHtml(Array.Empty<float[]>()));
        }

        [Fact]
        public void RegisterHandsEveryDisplayableTypeToTheNotebook()
        {
            var registered = new Dictionary<Type, Func<object, string>>();
            NotebookDisplay.Register((type, html) => registered.Add(type, html));
            Assert.Equal(new[] { typeof(UmapTransformer), typeof(float[][]), typeof(EmbeddingPlot), typeof(InteractivePlot) }, registered.Keys);
            var points = new[] { new[] { 0f, 1f }, new[] { 2f, 3f } };
            Assert.StartsWith("<img ", registered[typeof(EmbeddingPlot)](EmbeddingPlot.Scatter(points, new[] { 0, 1 })));
            Assert.StartsWith("<iframe ", registered[typeof(InteractivePlot)](EmbeddingPlot.Interactive(points)));
            Assert.Contains("2 points × 2 coordinates", registered[typeof(float[][])](points));
        }

        [Fact]
        public void NullsAreRefused()
        {
            Assert.Throws<ArgumentNullException>(() => NotebookDisplay.Register(null!));
            Assert.Throws<ArgumentNullException>(() => NotebookDisplay.ToHtml((UmapTransformer)null!));
            Assert.Throws<ArgumentNullException>(() => NotebookDisplay.ToHtml((float[][])null!));
        }

        [Fact]
        public void TheExtensionScriptRegistersThroughNotebookDisplay()
        {
            // The package's notebook extension is a script: it must call the method these tests cover.
            string script = System.IO.File.ReadAllText(System.IO.Path.Combine(Documentation.DocumentationSnippets.RepositoryRoot(), "src/Microsoft.ML.Umap.Plotting/interactive-extensions/dotnet/extension.dib"));
            Assert.Contains("#!csharp", script);
            Assert.Contains("Microsoft.ML.Umap.Plotting.NotebookDisplay.Register(", script);
            Assert.Contains("Formatter.Register(type,", script);
        }
    }
}
