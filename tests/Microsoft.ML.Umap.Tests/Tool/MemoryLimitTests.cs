// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// The tool in a 512 MB container (the GC's hard limit): buffers are sized by what is read, never by an
    /// option's value, and a long CSV line costs about its size.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class MemoryLimitTests : IClassFixture<DigitsModel>
    {
        private static readonly Dictionary<string, string> HalfAGigabyte = new() { ["DOTNET_GCHeapHardLimit"] = "20000000" }; // hexadecimal

        private readonly DigitsModel _model;

        public MemoryLimitTests(DigitsModel model) => _model = model;

        [Fact]
        public void ASampleOrAPlotLimitFarAboveTheFilesRowsCostsOnlyTheRows()
        {
            // 3,000,000 rows of 64 features would take 768 MB; the file has 1,797.
            Run("fit", "digits.csv", "--exclude", "id,label", "--sample", "3000000", "--epochs", "30", "-o", "big-sample.zip", "-q").Succeeded();
            Run("transform", "digits.csv", "-m", "model.zip", "-o", "for-plot.csv", "-q").Succeeded();
            Run("plot", "for-plot.csv", "--label", "label", "--max-points", "100000000", "-o", "all.png").Succeeded();
        }

        [Fact]
        public void AHundredMegabyteCellPassesThrough()
        {
            // The reader kept a line as a string, joined, split and copied it: 1.58 GB for one line of 100 MB.
            const int CellLength = 100_000_000;
            string input = Path.Combine(_model.Folder, "long-line.csv"), output = Path.Combine(_model.Folder, "long-line-out.csv");
            using (var writer = new StreamWriter(input))
            {
                writer.Write("note," + string.Join(",", _model.Header) + "\nshort," + _model.Lines[0] + "\n\"");
                writer.Write(new string('x', CellLength));
                writer.Write("\"," + _model.Lines[1] + "\nshort," + _model.Lines[2] + "\n");
            }

            Run("transform", "long-line.csv", "-m", "model.zip", "-o", "long-line-out.csv", "-q").Succeeded();

            // The long record comes out as it went in: compare it byte for byte, without holding it as text.
            using (var expected = File.OpenRead(input))
            using (var actual = File.OpenRead(output))
            {
                SkipLines(expected, 2);
                SkipLines(actual, 2);
                var a = new byte[1 << 20];
                var b = new byte[1 << 20];
                for (long left = CellLength + 3 + _model.Lines[1].Length; left > 0; left -= a.Length)
                {
                    int count = (int)System.Math.Min(a.Length, left);
                    expected.ReadExactly(a, 0, count);
                    actual.ReadExactly(b, 0, count);
                    Assert.True(a.AsSpan(0, count).SequenceEqual(b.AsSpan(0, count)), $"the record differs {left:N0} bytes before its end");
                }
                Assert.Equal(',', (char)actual.ReadByte());
            }
            File.Delete(input);
            File.Delete(output);
        }

        [Fact]
        public void RunningOutOfMemoryIsReportedAndLeavesNothingBehind()
        {
            // A stray quote makes the rest of a 100 MB file one field; in 64 MB that cannot be held.
            string input = Path.Combine(_model.Folder, "stray-quote.csv");
            using (var writer = new StreamWriter(input))
            {
                writer.Write(string.Join(",", _model.Header) + "\n\"" + _model.Lines[0] + "\n");
                for (int i = 0; i < 100; i++)
                    writer.Write(new string('7', 1_000_000) + "\n");
            }

            var result = UmapTool.Wait(UmapTool.Start(_model.Folder, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "4000000" }, "fit", "stray-quote.csv", "-o", "never.zip"));

            Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Error}");
            Assert.Contains("umap: out of memory", result.Error);
            Assert.Empty(_model.TemporaryFiles());
            Assert.False(File.Exists(Path.Combine(_model.Folder, "never.zip")));
            File.Delete(input);
        }

        private static void SkipLines(Stream stream, int lines)
        {
            while (lines > 0)
            {
                if (stream.ReadByte() == '\n')
                    lines--;
            }
        }

        private UmapTool.Result Run(params string[] arguments) => UmapTool.Wait(UmapTool.Start(_model.Folder, HalfAGigabyte, arguments));
    }
}
#endif
