using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// The arguments and options several commands share, each declared once with its validation, so a bad value is
    /// refused by the parser (exit code 2) before any file is opened.
    /// </summary>
    internal static class ToolOptions
    {
        /// <summary>An input table, .csv or .parquet.</summary>
        public static Argument<string> InputTable(string description)
        {
            var input = new Argument<string>("input") { Description = description };
            input.Validators.Add(result =>
            {
                string path = result.GetValueOrDefault<string>();
                if (TableFormats.Of(path) is null)
                    result.AddError(TableFormats.Unknown(path, "input"));
            });
            return input;
        }

        /// <summary>--output/-o: a file to write, named (not empty), with one of <paramref name="extensions"/> when any are given.</summary>
        public static Option<string> Output(string description, params string[] extensions)
        {
            var output = new Option<string>("--output", "-o") { Description = description, Required = true };
            output.Validators.Add(result =>
            {
                string path = result.GetValueOrDefault<string>();
                if (string.IsNullOrWhiteSpace(path))
                    result.AddError("--output names no file.");
                else if (extensions.Length > 0 && !extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    result.AddError($"The output {TerminalText.Quote(path)} must end in {string.Join(", ", extensions[..^1])}{(extensions.Length > 1 ? " or " : "")}{extensions[^1]}.");
            });
            return output;
        }

        /// <summary>An integer option of at least <paramref name="minimum"/> (and at most <paramref name="maximum"/>).</summary>
        public static Option<int> Integer(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue)
        {
            var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
            option.Validators.Add(result => CheckRange(result, name, result.GetValueOrDefault<int>(), minimum, maximum));
            return option;
        }

        /// <summary>An optional integer option; when given, at least <paramref name="minimum"/>.</summary>
        public static Option<int?> OptionalInteger(string name, string description, int minimum)
        {
            var option = new Option<int?>(name) { Description = description };
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int?>() is { } value)
                    CheckRange(result, name, value, minimum, int.MaxValue);
            });
            return option;
        }

        /// <summary>--threads for the tool's own work (a transform's batches).</summary>
        public static Option<int?> Threads() =>
            OptionalInteger("--threads", "Threads to use (default: all cores). The result does not depend on it.", minimum: 1);

        public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress on standard error." };

        /// <summary>
        /// --column-prefix: the embedding columns are named prefix0, prefix1, ... A name that CSV would have to
        /// quote, or that a reader would trim, is refused, so every output's header has as many fields as its rows.
        /// </summary>
        public static Option<string> ColumnPrefix(string description)
        {
            var prefix = new Option<string>("--column-prefix") { Description = description, DefaultValueFactory = _ => "umap_" };
            prefix.Validators.Add(result =>
            {
                string value = result.GetValueOrDefault<string>();
                if (value.Any(c => c is ',' or '"' || char.IsControl(c)))
                    result.AddError($"--column-prefix {TerminalText.Quote(value)} holds a comma, a quote or a control character; column names must be written as they are, without CSV quoting.");
                else if (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
                    result.AddError($"--column-prefix {TerminalText.Quote(value)} starts or ends with a space, which readers trim from column names.");
            });
            return prefix;
        }

        /// <summary>A list of column names, comma-separated or repeated (--features a,b --features c).</summary>
        public static Option<string[]> Columns(string name, string description) =>
            new(name) { Description = description, AllowMultipleArgumentsPerToken = true };

        /// <summary>The names a column-list option holds, its values split at commas.</summary>
        public static string[] Names(string[]? values) =>
            (values ?? Array.Empty<string>())
                .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToArray();

        private static void CheckRange(System.CommandLine.Parsing.OptionResult result, string name, int value, int minimum, int maximum)
        {
            if (value < minimum || value > maximum)
            {
                string range = maximum == int.MaxValue
                    ? $"at least {minimum.ToString("N0", CultureInfo.InvariantCulture)}"
                    : $"between {minimum.ToString("N0", CultureInfo.InvariantCulture)} and {maximum.ToString("N0", CultureInfo.InvariantCulture)}";
                result.AddError($"{name} must be {range} (was {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
    }
}
