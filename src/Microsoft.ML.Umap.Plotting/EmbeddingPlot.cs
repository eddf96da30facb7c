using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ScottPlot;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>
    /// A plot of a 2-D embedding: points coloured by class (with a legend) or by a numeric value (with a colour
    /// bar), optionally over the faint edges of the neighbour graph. Render it to PNG or SVG files or bytes, or
    /// to an HTML image for notebooks (<c>display(HTML(plot.ToHtml()))</c>). <see cref="Plot"/> gives the
    /// underlying ScottPlot plot for further styling.
    /// </summary>
    public sealed class EmbeddingPlot
    {
        /// <summary>Default image width in pixels.</summary>
        public const int DefaultWidth = 800;

        /// <summary>Default image height in pixels.</summary>
        public const int DefaultHeight = 600;

        private readonly ScottPlot.Palettes.Category10 _palette = new();

        private EmbeddingPlot(string? title)
        {
            Plot = new Plot();
            if (!string.IsNullOrEmpty(title))
                Plot.Title(title);
            Plot.XLabel("UMAP 1");
            Plot.YLabel("UMAP 2");
        }

        /// <summary>The ScottPlot plot being drawn, for styling beyond what this class offers.</summary>
        public Plot Plot { get; }

        /// <summary>Points coloured by class, one legend entry per class (classes in ascending order).</summary>
        /// <param name="embedding">One array of at least two coordinates per point (the first two are drawn).</param>
        /// <param name="labels">The class of each point.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(float[][] embedding, int[] labels, string? title = null, float markerSize = 3)
        {
            var plot = new EmbeddingPlot(title);
            plot.AddClasses(embedding, labels, "", markerSize, MarkerShape.FilledCircle);
            plot.Plot.ShowLegend(Alignment.UpperRight);
            return plot;
        }

        /// <summary>Points coloured by a numeric value on a continuous colour map, with a colour bar.</summary>
        /// <param name="embedding">One array of at least two coordinates per point.</param>
        /// <param name="values">The value of each point.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(float[][] embedding, float[] values, string? title = null, float markerSize = 3)
        {
            ArgumentNullException.ThrowIfNull(values);
            Check(embedding, values.Length, nameof(values));
            var plot = new EmbeddingPlot(title);
            var colormap = new ScottPlot.Colormaps.Viridis();
            float min = values.Min(), max = values.Max();
            float range = max > min ? max - min : 1f;
            // Points grouped into colour bins so thousands of points make a few dozen plottables.
            const int Bins = 64;
            for (int bin = 0; bin < Bins; bin++)
            {
                var members = Enumerable.Range(0, values.Length).Where(i => Math.Min(Bins - 1, (int)((values[i] - min) / range * Bins)) == bin).ToArray();
                if (members.Length == 0)
                    continue;
                var points = plot.Plot.Add.ScatterPoints(members.Select(i => (double)embedding[i][0]).ToArray(), members.Select(i => (double)embedding[i][1]).ToArray());
                points.Color = colormap.GetColor((bin + 0.5) / Bins);
                points.MarkerSize = markerSize;
            }
            var bar = plot.Plot.Add.ColorBar(new ColorAxis(colormap, min, max));
            bar.Label = "value";
            plot.Plot.Axes.AutoScale();
            return plot;
        }

        /// <summary>
        /// The training embedding of <paramref name="model"/> over the edges of its nearest-neighbour graph, drawn
        /// faintly: which points the layout was asked to keep together (umap-learn's <c>umap.plot.connectivity</c>).
        /// </summary>
        /// <param name="model">A fitted model with a 2-D (or wider) embedding.</param>
        /// <param name="labels">Optional classes of the training rows, for colour.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="maximumEdges">At most this many edges are drawn (evenly sampled), to keep the image light.</param>
        public static EmbeddingPlot Connectivity(UmapTransformer model, int[]? labels = null, string? title = null, int maximumEdges = 20_000)
        {
            ArgumentNullException.ThrowIfNull(model);
            var embedding = model.GetTrainingEmbedding();
            var neighbors = model.GetNeighborIndices();
            var plot = new EmbeddingPlot(title);
            var edges = new List<(int From, int To)>();
            for (int i = 0; i < neighbors.Length; i++)
            {
                foreach (int j in neighbors[i].Skip(1))
                {
                    if (j > i || (j >= 0 && !neighbors[j].Contains(i)))
                        edges.Add((i, j));
                }
            }
            int step = Math.Max(1, (int)Math.Ceiling(edges.Count / (double)Math.Max(1, maximumEdges)));
            var faint = Colors.Gray.WithAlpha(0.15);
            for (int e = 0; e < edges.Count; e += step)
            {
                var (a, b) = edges[e];
                var line = plot.Plot.Add.Line(embedding[a][0], embedding[a][1], embedding[b][0], embedding[b][1]);
                line.Color = faint;
                line.LineWidth = 0.5f;
            }
            if (labels is null)
            {
                var points = plot.Plot.Add.ScatterPoints(embedding.Select(p => (double)p[0]).ToArray(), embedding.Select(p => (double)p[1]).ToArray());
                points.MarkerSize = 2;
                points.Color = Colors.Black;
            }
            else
            {
                plot.AddClasses(embedding, labels, "", 2, MarkerShape.FilledCircle);
                plot.Plot.ShowLegend(Alignment.UpperRight);
            }
            return plot;
        }

        /// <summary>
        /// Adds more points coloured by class, for example new rows placed by <see cref="UmapTransformer.Transform"/>
        /// over the training map; <paramref name="legendPrefix"/> distinguishes them in the legend.
        /// </summary>
        /// <returns>This plot.</returns>
        public EmbeddingPlot AddPoints(float[][] embedding, int[] labels, string legendPrefix = "new ", float markerSize = 7, bool hollow = true)
        {
            AddClasses(embedding, labels, legendPrefix, markerSize, hollow ? MarkerShape.OpenCircle : MarkerShape.FilledCircle);
            Plot.ShowLegend(Alignment.UpperRight);
            return this;
        }

        /// <summary>The plot as PNG bytes.</summary>
        public byte[] ToPng(int width = DefaultWidth, int height = DefaultHeight) => Plot.GetImageBytes(width, height, ImageFormat.Png);

        /// <summary>The plot as an SVG document.</summary>
        public string ToSvg(int width = DefaultWidth, int height = DefaultHeight) => Plot.GetSvgXml(width, height);

        /// <summary>Writes a PNG file.</summary>
        public void SavePng(string path, int width = DefaultWidth, int height = DefaultHeight) => File.WriteAllBytes(path, ToPng(width, height));

        /// <summary>Writes an SVG file.</summary>
        public void SaveSvg(string path, int width = DefaultWidth, int height = DefaultHeight) => File.WriteAllText(path, ToSvg(width, height));

        /// <summary>An HTML <c>img</c> element holding the PNG inline, for notebooks and reports.</summary>
        public string ToHtml(int width = DefaultWidth, int height = DefaultHeight) =>
            $"<img width=\"{width}\" height=\"{height}\" src=\"data:image/png;base64,{Convert.ToBase64String(ToPng(width, height))}\"/>";

        /// <summary>Several plots side by side in one HTML row (for comparing settings in a notebook).</summary>
        public static string SideBySide(int width, int height, params EmbeddingPlot[] plots)
        {
            var html = new StringBuilder("<table><tr>");
            foreach (var plot in plots)
                html.Append("<td>").Append(plot.ToHtml(width, height)).Append("</td>");
            return html.Append("</tr></table>").ToString();
        }

        /// <summary>The value range and colour map behind a colour bar.</summary>
        private sealed class ColorAxis : IHasColorAxis
        {
            private readonly ScottPlot.Range _range;

            public ColorAxis(IColormap colormap, double min, double max)
            {
                Colormap = colormap;
                _range = new ScottPlot.Range(min, max);
            }

            public IColormap Colormap { get; }

            public ScottPlot.Range GetRange() => _range;
        }

        private void AddClasses(float[][] embedding, int[] labels, string legendPrefix, float markerSize, MarkerShape shape)
        {
            ArgumentNullException.ThrowIfNull(labels);
            Check(embedding, labels.Length, nameof(labels));
            foreach (int label in labels.Distinct().OrderBy(l => l))
            {
                var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
                var points = Plot.Add.ScatterPoints(members.Select(i => (double)embedding[i][0]).ToArray(), members.Select(i => (double)embedding[i][1]).ToArray());
                points.Color = _palette.GetColor(label).WithAlpha(shape == MarkerShape.FilledCircle ? 0.6 : 1.0);
                points.MarkerSize = markerSize;
                points.MarkerShape = shape;
                points.LegendText = legendPrefix + label.ToString(CultureInfo.InvariantCulture);
            }
        }

        private static void Check(float[][] embedding, int? count, string name)
        {
            ArgumentNullException.ThrowIfNull(embedding);
            if (count is null)
                throw new ArgumentNullException(name);
            if (count != embedding.Length)
                throw new ArgumentException($"There are {count} values for {embedding.Length} points.", name);
            for (int i = 0; i < embedding.Length; i++)
            {
                if (embedding[i] is null || embedding[i].Length < 2)
                    throw new ArgumentException($"Point {i} has fewer than two coordinates; only 2-D (or wider) embeddings can be plotted.", nameof(embedding));
            }
        }
    }
}
