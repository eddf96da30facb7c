using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>
    /// How UMAP objects show themselves in a Polyglot / .NET Interactive notebook when a cell ends with one: a
    /// fitted <see cref="UmapTransformer"/> as a table of its settings and stage times beside a thumbnail of its
    /// training embedding, an embedding (<c>float[][]</c>) as its size and a thumbnail, an
    /// <see cref="EmbeddingPlot"/> as its image and an <see cref="InteractivePlot"/> as the live plot. Loading this
    /// package with <c>#r "nuget: Microsoft.ML.Umap.Plotting"</c> registers them (the package's
    /// <c>interactive-extensions/dotnet/extension.dib</c> calls <see cref="Register"/>); nothing here depends on
    /// .NET Interactive itself.
    /// </summary>
    public static class NotebookDisplay
    {
        private const int ThumbnailWidth = 260;
        private const int ThumbnailHeight = 200;

        /// <summary>Hands each displayable type and its HTML rendering to a notebook's formatter registry.</summary>
        /// <param name="registerHtml">Registers an HTML formatter, e.g. <c>(type, html) =&gt; Formatter.Register(type, (value, writer) =&gt; writer.Write(html(value)), HtmlFormatter.MimeType)</c>.</param>
        public static void Register(Action<Type, Func<object, string>> registerHtml)
        {
            ArgumentNullException.ThrowIfNull(registerHtml);
            registerHtml(typeof(UmapTransformer), value => ToHtml((UmapTransformer)value));
            registerHtml(typeof(float[][]), value => ToHtml((float[][])value));
            registerHtml(typeof(EmbeddingPlot), value => ((EmbeddingPlot)value).ToHtml());
            registerHtml(typeof(InteractivePlot), value => ((InteractivePlot)value).ToNotebookHtml());
        }

        /// <summary>A fitted model as HTML: its settings and stage times in a table, and a thumbnail of its training embedding.</summary>
        public static string ToHtml(UmapTransformer model)
        {
            ArgumentNullException.ThrowIfNull(model);
            var p = model.Parameters;
            var rows = new List<(string, string)>
            {
                ("Training rows", Number(model.TrainingRowCount)),
                ("Features", Number(model.FeatureCount)),
                ("Columns", $"{model.InputColumnName} → {model.OutputColumnName}"),
                ("NumberOfComponents", Number(p.NumberOfComponents)),
                ("NumberOfNeighbors", Number(p.NumberOfNeighbors)),
                ("Metric", p.CustomDistanceName ?? p.Metric.ToString()),
                ("MinimumDistance", Number(p.MinimumDistance)),
                ("Spread", Number(p.Spread)),
                ("NumberOfEpochs", Number(p.NumberOfEpochs)),
                ("a, b", $"{Number(p.A)}, {Number(p.B)}"),
                ("Seed", Number(p.Seed)),
            };
            if (p.LabelColumnName != null)
                rows.Add(("Label column", $"{p.LabelColumnName} ({p.TargetMetric}, weight {Number(p.TargetWeight)})"));
            foreach (var (stage, time) in model.StageDurations)
                rows.Add(($"{stage} time", time.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture)));
            if (model.IsParametric)
                rows.Add(("Encoder", string.Join(" → ", model.EncoderLayerSizes)));
            // A parametric model keeps no training embedding to draw.
            string thumbnail = p.NumberOfComponents >= 2 && !model.IsParametric ? Thumbnail(model.GetTrainingEmbedding()) : "";
            return $"<div style=\"display:flex;gap:16px;align-items:flex-start\"><div><b>UMAP model</b>{Table(rows)}</div>{thumbnail}</div>";
        }

        /// <summary>An embedding as HTML: its size, and a thumbnail when its points have two or more coordinates.</summary>
        public static string ToHtml(float[][] embedding)
        {
            ArgumentNullException.ThrowIfNull(embedding);
            int width = embedding.Length == 0 || embedding[0] is null ? 0 : embedding[0].Length;
            bool drawable = width >= 2 && embedding.All(p => p is not null && p.Length == width && float.IsFinite(p[0]) && float.IsFinite(p[1]));
            string summary = $"<b>Embedding</b>: {Number(embedding.Length)} points × {Number(width)} coordinates";
            return drawable ? $"<div>{summary}<br/>{Thumbnail(embedding)}</div>" : $"<div>{summary}</div>";
        }

        private static string Thumbnail(float[][] embedding)
        {
            var plot = EmbeddingPlot.Scatter(embedding, (string?[]?)null, markerSize: 1);
            plot.Plot.Axes.Frameless();
            plot.Plot.HideGrid();
            return plot.ToHtml(ThumbnailWidth, ThumbnailHeight);
        }

        private static string Table(IEnumerable<(string Name, string Value)> rows)
        {
            var html = new StringBuilder("<table>");
            foreach (var (name, value) in rows)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"text-align:left\">{WebUtility.HtmlEncode(name)}</td><td style=\"text-align:right\">{WebUtility.HtmlEncode(value)}</td></tr>");
            return html.Append("</table>").ToString();
        }

        private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

        private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
