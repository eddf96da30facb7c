using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tests.Helpers;
using PuppeteerSharp;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Plotting
{
    /// <summary>
    /// The interactive plot opened from a file in headless Chromium, as a user on an air-gapped machine would open
    /// it: the page draws every point, names a point's row, class and text on hover, toggles a class from the
    /// legend and makes no network request; its screenshot is kept and must not be blank.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class BrowserTests
    {
        private static readonly string[] ClassNames = { "alpha", "beta", "gamma" };
        private readonly ITestOutputHelper _output;

        public BrowserTests(ITestOutputHelper output) => _output = output;

        [SkippableTheory]
        [InlineData("svg-2d", 2, 600)]
        [InlineData("webgl-2d", 2, InteractivePlot.WebGLThreshold + 600)]
        [InlineData("webgl-3d", 3, 900)]
        public async Task InteractivePlotDrawsEveryPointOfflineInChromium(string name, int dimensions, int points)
        {
            string browser = Chromium.FindOrSkip();
            var (embedding, classes, text) = Blobs(points, dimensions);
            var plot = EmbeddingPlot.Interactive(embedding, classes, text, $"browser test {name}", threeDimensional: dimensions == 3, width: 700, height: 500);
            string directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "umap-browser-tests")).FullName;
            string page = Path.Combine(directory, $"{name}.html");
            plot.SaveHtml(page);

            await using var chromium = await Chromium.LaunchAsync(browser);
            await using var tab = await chromium.NewPageAsync();
            // A 5 MB page with WebGL in software rendering: on a loaded 2-core machine it can take longer than the 30 s default.
            tab.DefaultTimeout = 120_000;
            tab.DefaultNavigationTimeout = 120_000;
            await tab.SetViewportAsync(new ViewPortOptions { Width = 800, Height = 600 });
            var requests = new ConcurrentQueue<string>();
            tab.Request += (_, e) => requests.Enqueue(e.Request.Url);
            string pageUrl = new Uri(page).AbsoluteUri;
            await tab.GoToAsync(pageUrl, WaitUntilNavigation.Networkidle0);
            await tab.WaitForFunctionAsync("() => { const g = document.querySelector('.js-plotly-plot'); return g && g._fullData && g._fullData.length > 0 && !!g._fullLayout; }");

            // Every point reached the page, in one trace per class.
            int[] traceSizes = await tab.EvaluateExpressionAsync<int[]>("document.querySelector('.js-plotly-plot')._fullData.map(t => t.x.length)");
            Assert.Equal(classes.GroupBy(c => c).Select(g => g.Count()).OrderBy(c => c), traceSizes.OrderBy(c => c));
            var screenshot = await tab.ScreenshotDataAsync();
            string screenshotPath = Path.ChangeExtension(page, ".png");
            await File.WriteAllBytesAsync(screenshotPath, screenshot);
            _output.WriteLine($"{name}: {traceSizes.Sum()} points; screenshot {screenshotPath} ({screenshot.Length:N0} bytes)");
            AssertEveryClassVisible(screenshot, name);
            if (name == "svg-2d")
            {
                // SVG scatters draw one element per point: count what was drawn.
                int drawn = await tab.EvaluateExpressionAsync<int>("document.querySelectorAll('.scatterlayer .trace path.point').length");
                Assert.Equal(points, drawn);
                await CheckHoverAndLegend(tab, classes, text);
            }


            var external = requests.Where(url => url != pageUrl && !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal)).ToArray();
            Assert.True(external.Length == 0, $"The page requested: {string.Join(", ", external)}");
        }

        private static async Task CheckHoverAndLegend(IPage tab, string[] classes, string[] text)
        {
            // The first point of the second class: hover names its row, class and text.
            int row = Array.IndexOf(classes, ClassNames[1]);
            string hover = await tab.EvaluateFunctionAsync<string>(
                "() => { const g = document.querySelector('.js-plotly-plot'); Plotly.Fx.hover(g, [{ curveNumber: 1, pointNumber: 0 }]); return document.querySelector('.hoverlayer').textContent; }");
            Assert.Contains($"row {row}", hover);
            Assert.Contains($"class {ClassNames[1]}", hover);
            Assert.Contains(text[row], hover);

            // Clicking a legend entry hides that class only.
            await tab.ClickAsync(".legend .traces .legendtoggle");
            await tab.WaitForFunctionAsync("() => document.querySelector('.js-plotly-plot')._fullData[0].visible === 'legendonly'");
            string[] visible = await tab.EvaluateExpressionAsync<string[]>("document.querySelector('.js-plotly-plot')._fullData.map(t => String(t.visible))");
            Assert.Equal(new[] { "legendonly", "true", "true" }, visible);
        }

        /// <summary>Not blank: each class's colour, as drawn at the plot's opacity over white, covers a visible patch of its own.</summary>
        private static void AssertEveryClassVisible(byte[] png, string name)
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            var palette = new ScottPlot.Palettes.Category10();
            for (int c = 0; c < ClassNames.Length; c++)
            {
                var color = palette.GetColor(c);
                int pixels = 0;
                for (int y = 0; y < bitmap.Height; y++)
                {
                    for (int x = 0; x < bitmap.Width; x++)
                    {
                        var p = bitmap.GetPixel(x, y);
                        if (Near(p.Red, color.R) && Near(p.Green, color.G) && Near(p.Blue, color.B))
                            pixels++;
                    }
                }
                Assert.True(pixels >= 200, $"{name}: the screenshot shows {pixels} pixels of class {ClassNames[c]}'s colour; the plot looks blank.");
            }

            // Markers are drawn at 0.8 opacity over white; allow for anti-aliasing and for markers overlapping within a class.
            static bool Near(byte drawn, byte classValue) => Math.Abs(drawn - (0.8 * classValue + 0.2 * 255)) <= 25 || Math.Abs(drawn - classValue) <= 10;
        }

        private static (float[][] Embedding, string[] Classes, string[] Text) Blobs(int count, int dimensions)
        {
            var random = new Random(7);
            var embedding = new float[count][];
            var classes = new string[count];
            var text = new string[count];
            for (int i = 0; i < count; i++)
            {
                int c = i % ClassNames.Length;
                // Three separate blobs whatever the dimension: centres on a circle, and at different heights in 3-D.
                double angle = 2 * Math.PI * c / ClassNames.Length;
                var centre = new[] { 8 * Math.Cos(angle), 8 * Math.Sin(angle), 4.0 * c };
                embedding[i] = Enumerable.Range(0, dimensions).Select(d => (float)(centre[d] + random.NextDouble() * 3)).ToArray();
                classes[i] = ClassNames[c];
                text[i] = $"item-{i:D5}";
            }
            return (embedding, classes, text);
        }
    }
}
