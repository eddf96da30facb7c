using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Plotting;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary><c>umap plot</c>: an embedding file (the output of <c>umap transform</c>) in, a PNG, SVG or self-contained HTML plot out.</summary>
    internal static class PlotCommand
    {
        private const int BatchRows = 65_536;

        public static System.CommandLine.Command Create()
        {
            var input = new Argument<string>("input") { Description = "A .csv or .parquet file with embedding columns, such as the output of 'umap transform'." };
            var output = new Option<string>("--output", "-o") { Description = "The plot: .png or .svg (static, 2-D) or .html (interactive, 2-D or 3-D, works offline).", Required = true };
            var columns = new Option<string[]>("--columns") { Description = "The coordinate columns (default: every column named with --column-prefix).", AllowMultipleArgumentsPerToken = true };
            var prefix = new Option<string>("--column-prefix") { Description = "The embedding columns' prefix when --columns is not given.", DefaultValueFactory = _ => "umap_" };
            var label = new Option<string?>("--label") { Description = "A column whose values colour the points by class." };
            var text = new Option<string?>("--text") { Description = "A column shown when hovering a point (HTML)." };
            var title = new Option<string?>("--title") { Description = "The plot's title." };
            var maxPoints = new Option<int>("--max-points") { Description = "Plot at most this many rows, drawn uniformly at random (the number plotted is reported).", DefaultValueFactory = _ => 200_000 };
            var width = new Option<int>("--width") { Description = "Image width in pixels (PNG, SVG).", DefaultValueFactory = _ => 1000 };
            var height = new Option<int>("--height") { Description = "Image height in pixels (PNG, SVG).", DefaultValueFactory = _ => 800 };

            var command = new System.CommandLine.Command("plot", "Plot an embedding file as PNG, SVG or interactive HTML.")
            {
                input, output, columns, prefix, label, text, title, maxPoints, width, height,
            };
            command.SetAction((parse, cancellationToken) =>
            {
                int max = parse.GetValue(maxPoints), w = parse.GetValue(width), h = parse.GetValue(height);
                if (max < 1)
                    throw new ArgumentException($"--max-points must be at least 1 (was {max}).");
                if (w is < 16 or > 20_000 || h is < 16 or > 20_000)
                    throw new ArgumentException($"--width and --height must be between 16 and 20,000 pixels (were {w} and {h}).");
                return Task.FromResult(Run(parse.GetValue(input)!, parse.GetValue(output)!, ColumnLists.Split(parse.GetValue(columns)), parse.GetValue(prefix)!,
                    parse.GetValue(label), parse.GetValue(text), parse.GetValue(title), max, w, h, cancellationToken));
            });
            return command;
        }

        private static int Run(string inputPath, string outputPath, string[] coordinateNames, string prefix, string? labelName, string? textName,
            string? title, int maxPoints, int width, int height, CancellationToken cancellationToken)
        {
            string kind = Path.GetExtension(outputPath).ToLowerInvariant();
            if (kind is not (".png" or ".svg" or ".html"))
                throw new ArgumentException($"The plot '{outputPath}' must end in .png, .svg or .html.");
            using var reader = TableReader.Open(inputPath);
            if (coordinateNames.Length == 0)
            {
                coordinateNames = reader.ColumnNames
                    .Where(c => c.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(c.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    .OrderBy(c => int.Parse(c.AsSpan(prefix.Length), CultureInfo.InvariantCulture))
                    .ToArray();
                if (coordinateNames.Length == 0)
                    throw new InvalidDataException($"{inputPath} has no columns named {prefix}0, {prefix}1, ...; name the coordinates with --columns. Its columns: {TableReader.Describe(reader.ColumnNames)}.");
            }
            int dimensions = coordinateNames.Length;
            if (dimensions != 2 && !(dimensions == 3 && kind == ".html"))
                throw new ArgumentException($"A {kind} plot needs 2 coordinate columns{(kind == ".html" ? " or 3" : "")}, but {dimensions} were found ({string.Join(", ", coordinateNames)}).");

            var coordinates = reader.IndexesOf(coordinateNames, "a coordinate");
            int? labelColumn = labelName is null ? null : reader.IndexesOf(new[] { labelName }, "--label")[0];
            int? textColumn = textName is null ? null : reader.IndexesOf(new[] { textName }, "--text")[0];

            // A uniform sample of rows (all of them when there are no more than maxPoints), kept in file order.
            var points = new float[maxPoints][];
            var labels = labelColumn is null ? null : new string?[maxPoints];
            var texts = textColumn is null ? null : new string?[maxPoints];
            var reservoir = new RowReservoir(maxPoints, seed: 0);
            for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var values = new float[batch.RowCount * dimensions];
                batch.ReadFeatures(coordinates, values);
                var batchLabels = labelColumn is { } l ? Text(batch, l) : null;
                var batchTexts = textColumn is { } t ? Text(batch, t) : null;
                for (int row = 0; row < batch.RowCount; row++)
                {
                    int slot = reservoir.Offer();
                    if (slot < 0)
                        continue;
                    points[slot] = values.AsSpan(row * dimensions, dimensions).ToArray();
                    if (labels != null)
                        labels[slot] = batchLabels![row];
                    if (texts != null)
                        texts[slot] = batchTexts![row];
                }
            }
            int kept = reservoir.Kept;
            long seen = reservoir.Seen;
            if (kept == 0)
                throw new InvalidDataException($"{inputPath} has no data rows to plot.");
            var slots = reservoir.SlotsInFileOrder();
            var embedding = slots.Select(s => points[s]).ToArray();
            var classes = labels is null ? null : slots.Select(s => labels[s]).ToArray();
            var hover = texts is null ? null : slots.Select(s => texts[s]).ToArray();
            if (kept < seen)
                Console.Error.WriteLine($"Plotting {kept:N0} of {seen:N0} rows, drawn uniformly at random (raise --max-points to plot more).");

            switch (kind)
            {
                case ".html":
                    EmbeddingPlot.Interactive(embedding, classes, hover, title).SaveHtml(outputPath);
                    break;
                case ".svg":
                    EmbeddingPlot.Scatter(embedding, classes, title).SaveSvg(outputPath, width, height);
                    break;
                default:
                    EmbeddingPlot.Scatter(embedding, classes, title).SavePng(outputPath, width, height);
                    break;
            }
            Console.Error.WriteLine($"Plotted {kept:N0} points to {outputPath}");
            return 0;
        }

        private static string?[] Text(TableBatch batch, int column)
        {
            var text = new string?[batch.RowCount];
            batch.ReadText(column, text);
            return text;
        }
    }
}
