using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tool.CommandLine;
using Microsoft.ML.Umap.Tool.Files;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary><c>umap plot</c>: an embedding file (the output of <c>umap transform</c>) in, a PNG, SVG or self-contained HTML plot out.</summary>
    internal sealed class PlotCommand
    {
        private const int BatchRows = 65_536;

        private readonly Argument<string> _input = ToolOptions.InputTable("A .csv or .parquet file with embedding columns, such as the output of 'umap transform'.");
        private readonly Option<string> _output = ToolOptions.Output("The plot: .png or .svg (static, 2-D) or .html (interactive, 2-D or 3-D, works offline).", ".png", ".svg", ".html");
        private readonly Option<string[]> _columns = ToolOptions.Columns("--columns", "The coordinate columns (default: every column named with --column-prefix).");
        private readonly Option<string> _prefix = new("--column-prefix") { Description = "The embedding columns' prefix when --columns is not given.", DefaultValueFactory = _ => "umap_" };
        private readonly Option<string?> _label = new("--label") { Description = "A column whose values colour the points by class." };
        private readonly Option<string?> _text = new("--text") { Description = "A column shown when hovering a point (HTML)." };
        private readonly Option<string?> _title = new("--title") { Description = "The plot's title." };
        private readonly Option<int> _maxPoints = ToolOptions.Integer("--max-points", "Plot at most this many rows, drawn uniformly at random (the number plotted is reported).", 200_000, minimum: 1);
        private readonly Option<int> _width = ToolOptions.Integer("--width", "Image width in pixels (PNG, SVG).", 1000, minimum: 16, maximum: 20_000);
        private readonly Option<int> _height = ToolOptions.Integer("--height", "Image height in pixels (PNG, SVG).", 800, minimum: 16, maximum: 20_000);

        public PlotCommand()
        {
            Command = new System.CommandLine.Command("plot", "Plot an embedding file as PNG, SVG or interactive HTML.")
            {
                _input, _output, _columns, _prefix, _label, _text, _title, _maxPoints, _width, _height,
            };
            Command.Validators.Add(result =>
            {
                var columns = ToolOptions.Names(result.GetValue(_columns));
                if (columns.Length > 0 && result.GetValue(_output) is { } output && DimensionsProblem(Kind(output), columns) is { } problem)
                    result.AddError(problem);
            });
            Command.SetAction((parse, cancellationToken) => Task.FromResult(Run(Bind(parse), parse.InvocationConfiguration.Error, cancellationToken)));
        }

        public System.CommandLine.Command Command { get; }

        private PlotSettings Bind(ParseResult parse) =>
            new(parse.GetValue(_input)!, parse.GetValue(_output)!, ToolOptions.Names(parse.GetValue(_columns)), parse.GetValue(_prefix)!, parse.GetValue(_label),
                parse.GetValue(_text), parse.GetValue(_title), parse.GetValue(_maxPoints), parse.GetValue(_width), parse.GetValue(_height));

        public static int Run(PlotSettings settings, TextWriter log, CancellationToken cancellationToken)
        {
            string kind = Kind(settings.Output);
            using var output = OutputFile.Create(settings.Output, new[] { settings.Input });
            using var reader = TableReader.Open(settings.Input, cancellationToken);
            var coordinateNames = settings.Columns;
            if (coordinateNames.Length == 0)
            {
                string prefix = settings.ColumnPrefix;
                coordinateNames = reader.ColumnNames
                    .Where(c => c.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(c.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    .OrderBy(c => int.Parse(c.AsSpan(prefix.Length), CultureInfo.InvariantCulture))
                    .ToArray();
                if (coordinateNames.Length == 0)
                    throw new InvalidDataException($"{settings.Input} has no columns named {prefix}0, {prefix}1, ...; name the coordinates with --columns. Its columns: {TableReader.Describe(reader.ColumnNames)}.");
                if (DimensionsProblem(kind, coordinateNames) is { } problem)
                    throw new InvalidDataException($"{settings.Input}: {problem}");
            }
            int dimensions = coordinateNames.Length;
            var coordinates = reader.IndexesOf(coordinateNames, "a coordinate");
            int? labelColumn = settings.Label is null ? null : reader.IndexesOf(new[] { settings.Label }, "--label")[0];
            int? textColumn = settings.Text is null ? null : reader.IndexesOf(new[] { settings.Text }, "--text")[0];

            // A uniform sample of rows (all of them when there are no more than --max-points), kept in file order;
            // the lists grow with the rows kept, so a limit beyond the file's length costs only the file.
            var points = new List<float[]>();
            var labels = labelColumn is null ? null : new List<string?>();
            var texts = textColumn is null ? null : new List<string?>();
            var reservoir = new RowReservoir(settings.MaxPoints, seed: 0);
            for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var values = new float[batch.RowCount * dimensions];
                batch.ReadFeatures(coordinates, values, FeatureValues.Finite);
                var batchLabels = labelColumn is { } l ? Text(batch, l) : null;
                var batchTexts = textColumn is { } t ? Text(batch, t) : null;
                for (int row = 0; row < batch.RowCount; row++)
                {
                    int slot = reservoir.Offer();
                    if (slot < 0)
                        continue;
                    Keep(points, slot, values.AsSpan(row * dimensions, dimensions).ToArray());
                    if (labels != null)
                        Keep(labels, slot, batchLabels![row]);
                    if (texts != null)
                        Keep(texts, slot, batchTexts![row]);
                }
            }
            int kept = reservoir.Kept;
            long seen = reservoir.Seen;
            if (kept == 0)
                throw new InvalidDataException($"{settings.Input} has no data rows to plot.");
            var slots = reservoir.SlotsInFileOrder();
            var embedding = slots.Select(s => points[s]).ToArray();
            var classes = labels is null ? null : slots.Select(s => labels[s]).ToArray();
            var hover = texts is null ? null : slots.Select(s => texts[s]).ToArray();
            if (kept < seen)
                log.WriteLine($"Plotting {kept:N0} of {seen:N0} rows, drawn uniformly at random (raise --max-points to plot more).");

            byte[] plot = kind switch
            {
                ".html" => Encoding.UTF8.GetBytes(EmbeddingPlot.Interactive(embedding, classes, hover, settings.Title).ToHtml()),
                ".svg" => Encoding.UTF8.GetBytes(EmbeddingPlot.Scatter(embedding, classes, settings.Title).ToSvg(settings.Width, settings.Height)),
                _ => EmbeddingPlot.Scatter(embedding, classes, settings.Title).ToPng(settings.Width, settings.Height),
            };
            output.Stream.Write(plot);
            output.Commit();
            log.WriteLine($"Plotted {kept:N0} points to {settings.Output}");
            return ExitCodes.Success;
        }

        /// <summary>The plot's kind: its output's extension, in lower case.</summary>
        private static string Kind(string output) => Path.GetExtension(output).ToLowerInvariant();

        /// <summary>Why the coordinate columns cannot make a plot of this kind, or null when they can.</summary>
        private static string? DimensionsProblem(string kind, string[] coordinates) =>
            coordinates.Length == 2 || (coordinates.Length == 3 && kind == ".html")
                ? null
                : $"A {kind} plot needs 2 coordinate columns{(kind == ".html" ? " or 3" : "")}, but {coordinates.Length} were given ({string.Join(", ", coordinates.Select(TerminalText.Quote))}).";

        /// <summary>Puts a kept row's value in its reservoir slot: a new slot at the end, or one whose row it replaces.</summary>
        private static void Keep<T>(List<T> slots, int slot, T value)
        {
            if (slot == slots.Count)
                slots.Add(value);
            else
                slots[slot] = value;
        }

        private static string?[] Text(TableBatch batch, int column)
        {
            var text = new string?[batch.RowCount];
            batch.ReadText(column, text);
            return text;
        }
    }
}
