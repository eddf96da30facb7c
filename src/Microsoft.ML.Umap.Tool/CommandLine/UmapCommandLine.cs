using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.Commands;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// The <c>umap</c> command line as a program that can run inside another: its text goes to the writers given
    /// (System.CommandLine's configured output and error), cancellation comes through a token, and the result is an
    /// exit code (<see cref="ExitCodes"/>). <see cref="Program"/> connects it to the console and to signals.
    /// </summary>
    internal static class UmapCommandLine
    {
        public static RootCommand CreateRoot() => new("umap: fit UMAP on a CSV or Parquet file (or a sample of it), embed shards of any size with bounded memory, plot embeddings.")
        {
            new FitCommand().Command,
            new TransformCommand().Command,
            new PlotCommand().Command,
        };

        public static async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        {
            output = new BestEffortWriter(output);
            error = new BestEffortWriter(error);
            var parse = CreateRoot().Parse(arguments);
            if (parse.Errors.Count > 0)
            {
                foreach (var problem in parse.Errors)
                    error.WriteLine($"umap: {TerminalText.Escape(problem.Message)}");
                error.WriteLine("Run 'umap --help' or 'umap <command> --help' for usage.");
                return ExitCodes.BadCommandLine;
            }
            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                // Signals are the caller's (Program's TerminationSignals), delivered through cancellationToken.
                ProcessTerminationTimeout = null,
            };
            try
            {
                return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Out of memory included: catching it here lets every output's cleanup run on the way out.
                var (exitCode, message) = ErrorReport.Describe(e);
                error.WriteLine($"umap: {TerminalText.Escape(message)}");
                if (exitCode == ExitCodes.InternalError)
                    error.WriteLine(ErrorReport.InternalErrorHint);
                return exitCode;
            }
        }
    }
}
