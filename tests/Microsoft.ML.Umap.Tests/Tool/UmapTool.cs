// The umap tool runs as its own .NET 10 process whichever framework the tests target, so these run once, on net10.0.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML.Umap.Samples;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>Runs the umap tool (copied beside the tests by CopyUmapTool) as a separate process, and writes its test files.</summary>
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

        public static Result Run(string workingDirectory, params string[] arguments)
        {
            Assert.True(File.Exists(Assembly), $"The umap tool was not built at {Assembly}");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Assembly);
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            return Wait(Process.Start(start)!);
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
