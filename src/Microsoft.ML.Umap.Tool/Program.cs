using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.Commands;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// The <c>umap</c> command. Exit codes: 0 done; 1 bad input (a file, a value, a model: the message says which);
    /// 2 bad command line; 130 cancelled; 70 an internal error (a bug: please report it with the message).
    /// </summary>
    internal static class Program
    {
        public const int BadInput = 1;
        public const int BadCommandLine = 2;
        public const int InternalError = 70;
        public const int Cancelled = 130;

        public static async Task<int> Main(string[] args)
        {
            var root = new RootCommand("umap: fit UMAP on a CSV or Parquet file (or a sample of it), embed shards of any size with bounded memory, plot embeddings.")
            {
                FitCommand.Create(),
                TransformCommand.Create(),
                PlotCommand.Create(),
            };
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                    Console.Error.WriteLine($"umap: {error.Message}");
                Console.Error.WriteLine("Run 'umap --help' or 'umap <command> --help' for usage.");
                return BadCommandLine;
            }
            try
            {
                return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("umap: cancelled.");
                return Cancelled;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"umap: {OptionMessages.Describe(e)}");
                return BadCommandLine;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
            {
                Console.Error.WriteLine($"umap: {e.Message}");
                return BadInput;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"umap: internal error ({e.GetType().Name}): {e.Message}");
                Console.Error.WriteLine("This is a bug in the tool; please report it with this message and the command line.");
                return InternalError;
            }
        }
    }
}
