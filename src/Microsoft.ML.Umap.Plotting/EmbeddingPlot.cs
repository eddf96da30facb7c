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

        /// <summary>Side of the legend's colour swatches in pixels, whatever the marker size (a 2-pixel swatch cannot be read).</summary>
        private const float LegendSwatchSize = 10;

        /// <summary>The training points, kept in front of points added later so overlaid new rows never bury them.</summary>
        private readonly List<IPlottable> _training = new();

        private bool _legendShown;

        private EmbeddingPlot(string? title)
        {
            Plot = new Plot();
            if (!string.IsNullOrEmpty(title))
                Plot.Title(title);
            Plot.XLabel("UMAP 1");
            Plot.YLabel("UMAP 2");
            // UMAP coordinates have no unit worth reading to many digits: a few round ticks per axis suffice.
            Plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TargetTickCount = 5 };
            Plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TargetTickCount = 5 };
        }

        /// <summary>The ScottPlot plot being drawn, for styling beyond what this class offers.</summary>
        public Plot Plot { get; }

        /// <summary>Points coloured by class, one legend entry per class (classes in ascending order).</summary>
        /// <param name="embedding">One array of at least two coordinates per point (the first two are drawn).</param>
        /// <param name="labels">The class of each point.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(float[][] embedding, int[] labels, string? title = null, float markerSize = 3) =>
            Scatter(embedding, PlotPoints.Names(labels), title, markerSize);

        /// <summary>
        /// Points coloured by class name, one legend entry per class: names that are all numbers in numeric order,
        /// others in ordinal order; null or empty names are drawn grey as "unlabelled".
        /// </summary>
        /// <param name="embedding">One array of at least two coordinates per point (the first two are drawn).</param>
        /// <param name="classes">The class name of each point, or null to draw every point in one colour without a legend.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(float[][] embedding, string?[]? classes, string? title = null, float markerSize = 3)
        {
            var plot = new EmbeddingPlot(title);
            plot._training.AddRange(plot.AddClasses(PlotPoints.Create(embedding, classes, null, 2), "", markerSize, MarkerShape.FilledCircle));
            return plot;
        }

        /// <summary>
        /// Points of an embedding column, coloured by a label column when one is named: a key column shows its key
        /// values (as <c>MapValueToKey</c> made them), numbers and text show as they are, missing values are unlabelled.
        /// </summary>
        /// <param name="data">Data holding the embedding column, such as the output of a fitted UMAP transformer.</param>
        /// <param name="embeddingColumnName">The embedding column (a vector of Single with at least two values).</param>
        /// <param name="labelColumnName">Optional class column (key, text, Boolean or numeric scalar).</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(IDataView data, string embeddingColumnName, string? labelColumnName = null, string? title = null, float markerSize = 3)
        {
            var embedding = PlotColumns.ReadEmbedding(data, embeddingColumnName);
            var plot = new EmbeddingPlot(title);
            var classes = labelColumnName is null ? null : PlotColumns.ReadText(data, labelColumnName, "label");
            plot._training.AddRange(plot.AddClasses(PlotPoints.Create(embedding, classes, null, 2), "", markerSize, MarkerShape.FilledCircle));
            return plot;
        }

        /// <summary>
        /// An interactive plot (zoom, pan, per-class legend toggling, hover with row index, class and text) that
        /// saves as one self-contained HTML page; see <see cref="InteractivePlot"/>.
        /// </summary>
        /// <param name="embedding">One array of coordinates per point: at least two, or three for a 3-D plot.</param>
        /// <param name="classes">Optional class name of each point (null or empty: unlabelled).</param>
        /// <param name="text">Optional text per point, shown on hover (a file name, a caption).</param>
        /// <param name="title">Optional title.</param>
        /// <param name="threeDimensional">Draw the first three coordinates in a rotatable 3-D scene.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        /// <param name="width">Width of the plot in pixels.</param>
        /// <param name="height">Height of the plot in pixels.</param>
        public static InteractivePlot Interactive(float[][] embedding, string?[]? classes = null, string?[]? text = null, string? title = null,
            bool threeDimensional = false, int markerSize = 4, int width = DefaultWidth, int height = DefaultHeight) =>
            new(PlotPoints.Create(embedding, classes, text, threeDimensional ? 3 : 2), title, threeDimensional, markerSize, width, height);

        /// <summary>An interactive plot of points coloured by integer class; see <see cref="Interactive(float[][], string[], string[], string, bool, int, int, int)"/>.</summary>
        /// <param name="embedding">One array of coordinates per point: at least two, or three for a 3-D plot.</param>
        /// <param name="labels">The class of each point.</param>
        /// <param name="text">Optional text per point, shown on hover.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="threeDimensional">Draw the first three coordinates in a rotatable 3-D scene.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        /// <param name="width">Width of the plot in pixels.</param>
        /// <param name="height">Height of the plot in pixels.</param>
        public static InteractivePlot Interactive(float[][] embedding, int[] labels, string?[]? text = null, string? title = null,
            bool threeDimensional = false, int markerSize = 4, int width = DefaultWidth, int height = DefaultHeight) =>
            Interactive(embedding, PlotPoints.Names(labels), text, title, threeDimensional, markerSize, width, height);

        /// <summary>An interactive plot of an embedding column, coloured by a label column and with hover text from a text column when named.</summary>
        /// <param name="data">Data holding the embedding column, such as the output of a fitted UMAP transformer.</param>
        /// <param name="embeddingColumnName">The embedding column (a vector of Single).</param>
        /// <param name="labelColumnName">Optional class column (key, text, Boolean or numeric scalar).</param>
        /// <param name="textColumnName">Optional column shown on hover (any scalar).</param>
        /// <param name="title">Optional title.</param>
        /// <param name="threeDimensional">Draw the first three coordinates in a rotatable 3-D scene.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        /// <param name="width">Width of the plot in pixels.</param>
        /// <param name="height">Height of the plot in pixels.</param>
        public static InteractivePlot Interactive(IDataView data, string embeddingColumnName, string? labelColumnName = null, string? textColumnName = null,
            string? title = null, bool threeDimensional = false, int markerSize = 4, int width = DefaultWidth, int height = DefaultHeight)
        {
            var embedding = PlotColumns.ReadEmbedding(data, embeddingColumnName);
            var classes = labelColumnName is null ? null : PlotColumns.ReadText(data, labelColumnName, "label");
            var text = textColumnName is null ? null : PlotColumns.ReadText(data, textColumnName, "text");
            return Interactive(embedding, classes, text, title, threeDimensional, markerSize, width, height);
        }

        /// <summary>Points coloured by a numeric value on a continuous colour map, with a colour bar.</summary>
        /// <param name="embedding">One array of at least two coordinates per point.</param>
        /// <param name="values">The value of each point.</param>
        /// <param name="title">Optional title.</param>
        /// <param name="markerSize">Marker size in pixels.</param>
        public static EmbeddingPlot Scatter(float[][] embedding, float[] values, string? title = null, float markerSize = 3)
        {
            ArgumentNullException.ThrowIfNull(values);
            PlotPoints.Create(embedding, null, null, 2);
            if (values.Length != embedding.Length)
                throw new ArgumentException($"There are {values.Length} values for {embedding.Length} points; give one per point.", nameof(values));
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
                plot._training.AddRange(plot.AddClasses(PlotPoints.Create(embedding, PlotPoints.Names(labels), null, 2), "", 2, MarkerShape.FilledCircle));
            }
            return plot;
        }

        /// <summary>
        /// Adds more points coloured by class, for example new rows placed by <see cref="UmapTransformer.Transform"/>
        /// over the training map, drawn behind the training points so both stay visible; <paramref name="legendPrefix"/>
        /// distinguishes them in the legend.
        /// </summary>
        /// <returns>This plot.</returns>
        public EmbeddingPlot AddPoints(float[][] embedding, int[] labels, string legendPrefix = "new ", float markerSize = 6, bool hollow = true) =>
            AddPoints(embedding, PlotPoints.Names(labels), legendPrefix, markerSize, hollow);

        /// <summary>Adds more points coloured by class name; see <see cref="AddPoints(float[][], int[], string, float, bool)"/>.</summary>
        /// <returns>This plot.</returns>
        public EmbeddingPlot AddPoints(float[][] embedding, string?[] classes, string legendPrefix = "new ", float markerSize = 6, bool hollow = true)
        {
            ArgumentNullException.ThrowIfNull(classes);
            AddClasses(PlotPoints.Create(embedding, classes, null, 2), legendPrefix, markerSize, hollow ? MarkerShape.OpenCircle : MarkerShape.FilledCircle);
            foreach (var plottable in _training)
                Plot.MoveToFront(plottable);
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

        /// <summary>
        /// Several plots side by side in one HTML row (for comparing settings in a notebook), each rendered at
        /// <paramref name="width"/> × <paramref name="height"/> and shrunk with the row when the page is narrower.
        /// </summary>
        public static string SideBySide(int width, int height, params EmbeddingPlot[] plots)
        {
            ArgumentNullException.ThrowIfNull(plots);
            var html = new StringBuilder("<div style=\"display:flex;gap:4px;max-width:100%\">");
            foreach (var plot in plots)
            {
                string png = Convert.ToBase64String(plot.ToPng(width, height));
                html.Append(CultureInfo.InvariantCulture, $"<img style=\"flex:1 1 0;min-width:0;max-width:{width}px;height:auto\" width=\"{width}\" height=\"{height}\" src=\"data:image/png;base64,{png}\"/>");
            }
            return html.Append("</div>").ToString();
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

        /// <summary>One scatter per class, with a legend entry whose swatch is readable whatever the marker size.</summary>
        private List<IPlottable> AddClasses(PlotPoints points, string legendPrefix, float markerSize, MarkerShape shape)
        {
            var added = new List<IPlottable>();
            foreach (var plotClass in points.Classes)
            {
                var members = plotClass.Members;
                var scatter = Plot.Add.ScatterPoints(members.Select(i => (double)points.Coordinates[i][0]).ToArray(), members.Select(i => (double)points.Coordinates[i][1]).ToArray());
                var color = PlotPalette.For(plotClass, points.Classes.Count);
                scatter.Color = color.WithAlpha(shape == MarkerShape.FilledCircle ? 0.6 : 0.9);
                scatter.MarkerSize = markerSize;
                scatter.MarkerShape = shape;
                added.Add(scatter);
                if (plotClass.Name is null)
                    continue;
                Plot.Legend.ManualItems.Add(new LegendItem
                {
                    LabelText = legendPrefix + plotClass.Name,
                    MarkerShape = shape,
                    MarkerSize = LegendSwatchSize,
                    MarkerColor = color,
                    MarkerLineColor = color,
                });
            }
            // Outside the data area (a legend inside would cover clusters), added once however many classes are drawn.
            if (Plot.Legend.ManualItems.Count > 0 && !_legendShown)
            {
                Plot.ShowLegend(Edge.Right);
                _legendShown = true;
            }
            return added;
        }
    }
}
