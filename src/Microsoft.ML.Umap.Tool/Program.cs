using System;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.CommandLine;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// The <c>umap</c> command. Exit codes: 0 done; 1 bad input (a file, a value, a model: the message says which);
    /// 2 bad command line; 130 cancelled; 70 an internal error (a bug: please report it with the message).
    /// </summary>
    internal static class Program
    {
        // Registered for the whole life of the process, never disposed: a signal that arrives while the process
        // exits must still find the handler, not the runtime's default, which would end the process with 143.
        private static readonly TerminationSignals Signals = new();

        public static async Task<int> Main(string[] args) =>
            await UmapCommandLine.RunAsync(args, Console.Out, Console.Error, Signals.Token).ConfigureAwait(false);
    }
}
