// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tool.CommandLine;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// How failures reach the user: the file, line and column of a row the library refuses, the same error whatever
    /// the number of threads, values quoted in part and escaped, a damaged model's real reason; and a failing log
    /// that changes nothing.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class FailureReportTests : IClassFixture<DigitsModel>
    {
        private readonly DigitsModel _model;

        public FailureReportTests(DigitsModel model) => _model = model;

        [Fact]
        public void RowsTheModelRefusesOnTwoThreadsGiveTheFirstRowsFileAndLine()
        {
            // Rows 3 and 30 hold a value whose square overflows single precision: with two threads each fails on
            // its own thread (an AggregateException of two, once reported as an internal error).
            var lines = _model.Lines.Take(40).Select((line, r) => r is 3 or 30 ? WithField(line, 6, "1e30") : line);
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "too-large.csv"), _model.Header, lines);

            var twoThreads = UmapTool.Run(_model.Folder, "transform", "too-large.csv", "-m", "model.zip", "-o", "x.csv", "--threads", "2", "--batch-size", "40");
            var oneThread = UmapTool.Run(_model.Folder, "transform", "too-large.csv", "-m", "model.zip", "-o", "x.csv", "--threads", "1", "--batch-size", "7");

            Assert.True(twoThreads.ExitCode == 1, twoThreads.Error);
            Assert.Contains("too-large.csv, line 5, the features (p0, p1, p2, ..., p63): ", twoThreads.Error);
            Assert.Contains("too large", twoThreads.Error);
            Assert.Equal(twoThreads.Error, oneThread.Error);
        }

        [Fact]
        public void ARowTheFitRefusesNamesItsFileAndLine()
        {
            var lines = _model.Lines.Take(200).Select((line, r) => r == 150 ? WithField(line, 2, "-1e30") : line);
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "fit-too-large.csv"), _model.Header, lines);

            var result = UmapTool.Run(_model.Folder, "fit", "fit-too-large.csv", "--exclude", "id,label", "-o", "never.zip", "-q");

            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("fit-too-large.csv, line 152, the features (p0, p1, p2, ..., p63): ", result.Error);
        }

        [Fact]
        public void ANegativeValueForHellingerNamesItsColumn()
        {
            var lines = _model.Lines.Take(50).Select((line, r) => r == 7 ? WithField(line, 3, "-2") : line);
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "negative.csv"), _model.Header, lines);

            var result = UmapTool.Run(_model.Folder, "fit", "negative.csv", "--exclude", "id,label", "--metric", "Hellinger", "-o", "never.zip", "-q");

            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("negative.csv, line 9, column 'p2': -2 is negative; the Hellinger metric needs non-negative values", result.Error);
        }

        [Fact]
        public void AValueIsQuotedInPartAndItsControlCharactersEscaped()
        {
            string huge = "\u001b]0;owned\u0007\u001b[31m" + new string('9', 120_000);
            var lines = _model.Lines.Take(5).Select((line, r) => r == 2 ? WithField(line, 4, huge) : line);
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "huge-cell.csv"), _model.Header, lines);

            var result = UmapTool.Run(_model.Folder, "transform", "huge-cell.csv", "-m", "model.zip", "-o", "x.csv");

            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("huge-cell.csv, line 4, column 'p3': '\\u001B]0;owned\\u0007\\u001B[31m999", result.Error);
            Assert.Contains($"({Encoding.UTF8.GetByteCount(huge):N0} bytes) is not a number", result.Error);
            Assert.DoesNotContain('\u001b', result.Error);
            Assert.True(result.Error.Length < 1000, $"{result.Error.Length} characters");
        }

        [Fact]
        public void AModelWhoseEntryIsRandomBytesSaysWhy()
        {
            string damaged = Path.Combine(_model.Folder, "damaged.zip");
            File.Copy(Path.Combine(_model.Folder, "model.zip"), damaged, overwrite: true);
            using (var zip = ZipFile.Open(damaged, ZipArchiveMode.Update))
            {
                var entry = zip.Entries.Single(e => e.FullName.EndsWith("UmapModel.bin", StringComparison.Ordinal));
                string name = entry.FullName;
                entry.Delete();
                var bytes = new byte[4096];
                new Random(5).NextBytes(bytes);
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }

            var result = UmapTool.Run(_model.Folder, "transform", "digits.csv", "-m", "damaged.zip", "-o", "x.csv");

            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("damaged.zip is not a readable model file: ", result.Error);
            Assert.DoesNotContain("target of an invocation", result.Error);
            Assert.Contains("UMAP", result.Error);
        }

        [Fact]
        public void AnUnnamedFirstColumnIsNamedAlikeByFitAndTransform()
        {
            // pandas writes its index as a first column with no name, and reads it back as "Unnamed: 0".
            var lines = _model.Lines.Take(120).Select((line, r) => $"{r},{line}");
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "pandas.csv"), new[] { "" }.Concat(_model.Header), lines);

            UmapTool.Run(_model.Folder, "fit", "pandas.csv", "--exclude", "Unnamed: 0,id,label", "--epochs", "30", "-o", "pandas.zip", "-q").Succeeded();
            UmapTool.Run(_model.Folder, "transform", "pandas.csv", "-m", "pandas.zip", "-o", "pandas-out.csv", "-q").Succeeded();
            UmapTool.Run(_model.Folder, "fit", "pandas.csv", "--exclude", "id,label", "--epochs", "30", "-o", "pandas-with-index.zip", "-q").Succeeded();
            UmapTool.Run(_model.Folder, "transform", "pandas.csv", "-m", "pandas-with-index.zip", "-o", "pandas-with-index-out.csv", "-q").Succeeded();

            Assert.StartsWith("," + string.Join(",", _model.Header) + ",umap_0,umap_1", File.ReadLines(Path.Combine(_model.Folder, "pandas-out.csv")).First(), StringComparison.Ordinal);
        }

        [Fact]
        public async System.Threading.Tasks.Task ALogThatCannotBeWrittenChangesNothing()
        {
            var output = new StringWriter();
            int exitCode = await UmapCommandLine.RunAsync(
                new[] { "fit", Path.Combine(_model.Folder, "digits.csv"), "--exclude", "id,label", "--sample", "200", "--epochs", "30", "-o", Path.Combine(_model.Folder, "despite-log.zip") },
                output, new FullDisk(), default);

            Assert.Equal(0, exitCode);
            Assert.True(File.Exists(Path.Combine(_model.Folder, "despite-log.zip")));
        }

        private static string WithField(string line, int field, string value)
        {
            var fields = line.Split(',');
            fields[field] = value;
            return string.Join(",", fields);
        }

        /// <summary>A log on a full disk: every write fails.</summary>
        private sealed class FullDisk : TextWriter
        {
            public override Encoding Encoding => Encoding.UTF8;

            public override void Write(char value) => throw new IOException("No space left on device");

            public override void Write(string? value) => throw new IOException("No space left on device");

            public override void WriteLine(string? value) => throw new IOException("No space left on device");
        }
    }
}
#endif
