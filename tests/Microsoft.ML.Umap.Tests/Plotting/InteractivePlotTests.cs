using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Plotting;
using System.Text.Json.Nodes;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Plotting
{
    public class InteractivePlotTests
    {
        private static readonly float[][] Square = { new[] { 0f, 0f, 1f }, new[] { 1f, 0f, 2f }, new[] { 0f, 1f, 3f }, new[] { 1f, 1f, 4f } };

        /// <summary>Each trace's name and the row indices it carries (its customdata's first entries).</summary>
        internal static List<(string Name, string Type, int[] Rows)> Traces(InteractivePlot plot) =>
            JsonNode.Parse(plot.ToJson())!["data"]!.AsArray().Select(t => (
                (string)t!["name"]!,
                (string)t["type"]!,
                t["customdata"]!.AsArray().Select(d => (int)d![0]!).ToArray())).ToList();

        private static JsonNode Layout(InteractivePlot plot) => JsonNode.Parse(plot.ToJson())!["layout"]!;

        [Fact]
        public void OneTracePerClassInDisplayOrderWithEveryRowOnce()
        {
            var classes = new[] { "10", "9", null, "9" };
            var plot = EmbeddingPlot.Interactive(Square, classes, text: new[] { "a", "b", "c", "d" });
            var traces = Traces(plot);
            // Numeric names sort by value ("9" before "10"); unlabelled rows come last, in grey.
            Assert.Equal(new[] { "9", "10", "unlabelled" }, traces.Select(t => t.Name));
            Assert.Equal(new[] { new[] { 1, 3 }, new[] { 0 }, new[] { 2 } }, traces.Select(t => t.Rows));
            Assert.All(traces, t => Assert.Equal("scatter", t.Type));
            Assert.Equal(4, plot.PointCount);
        }

        [Fact]
        public void PageIsSelfContainedAndHoverNamesRowClassAndText()
        {
            var plot = EmbeddingPlot.Interactive(Square, new[] { 0, 1, 0, 1 }, new[] { "first", "second", "</script><b>third</b>", "fourth" }, "A <title>");
            string html = plot.ToHtml();
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<title>A &lt;title&gt;</title>", html);
            // plotly.js is inlined: no script is loaded from anywhere, and no text can close a script early.
            Assert.DoesNotMatch(new Regex("<script[^>]+src=", RegexOptions.IgnoreCase), html);
            Assert.Contains("plotly.js v3.7.0", html);
            Assert.Contains("Plotly.newPlot('umap-plot'", html);
            Assert.Equal(2, Regex.Matches(html, "</script>").Count);

            var figure = JsonNode.Parse(plot.ToJson())!;
            var trace = figure["data"]![0]!;
            Assert.Equal("row %{customdata[0]}<br>class %{fullData.name}<br>%{customdata[1]}<extra></extra>", (string)trace["hovertemplate"]!);
            Assert.Equal("</script><b>third</b>", (string)trace["customdata"]![1]![1]!);
            Assert.Equal("constant", (string)figure["layout"]!["legend"]!["itemsizing"]!);
            Assert.Equal("x", (string)figure["layout"]!["yaxis"]!["scaleanchor"]!);
            Assert.Equal("A <title>", (string)figure["layout"]!["title"]!["text"]!);
        }

        [Fact]
        public void LargePlotsDrawWithWebGLAndThreeDimensionsAsAScene()
        {
            var many = Enumerable.Range(0, InteractivePlot.WebGLThreshold + 1).Select(i => new[] { i % 100f, i / 100f, 0f }).ToArray();
            Assert.All(Traces(EmbeddingPlot.Interactive(many)), t => Assert.Equal("scattergl", t.Type));
            var scene = EmbeddingPlot.Interactive(Square, new[] { 0, 0, 1, 1 }, threeDimensional: true);
            Assert.True(scene.ThreeDimensional);
            Assert.All(Traces(scene), t => Assert.Equal("scatter3d", t.Type));
            Assert.Equal(4, JsonNode.Parse(scene.ToJson())!["data"]!.AsArray().Sum(t => t!["z"]!.AsArray().Count));
            Assert.NotNull(Layout(scene)["scene"]);
        }

        [Fact]
        public void WithoutClassesThereIsNoLegend()
        {
            var plot = EmbeddingPlot.Interactive(Square);
            Assert.Equal(new[] { 0, 1, 2, 3 }, Traces(plot).Single().Rows);
            Assert.False((bool)Layout(plot)["showlegend"]!);
            Assert.DoesNotContain("class %{fullData.name}", plot.ToJson());
        }

        [Fact]
        public void BadInputIsRefusedWithTheReason()
        {
            var nan = new[] { new[] { 0f, 0f }, new[] { float.NaN, 1f } };
            Assert.Contains("Point 1, coordinate 0, is NaN", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(nan)).Message);
            Assert.Contains("3 classes values for 4 points", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(Square, new[] { "a", "b", "c" })).Message);
            Assert.Contains("2 text values for 4 points", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(Square, text: new[] { "a", "b" })).Message);
            var flat = Square.Select(p => p.Take(2).ToArray()).ToArray();
            Assert.Contains("a 3-D plot needs at least 3", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(flat, threeDimensional: true)).Message);
            Assert.Contains("Point 2 has 0 coordinates", Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(new[] { new[] { 0f, 0f }, new[] { 1f, 1f }, null! })).Message);
            Assert.Throws<ArgumentNullException>(() => EmbeddingPlot.Interactive((float[][])null!));
            Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingPlot.Interactive(Square, width: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingPlot.Interactive(Square, markerSize: -1));
            Assert.Throws<ArgumentException>(() => EmbeddingPlot.Interactive(Square).SaveHtml(""));
        }

        [Fact]
        public void SaveHtmlWritesThePage()
        {
            var plot = EmbeddingPlot.Interactive(Square, new[] { 0, 1, 0, 1 });
            string path = Path.Combine(Path.GetTempPath(), $"umap-interactive-{Guid.NewGuid():N}.html");
            try
            {
                plot.SaveHtml(path);
                Assert.Equal(plot.ToHtml(), File.ReadAllText(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void NotebookHtmlIsTheEncodedPageInAnIframe()
        {
            string html = EmbeddingPlot.Interactive(Square, new[] { 0, 1, 0, 1 }, title: "a \"quoted\" title").ToNotebookHtml();
            Assert.StartsWith("<iframe ", html);
            var srcdoc = Regex.Match(html, "srcdoc=\"([^\"]*)\"").Groups[1].Value;
            Assert.StartsWith("&lt;!DOCTYPE html&gt;", srcdoc);
            Assert.Contains("Plotly.newPlot", System.Net.WebUtility.HtmlDecode(srcdoc));
        }

        [Fact]
        public void DataViewColumnsGiveEmbeddingClassesAndText()
        {
            var ml = new MLContext(seed: 1);
            var rows = new[]
            {
                new Row { Embedding = new[] { 0f, 0f }, Animal = "cat", Score = 1.5f, Caption = "one" },
                new Row { Embedding = new[] { 1f, 0f }, Animal = "dog", Score = float.NaN, Caption = "two" },
                new Row { Embedding = new[] { 0f, 1f }, Animal = "cat", Score = 2f, Caption = "three" },
            };
            var data = ml.Data.LoadFromEnumerable(rows);
            var keyed = ml.Transforms.Conversion.MapValueToKey("AnimalKey", nameof(Row.Animal)).Fit(data).Transform(data);

            var byKey = Traces(EmbeddingPlot.Interactive(keyed, nameof(Row.Embedding), "AnimalKey", nameof(Row.Caption)));
            Assert.Equal(new[] { "cat", "dog" }, byKey.Select(t => t.Name));
            Assert.Equal(new[] { new[] { 0, 2 }, new[] { 1 } }, byKey.Select(t => t.Rows));
            // A float label: NaN is unlabelled.
            Assert.Equal(new[] { "1.5", "2", "unlabelled" }, Traces(EmbeddingPlot.Interactive(data, nameof(Row.Embedding), nameof(Row.Score))).Select(t => t.Name));

            var missing = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingPlot.Interactive(data, "Coordinates"));
            Assert.Contains("The embedding column 'Coordinates' is not in the data", missing.Message);
            Assert.Contains("Embedding, Animal", missing.Message);
            Assert.Contains("Embedding column 'Caption' is String", Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingPlot.Interactive(data, nameof(Row.Caption))).Message);
            Assert.Contains("The label column 'Nope'", Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingPlot.Scatter(data, nameof(Row.Embedding), "Nope")).Message);
        }

        [Fact]
        public void NumericKeyValuesNameTheirClasses()
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 6).Select(i => new NumberRow { Embedding = new[] { i, 0f }, Digit = 7 - i % 2 }));
            var keyed = ml.Transforms.Conversion.MapValueToKey("Key", nameof(NumberRow.Digit)).Fit(data).Transform(data);
            Assert.Equal(new[] { "6", "7" }, Traces(EmbeddingPlot.Interactive(keyed, nameof(NumberRow.Embedding), "Key")).Select(t => t.Name));
        }

        private sealed class Row
        {
            [VectorType(2)] public float[] Embedding { get; set; } = Array.Empty<float>();
            public string Animal { get; set; } = "";
            public float Score { get; set; }
            public string Caption { get; set; } = "";
        }

        private sealed class NumberRow
        {
            [VectorType(2)] public float[] Embedding { get; set; } = Array.Empty<float>();
            public int Digit { get; set; }
        }
    }
}
