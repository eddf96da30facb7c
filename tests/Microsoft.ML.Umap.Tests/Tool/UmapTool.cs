// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.ML.Umap.Tool.CommandLine;
using Microsoft.ML.Umap.Samples;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// Runs the umap tool: in-process through <see cref="UmapCommandLine.RunAsync"/> (<see cref="Run"/>), or as a
    /// separate process (<see cref="RunProcess"/>, the build CopyUmapTool puts beside the tests) for what only a
    /// process has: signals, its standard streams, memory limits. Writes the tests' files too.
    /// </summary>
    internal static class UmapTool
    {
        public static string Assembly => Path.Combine(AppContext.BaseDirectory, "UmapTool", "Microsoft.ML.Umap.Tool.dll");

        public sealed record Result(int ExitCode, string Output, string Error)
        {
            /// <summary>Fails with the tool's messages unless it succeeded.</summary>
            public Result Succeeded()
            {
                Assert.True(ExitCode == 0, $"umap exited with {ExitCode}: {Error}");
                return this;
            }
        }

        /// <summary>
        /// Runs a command in-process. The input (the argument after the command) and the values of -o/--output and
        /// -m/--model are taken relative to <paramref name="folder"/>, as a process started there would.
        /// </summary>
        public static Result Run(string folder, params string[] arguments) => Run(folder, CancellationToken.None, arguments);

        public static Result Run(string folder, CancellationToken cancellationToken, params string[] arguments)
        {
            var resolved = arguments.ToArray();
            for (int i = 0; i < resolved.Length; i++)
            {
                bool isPath = (i == 1 && !resolved[i].StartsWith('-')) || (i > 0 && resolved[i - 1] is "-o" or "--output" or "-m" or "--model");
                if (isPath && resolved[i].Length > 0)
                    resolved[i] = Path.Combine(folder, resolved[i]);
            }
            var output = new StringWriter();
            var error = new StringWriter();
            int exitCode = UmapCommandLine.RunAsync(resolved, output, error, cancellationToken).GetAwaiter().GetResult();
            return new Result(exitCode, output.ToString(), error.ToString());
        }

        /// <summary>Runs the tool as its own process, started in <paramref name="workingDirectory"/>.</summary>
        public static Result RunProcess(string workingDirectory, params string[] arguments) => Wait(Start(workingDirectory, arguments));

        public static Process Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, new Dictionary<string, string>(), arguments);

        public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            Assert.True(File.Exists(Assembly), $"The umap tool was not built at {Assembly}");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Assembly);
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
            return Process.Start(start)!;
        }

        public static Result Wait(Process process)
        {
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                Assert.True(process.WaitForExit(300_000), "umap did not finish within 5 minutes");
                return new Result(process.ExitCode, output.Result, error.Result);
            }
        }

        /// <summary>A fresh folder under the system's temporary folder.</summary>
        public static string TemporaryFolder()
        {
            var folder = Path.Combine(Path.GetTempPath(), "umap-tool-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return folder;
        }

        /// <summary>The digits as CSV with a header: an id column ("d0", ...), p0..p63 and the label.</summary>
        public static (string[] Header, List<string> Lines, LabelledData Digits) DigitsCsv()
        {
            var digits = Datasets.Digits();
            var header = new[] { "id" }.Concat(Enumerable.Range(0, digits.Columns).Select(i => $"p{i}")).Append("label").ToArray();
            var lines = new List<string>(digits.Rows);
            for (int r = 0; r < digits.Rows; r++)
            {
                var values = digits.Features.AsSpan(r * digits.Columns, digits.Columns).ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture));
                lines.Add(string.Join(",", new[] { $"d{r}" }.Concat(values).Append(digits.Labels[r].ToString(CultureInfo.InvariantCulture))));
            }
            return (header, lines, digits);
        }

        public static void WriteCsv(string path, IEnumerable<string> header, IEnumerable<string> lines) =>
            File.WriteAllText(path, string.Join(",", header) + "\n" + string.Join("\n", lines) + "\n", new UTF8Encoding(false));

        /// <summary>The embedding columns (the last <paramref name="components"/> fields) of an output CSV, parsed.</summary>
        public static float[][] Embedding(string csvPath, int components = 2) =>
            File.ReadAllLines(csvPath).Skip(1).Select(line =>
            {
                var fields = line.Split(',');
                return fields[^components..].Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            }).ToArray();
    }
}
#endif
