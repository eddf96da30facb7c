using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// An option that sets one of a parametric fit's <see cref="UmapEncoderOptions"/>, checked by the library as
    /// <see cref="LibraryOption"/>'s are: its default is the library's and a bad value is refused by the parser.
    /// </summary>
    internal static class EncoderOption
    {
        public static Option<T> Create<T>(string name, string description, Func<UmapEncoderOptions, T> get, Action<UmapEncoderOptions, T> set) =>
            LibraryOption.Create(name, description, o => get(o.Parametric ?? new UmapEncoderOptions()), (o, v) => set(o.Parametric ??= new UmapEncoderOptions(), v));

        /// <summary>
        /// --encoder-layers: the hidden layers' sizes, comma-separated (256,256) or repeated, or <c>none</c> for a linear
        /// map; a value that is not a whole number is the parser's error.
        /// </summary>
        public static Option<int[]> HiddenLayers()
        {
            var option = Create("--encoder-layers", "Units of each hidden layer of the encoder, input side first, comma-separated (e.g. 256,256), or 'none' for a linear map.",
                o => o.HiddenLayerSizes, (o, v) => o.HiddenLayerSizes = v);
            option.AllowMultipleArgumentsPerToken = true;
            option.CustomParser = Parse;
            return option;
        }

        private static int[] Parse(ArgumentResult result)
        {
            var values = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            if (values.Length == 1 && values[0].Equals("none", StringComparison.OrdinalIgnoreCase))
                return Array.Empty<int>();
            var sizes = new int[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                if (!int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]))
                {
                    result.AddError($"--encoder-layers: {TerminalText.Quote(values[i])} is not a layer size (a whole number of units), and the list is not 'none'.");
                    return Array.Empty<int>();
                }
            }
            if (sizes.Length == 0)
                result.AddError("--encoder-layers names no layer size (give 'none' for a linear map).");
            return sizes;
        }
    }
}
