using System;
using System.Collections.Generic;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>Says an option error in the command line's words: the library names its options, the user typed flags.</summary>
    internal static class OptionMessages
    {
        private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
        {
            ["NumberOfNeighbors"] = "--neighbors",
            ["NumberOfComponents"] = "--components",
            ["MinimumDistance"] = "--min-dist",
            ["Spread"] = "--spread",
            ["NumberOfEpochs"] = "--epochs",
            ["NumberOfThreads"] = "--threads",
            ["Metric"] = "--metric",
        };

        public static string Describe(ArgumentException e)
        {
            string message = e.Message;
            int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (parameter >= 0)
                message = message[..parameter];
            return e.ParamName is { } name && Flags.TryGetValue(name, out var flag) ? $"{flag}: {message}" : message;
        }
    }
}
