// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// The umap tool end to end, as a user runs it: fit on a sample of the digits, transform every row, plot; and the
    /// answers it gives to bad input (a message naming the file, line and column, a non-zero exit code, no stack trace).
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class ToolCommandTests : IClassFixture<ToolCommandTests.FittedDigits>
    {
        private readonly FittedDigits _fitted;

        public ToolCommandTests(FittedDigits fitted) => _fitted = fitted;

        /// <summary>digits.csv and a model fitted on 1,200 of its 1,797 rows, shared by the tests.</summary>
        public sealed class FittedDigits : IDisposable
        {
            public FittedDigits()
            {
                Folder = UmapTool.TemporaryFolder();
                (Header, Lines, Labels) = Read();
                UmapTool.WriteCsv(Path.Combine(Folder, "digits.csv"), Header, Lines);
                Fit = UmapTool.Run(Folder, "fit", "digits.csv", "--exclude", "id,label", "--sample", "1200", "--seed", "7", "--output", "model.zip");
                Fit.Succeeded();
            }

            public string Folder { get; }

            public string[] Header { get; }

            public System.Collections.Generic.List<string> Lines { get; }

            public int[] Labels { get; }

            internal UmapTool.Result Fit { get; }

            private static (string[], System.Collections.Generic.List<string>, int[]) Read()
            {
                var (header, lines, digits) = UmapTool.DigitsCsv();
                return (header, lines, digits.Labels);
            }

            public void Dispose() => Directory.Delete(Folder, recursive: true);
        }

        [Fact]
        public void FitOnASampleThenTransformEveryRowKeepsTheRowsAndPlacesThemWell()
        {
            Assert.Contains("Sampled 1,200 of 1,797 rows x 64 features", _fitted.Fit.Error);
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "--model", "model.zip", "--output", "embedded.csv").Succeeded();

            var output = File.ReadAllLines(Path.Combine(_fitted.Folder, "embedded.csv"));
            Assert.Equal(string.Join(",", _fitted.Header) + ",umap_0,umap_1", output[0]);
            Assert.Equal(_fitted.Lines.Count, output.Length - 1);
            for (int r = 0; r < _fitted.Lines.Count; r++)
                Assert.StartsWith(_fitted.Lines[r] + ",", output[r + 1], StringComparison.Ordinal);

            // The 597 rows the fit never saw are placed among their own digits.
            var embedding = UmapTool.Embedding(Path.Combine(_fitted.Folder, "embedded.csv"));
            Assert.All(embedding, point => Assert.All(point, v => Assert.True(float.IsFinite(v))));
            double accuracy = UmapMetrics.KnnAccuracy(embedding, _fitted.Labels, neighbors: 10);
            Assert.True(accuracy > 0.93, $"kNN accuracy of the transformed digits: {accuracy:F3}");
        }

        [Fact]
        public void TheSameSeedGivesTheSameModelAndBatchesAndThreadsDoNotChangeAnyRow()
        {
            UmapTool.Run(_fitted.Folder, "fit", "digits.csv", "--exclude", "id,label", "--sample", "1200", "--seed", "7", "--output", "again.zip", "--quiet").Succeeded();
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "-m", "model.zip", "-o", "whole.csv").Succeeded();
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "-m", "again.zip", "-o", "again.csv", "--batch-size", "7", "--threads", "1").Succeeded();
            Assert.Equal(File.ReadAllBytes(Path.Combine(_fitted.Folder, "whole.csv")), File.ReadAllBytes(Path.Combine(_fitted.Folder, "again.csv")));
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AParametricModelFitsAndTransformsEveryRowAlikeInAnyBatch()
        {
            var fit = UmapTool.Run(_fitted.Folder, "fit", "digits.csv", "--exclude", "id,label", "--sample", "600", "--parametric", "--encoder-layers", "100,100,100", "--output", "parametric.zip").Succeeded();
            Assert.Contains("EncoderTraining", fit.Error, StringComparison.Ordinal);
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "-m", "parametric.zip", "-o", "parametric.csv", "-q").Succeeded();
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "-m", "parametric.zip", "-o", "parametric-again.csv", "--batch-size", "7", "--threads", "1", "-q").Succeeded();
            var output = File.ReadAllLines(Path.Combine(_fitted.Folder, "parametric.csv"));
            Assert.Equal(_fitted.Lines.Count, output.Length - 1);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_fitted.Folder, "parametric.csv")), File.ReadAllBytes(Path.Combine(_fitted.Folder, "parametric-again.csv")));
            // The encoder's file holds no training rows: smaller than the non-parametric model of twice the rows (for
            // umap-learn's three layers of 100; the default six of 80 have more weights than 1,797 digits of 64 values).
            Assert.True(new FileInfo(Path.Combine(_fitted.Folder, "parametric.zip")).Length < new FileInfo(Path.Combine(_fitted.Folder, "model.zip")).Length);
        }

        [Fact]
        public void PlotsWritePngSvgAndASelfContainedPage()
        {
            UmapTool.Run(_fitted.Folder, "transform", "digits.csv", "-m", "model.zip", "-o", "for-plot.csv", "-q").Succeeded();
            UmapTool.Run(_fitted.Folder, "plot", "for-plot.csv", "-o", "digits.png", "--label", "label").Succeeded();
            UmapTool.Run(_fitted.Folder, "plot", "for-plot.csv", "-o", "digits.svg", "--label", "label").Succeeded();
            var html = UmapTool.Run(_fitted.Folder, "plot", "for-plot.csv", "-o", "digits.html", "--label", "label", "--text", "id", "--max-points", "500").Succeeded();
            Assert.Contains("Plotting 500 of 1,797 rows", html.Error);

            var png = File.ReadAllBytes(Path.Combine(_fitted.Folder, "digits.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(_fitted.Folder, "digits.svg")));
            var page = File.ReadAllText(Path.Combine(_fitted.Folder, "digits.html"));
            Assert.Contains("Plotly.newPlot", page);
            Assert.DoesNotContain("<script src=", page);
        }

        [SkippableFact]
        public void TerminationCancelsATransformWithExitCode130AndLeavesNoFile()
        {
            Skip.If(OperatingSystem.IsWindows(), "Sends SIGTERM.");
            // 300,000 rows on one thread: far longer than the second the test waits.
            var lines = Enumerable.Range(0, 300_000).Select(r => _fitted.Lines[r % _fitted.Lines.Count]);
            UmapTool.WriteCsv(Path.Combine(_fitted.Folder, "long.csv"), _fitted.Header, lines);
            var process = UmapTool.Start(_fitted.Folder, "transform", "long.csv", "-m", "model.zip", "-o", "long-out.csv", "--threads", "1");
            System.Threading.Thread.Sleep(1500);
            using (var kill = System.Diagnostics.Process.Start("kill", $"-TERM {process.Id}"))
                kill.WaitForExit();
            var result = UmapTool.Wait(process);

            Assert.True(result.ExitCode == 130, $"exit code {result.ExitCode}: {result.Error}");
            Assert.Contains("umap: cancelled.", result.Error);
            Assert.Empty(Directory.GetFiles(_fitted.Folder, "long-out.csv*"));
            Assert.Empty(Directory.GetFiles(_fitted.Folder, "*.partial"));
            File.Delete(Path.Combine(_fitted.Folder, "long.csv"));
        }

        [Theory]
        [InlineData("missing-file", 1, "does not exist")]
        [InlineData("not-a-number", 1, "line 4, column 'p5': 'x' is not a number")]
        [InlineData("missing-value", 1, "line 3, column 'p0': the value is missing")]
        [InlineData("infinite", 1, "line 2, column 'p1': '1e40' is not a finite")]
        [InlineData("ragged", 1, "line 3: the row has 3 fields but the header has 66 columns")]
        [InlineData("unclosed-quote", 1, "line 3: a quoted field opens here and is never closed")]
        [InlineData("empty", 1, "is empty")]
        [InlineData("missing-column", 1, "has no column 'p63' (a feature of the model ")]
        [InlineData("garbage-model", 1, "is not a readable model file")]
        [InlineData("name-clash", 1, "already has a column 'umap_0'; choose other names for the embedding with --column-prefix")]
        [InlineData("format-mismatch", 2, "must have the input's format")]
        [InlineData("unknown-extension", 2, "must end in .csv or .parquet")]
        [InlineData("bad-neighbors", 2, "--neighbors: NumberOfNeighbors must be between 2")]
        [InlineData("bad-batch", 2, "--batch-size must be at least 1")]
        [InlineData("unknown-option", 2, "--colour")]
        [InlineData("no-output", 2, "Option '--output' is required")]
        [InlineData("text-feature", 1, "column 'id': 'd0' is not a number")]
        [InlineData("exclude-unknown", 1, "has no column 'ID' (named by --exclude)")]
        [InlineData("plot-one-column", 2, "needs 2 coordinate columns")]
        public void BadInputGetsAMessageAndAnExitCodeNeverAStackTrace(string name, int exitCode, string message)
        {
            string folder = _fitted.Folder;
            string shard = $"{name}.csv";
            string Line(int r) => _fitted.Lines[r];
            string header = string.Join(",", _fitted.Header);
            void Shard(params string[] lines) => File.WriteAllText(Path.Combine(folder, shard), header + "\n" + string.Join("\n", lines) + "\n");
            string[] Transform() => new[] { "transform", shard, "-m", "model.zip", "-o", $"{name}-out.csv" };
            string[] arguments;
            switch (name)
            {
                case "missing-file": arguments = new[] { "transform", "nowhere.csv", "-m", "model.zip", "-o", "x.csv" }; break;
                case "not-a-number": Shard(Line(0), Line(1), ReplaceField(Line(2), 6, "x")); arguments = Transform(); break;
                case "missing-value": Shard(Line(0), ReplaceField(Line(1), 1, "")); arguments = Transform(); break;
                case "infinite": Shard(ReplaceField(Line(0), 2, "1e40")); arguments = Transform(); break;
                case "ragged": Shard(Line(0), "a,b,c"); arguments = Transform(); break;
                case "unclosed-quote": Shard(Line(0), "\"d1" + Line(1)[2..]); arguments = Transform(); break;
                case "empty": File.WriteAllText(Path.Combine(folder, shard), ""); arguments = Transform(); break;
                case "missing-column":
                    File.WriteAllText(Path.Combine(folder, shard), string.Join(",", _fitted.Header[..^2]) + "\n" + string.Join(",", Line(0).Split(',')[..^2]) + "\n");
                    arguments = Transform();
                    break;
                case "garbage-model": File.WriteAllText(Path.Combine(folder, "garbage.zip"), "not a model"); arguments = new[] { "transform", "digits.csv", "-m", "garbage.zip", "-o", "x.csv" }; break;
                case "name-clash":
                    File.WriteAllText(Path.Combine(folder, shard), header + ",umap_0\n" + Line(0) + ",1\n");
                    arguments = Transform();
                    break;
                case "format-mismatch": arguments = new[] { "transform", "digits.csv", "-m", "model.zip", "-o", "x.parquet" }; break;
                case "unknown-extension": arguments = new[] { "transform", "digits.csv", "-m", "model.zip", "-o", "x.txt" }; break;
                case "bad-neighbors": arguments = new[] { "fit", "digits.csv", "--exclude", "id,label", "--neighbors", "1", "-o", "x.zip", "-q" }; break;
                case "bad-batch": arguments = new[] { "transform", "digits.csv", "-m", "model.zip", "-o", "x.csv", "--batch-size", "0" }; break;
                case "unknown-option": arguments = new[] { "transform", "digits.csv", "-m", "model.zip", "-o", "x.csv", "--colour", "red" }; break;
                case "no-output": arguments = new[] { "fit", "digits.csv" }; break;
                case "text-feature": arguments = new[] { "fit", "digits.csv", "--exclude", "label", "-o", "x.zip", "-q" }; break;
                case "exclude-unknown": arguments = new[] { "fit", "digits.csv", "--exclude", "ID", "-o", "x.zip", "-q" }; break;
                case "plot-one-column": arguments = new[] { "plot", "digits.csv", "--columns", "p0", "-o", "x.png" }; break;
                default: throw new ArgumentOutOfRangeException(nameof(name));
            }

            var result = UmapTool.Run(folder, arguments);

            Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}: {result.Error}");
            Assert.Contains(message, result.Error);
            Assert.DoesNotContain("   at ", result.Error);
            Assert.DoesNotContain("Exception", result.Error);
            // A failed transform leaves neither its output nor a partial file.
            Assert.Empty(Directory.GetFiles(folder, $"{name}-out.csv*"));
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        }

        private static string ReplaceField(string line, int field, string value)
        {
            var fields = line.Split(',');
            fields[field] = value;
            return string.Join(",", fields);
        }
    }
}
#endif
