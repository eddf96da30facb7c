using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// An option that sets one of the library's <see cref="UmapEstimator.Options"/>. Its default is the library's
    /// default, and its value is checked by the library itself (an estimator built with only this setting changed),
    /// so the tool keeps no copy of the library's ranges and the parser refuses a bad value before any file is read.
    /// </summary>
    internal static class LibraryOption
    {
        private static readonly Lazy<MLContext> Validation = new(() => new MLContext(seed: 0));

        public static Option<T> Create<T>(string name, string description, Func<UmapEstimator.Options, T> get, Action<UmapEstimator.Options, T> set)
        {
            var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => get(new UmapEstimator.Options()) };
            if (typeof(T) == typeof(float))
                option.CustomParser = result => (T)(object)ParseReal(name, result);
            option.Validators.Add(result =>
            {
                if (result.Implicit)
                    return;
                T value;
                try
                {
                    value = result.GetValueOrDefault<T>();
                }
                catch (InvalidOperationException)
                {
                    // Not a value of the option's type: the parser reports that error itself.
                    return;
                }
                var options = new UmapEstimator.Options();
                set(options, value);
                try
                {
                    Validation.Value.Transforms.Umap(options);
                }
                catch (ArgumentException e)
                {
                    result.AddError($"{name}: {e.Message.ReplaceLineEndings(" ")}");
                }
            });
            return option;
        }

        /// <summary>
        /// A real number in the invariant culture, without the thousands separators the parser's own conversion accepts
        /// (which read "0,1" as 1 and "0,1,2" as 12).
        /// </summary>
        private static float ParseReal(string name, ArgumentResult result)
        {
            string text = string.Join(' ', result.Tokens.Select(t => t.Value));
            if (result.Tokens.Count == 1 && float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                return value;
            result.AddError($"{name}: {TerminalText.Quote(text)} is not a number (write it as 0.1, with a point and no thousands separators).");
            return 0f;
        }
    }
}
