using System;
using System.Linq;
using CsCheck;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tests.Plotting;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// The plots on any input (ragged, null or non-finite points, class names that are numbers, text, HTML, empty or
    /// missing, counts that do not match): an interactive plot draws every point exactly once in the trace of its
    /// class, and a static plot draws too, or both refuse with an argument exception.
    /// </summary>
    public class PlotProperties
    {
        private static readonly string?[] NamePool = { "0", "1", "10", "2.5", "cat", "<b>&amp;\"'", "", null, "ünïcødé", "%{x}" };

        private readonly ITestOutputHelper _output;

        public PlotProperties(ITestOutputHelper output) => _output = output;

        private static readonly Gen<(MetricsProperties.Matrix Points, int NameCount, int Classes, bool WithText, bool ThreeD, int Seed)> Cases =
            Gen.Select(
                Gen.Select(Gen.Int[0, 60], Gen.Int[0, 4], Gen.Frequency((5, Gen.Const(0)), (1, Gen.Int[1, 6])), Gen.Int[0, 100_000])
                    .Select((rows, columns, spoil, seed) => new MetricsProperties.Matrix(rows, columns, spoil, seed)),
                Gen.Int[-1, 2], Gen.Int[1, NamePool.Length], Gen.Bool, Gen.Bool, Gen.Int[0, 1000]);

        [Fact]
        public void EveryPointIsDrawnOnceInItsClassOrTheInputIsRefused() =>
            PropertyRunner.Run(Cases, c =>
            {
                var embedding = c.Points.Build();
                var random = new Random(c.Seed);
                // NameCount: -1 no classes, 0 one per point, 1 one too many.
                string?[]? classes = c.NameCount < 0 ? null : Enumerable.Range(0, embedding.Length + c.NameCount).Select(_ => NamePool[random.Next(c.Classes)]).ToArray();
                string?[]? text = c.WithText ? embedding.Select((_, i) => i % 3 == 0 ? null : $"<i>{i}</i>").ToArray() : null;

                InteractivePlot? plot = null;
                var refused = PropertyRunner.ContractOnly(() => plot = EmbeddingPlot.Interactive(embedding, classes, text, threeDimensional: c.ThreeD));
                var staticRefused = PropertyRunner.ContractOnly(() => EmbeddingPlot.Scatter(embedding, classes).ToPng(60, 40));
                if (refused != null)
                {
                    if (!c.ThreeD)
                        Assert.NotNull(staticRefused);
                    return "refused";
                }
                Assert.NotNull(plot);
                var traces = InteractivePlotTests.Traces(plot);
                Assert.Equal(Enumerable.Range(0, embedding.Length), traces.SelectMany(t => t.Rows).OrderBy(i => i));
                if (classes != null)
                {
                    foreach (var (name, _, rows) in traces)
                        Assert.All(rows, i => Assert.Equal(name, string.IsNullOrEmpty(classes[i]) ? "unlabelled" : classes[i]));
                }
                if (!c.ThreeD)
                    Assert.Null(staticRefused);
                Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(plot.ToJson()));
                return c.ThreeD ? "drawn in 3-D" : "drawn";
            }, ciCases: 60, _output);
    }
}
