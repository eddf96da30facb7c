using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>
    /// An interactive plot of an embedding, drawn by plotly.js: zoom, pan, one legend entry per class that hides
    /// or shows the class when clicked, and a hover label with each point's row index, class and optional text.
    /// <see cref="ToHtml"/> writes one self-contained page with plotly.js inside, so it opens from a file on a
    /// machine without a network. Create one with <see cref="EmbeddingPlot.Interactive(float[][], string[], string[], string, bool, int, int, int)"/>.
    /// </summary>
    public sealed class InteractivePlot
    {
        /// <summary>Above this many points a 2-D plot draws with WebGL (plotly's <c>scattergl</c>), which stays fluid where SVG would crawl.</summary>
        public const int WebGLThreshold = 20_000;

        private const double MarkerOpacity = 0.8;

        private static readonly Lazy<string> PlotlyScript = new(ReadPlotlyScript);

        private readonly string? _title;
        private readonly int _width;
        private readonly int _height;

        internal InteractivePlot(PlotPoints points, string? title, bool threeDimensional, int markerSize, int width, int height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(markerSize);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
            PointCount = points.Count;
            ThreeDimensional = threeDimensional;
            _title = title;
            _width = width;
            _height = height;
            string type = threeDimensional ? "scatter3d" : points.Count > WebGLThreshold ? "scattergl" : "scatter";
            var traces = new JsonArray(points.Classes.Select(c => (JsonNode)Trace(points, c, type, markerSize, points.Classes.Count)).ToArray());
            Figure = new JsonObject
            {
                ["data"] = traces,
                ["layout"] = Layout(title, threeDimensional, width, height, points.Classes.Count > 1),
                ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false, ["scrollZoom"] = true },
            };
        }

        /// <summary>How many points the plot draws.</summary>
        public int PointCount { get; }

        /// <summary>Whether the plot is a 3-D scatter (rotate by dragging).</summary>
        public bool ThreeDimensional { get; }

        /// <summary>The plotly figure: <c>data</c> (one trace per class), <c>layout</c> and <c>config</c>.</summary>
        private JsonObject Figure { get; }

        /// <summary>
        /// The plotly figure as JSON (<c>{"data": [...], "layout": {...}, "config": {...}}</c>), for any plotly binding
        /// (plotly.js's <c>Plotly.newPlot</c>, Plotly.NET, Python's <c>plotly.io.from_json</c>) or further styling.
        /// </summary>
        public string ToJson() => Figure.ToJsonString();

        /// <summary>A complete HTML page with plotly.js embedded (plotly.js, a few megabytes, plus the data); it makes no network request.</summary>
        public string ToHtml()
        {
            // The default encoder escapes '<', '>' and '&' in strings, so no class name or text can close the script.
            string data = Figure["data"]!.ToJsonString(), layout = Figure["layout"]!.ToJsonString(), config = Figure["config"]!.ToJsonString();
            var html = new StringBuilder(PlotlyScript.Value.Length + data.Length + 1024);
            html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .Append(WebUtility.HtmlEncode(string.IsNullOrEmpty(_title) ? "UMAP embedding" : _title))
                .Append("</title>\n</head>\n<body style=\"margin:0\">\n")
                .Append("<div id=\"umap-plot\" style=\"width:").Append(_width).Append("px;height:").Append(_height).Append("px\"></div>\n")
                .Append("<script type=\"text/javascript\">\n").Append(PlotlyScript.Value).Append("\n</script>\n")
                .Append("<script type=\"text/javascript\">\nPlotly.newPlot('umap-plot', ").Append(data).Append(", ").Append(layout).Append(", ").Append(config).Append(");\n</script>\n")
                .Append("</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>
        /// The plot for a notebook cell: the self-contained page in an <c>iframe</c>, so plotly.js needs no network
        /// and nothing on the page leaks into the notebook (or the notebook's styles into the plot).
        /// </summary>
        public string ToNotebookHtml() =>
            $"<iframe style=\"border:none;max-width:100%\" width=\"{_width + 20}\" height=\"{_height + 20}\" srcdoc=\"{WebUtility.HtmlEncode(ToHtml())}\"></iframe>";

        /// <summary>Writes <see cref="ToHtml"/> to a file (conventionally <c>.html</c>), to open in any browser.</summary>
        public void SaveHtml(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            File.WriteAllText(path, ToHtml());
        }

        private static JsonObject Trace(PlotPoints points, PlotClass plotClass, string type, int markerSize, int classCount)
        {
            var members = plotClass.Members;
            var coordinates = points.Coordinates;
            JsonArray Axis(int d) => new(members.Select(i => (JsonNode?)JsonValue.Create(coordinates[i][d])).ToArray());
            var text = points.Text;
            // The row index (and the caller's text) ride along as customdata, so the hover label can name them.
            var customData = new JsonArray(members.Select(i => (JsonNode?)(text is null ? new JsonArray(i) : new JsonArray(i, text[i] ?? ""))).ToArray());
            string classLine = plotClass.Name is null ? "" : "<br>class %{fullData.name}";
            string textLine = text is null ? "" : "<br>%{customdata[1]}";
            var trace = new JsonObject
            {
                ["type"] = type,
                ["mode"] = "markers",
                ["name"] = plotClass.Name ?? "points",
                ["showlegend"] = plotClass.Name != null,
                ["x"] = Axis(0),
                ["y"] = Axis(1),
            };
            if (type == "scatter3d")
                trace["z"] = Axis(2);
            trace["marker"] = new JsonObject
            {
                ["size"] = markerSize,
                ["opacity"] = MarkerOpacity,
                ["color"] = PlotPalette.For(plotClass, classCount).ToHex(),
            };
            trace["customdata"] = customData;
            trace["hovertemplate"] = "row %{customdata[0]}" + classLine + textLine + "<extra></extra>";
            return trace;
        }

        private static JsonObject Layout(string? title, bool threeDimensional, int width, int height, bool showLegend)
        {
            var layout = new JsonObject();
            if (!string.IsNullOrEmpty(title))
                layout["title"] = new JsonObject { ["text"] = title };
            layout["width"] = width;
            layout["height"] = height;
            layout["hovermode"] = "closest";
            layout["showlegend"] = showLegend;
            // Legend swatches at a fixed, readable size however small the markers are; the legend sits beside the data.
            layout["legend"] = new JsonObject { ["itemsizing"] = "constant", ["title"] = new JsonObject { ["text"] = "class" } };
            if (threeDimensional)
            {
                layout["scene"] = new JsonObject
                {
                    ["xaxis"] = Axis("UMAP 1"),
                    ["yaxis"] = Axis("UMAP 2"),
                    ["zaxis"] = Axis("UMAP 3"),
                    ["aspectmode"] = "data",
                };
            }
            else
            {
                layout["xaxis"] = Axis("UMAP 1");
                var y = Axis("UMAP 2");
                // UMAP distances mean the same along both axes: keep one unit the same length on screen.
                y["scaleanchor"] = "x";
                layout["yaxis"] = y;
            }
            return layout;
        }

        private static JsonObject Axis(string title) => new()
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["zeroline"] = false,
        };

        private static string ReadPlotlyScript()
        {
            using var stream = typeof(InteractivePlot).Assembly.GetManifestResourceStream("plotly.min.js")
                ?? throw new InvalidOperationException("plotly.js is missing from Microsoft.ML.Umap.Plotting; the assembly is damaged.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }
}
