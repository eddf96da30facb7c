// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// CSV records pass through byte for byte (bytes that are not UTF-8, line breaks inside quotes, CRLF line ends,
    /// a byte order mark), the reader takes one pass whatever the quoting, and the embedding's column names never
    /// need quoting.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class CsvPassThroughTests : IClassFixture<DigitsModel>
    {
        private readonly DigitsModel _model;

        public CsvPassThroughTests(DigitsModel model) => _model = model;

        [Fact]
        public void RecordsComeOutByteForByteWhateverTheyHold()
        {
            byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
            var notes = new[]
            {
                new byte[] { (byte)'c', 0xE9, (byte)'t', 0xE9 }, // Latin-1 'été', not UTF-8
                Text("\"two\r\nlines, with a comma\""),
                Text("\"a \"\"quoted\"\" word\""),
                new byte[] { 0xFF, 0xFE, 0x80 },
                Text("\"\u001b[31mred\u001b[0m\""),
                Text("plain"),
            };
            var header = Text("note,").Concat(Text(string.Join(",", _model.Header.Skip(1).SkipLast(1)))).ToArray();
            var records = new List<(byte[] Record, byte[] LineEnd)>();
            for (int r = 0; r < 12; r++)
            {
                var features = Text(string.Join(",", _model.Lines[r].Split(',').Skip(1).SkipLast(1)));
                records.Add((notes[r % notes.Length].Append((byte)',').Concat(features).ToArray(), r % 3 == 0 ? Text("\n") : Text("\r\n")));
            }
            var file = new List<byte>(new byte[] { 0xEF, 0xBB, 0xBF });
            file.AddRange(header);
            file.AddRange(Text("\r\n"));
            foreach (var (record, lineEnd) in records)
                file.AddRange(record.Concat(lineEnd));
            file.AddRange(Text("\r\n")); // a blank line is not a row
            File.WriteAllBytes(Path.Combine(_model.Folder, "bytes.csv"), file.ToArray());

            UmapTool.Run(_model.Folder, "transform", "bytes.csv", "-m", "model.zip", "-o", "bytes-out.csv", "-q", "--batch-size", "5").Succeeded();

            var output = File.ReadAllBytes(Path.Combine(_model.Folder, "bytes-out.csv"));
            int at = 0;
            Expect(output, ref at, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(header).Concat(Text(",umap_0,umap_1\r\n")).ToArray());
            foreach (var (record, lineEnd) in records)
            {
                Expect(output, ref at, record);
                for (int component = 0; component < 2; component++)
                {
                    Expect(output, ref at, Text(","));
                    int start = at;
                    while (at < output.Length && "0123456789.-+E".Contains((char)output[at], StringComparison.Ordinal))
                        at++;
                    Assert.True(float.TryParse(output.AsSpan(start, at - start), System.Globalization.CultureInfo.InvariantCulture, out _), $"no number at byte {start}");
                }
                Expect(output, ref at, lineEnd);
            }
            Assert.Equal(output.Length, at);
        }

        [Fact]
        public void AStrayQuoteCostsOnePassAndNamesTheLineItOpensOn()
        {
            // 50,000 lines after a field that opens a quote and never closes it: the reader joined lines one at a
            // time and counted the quotes of the whole record each time (quadratic: 26 s for 20,000 lines).
            var lines = _model.Lines.Take(2).Append("\"" + _model.Lines[2]).Concat(Enumerable.Repeat(_model.Lines[3], 50_000));
            UmapTool.WriteCsv(Path.Combine(_model.Folder, "stray.csv"), _model.Header, lines);

            var clock = Stopwatch.StartNew();
            var result = UmapTool.Run(_model.Folder, "transform", "stray.csv", "-m", "model.zip", "-o", "stray-out.csv", "-q");

            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("stray.csv, line 4: a quoted field opens here and is never closed (the file ends inside it).", result.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed.TotalSeconds:F1} s");
        }

        [Theory]
        [InlineData("x,y")]
        [InlineData("say \"")]
        [InlineData("line\nbreak")]
        [InlineData(" padded")]
        public void AnEmbeddingNameThatWouldNeedQuotingIsRefused(string prefix)
        {
            var result = UmapTool.Run(_model.Folder, "transform", "digits.csv", "-m", "model.zip", "-o", "never.csv", "--column-prefix", prefix);

            Assert.True(result.ExitCode == 2, result.Error);
            Assert.Contains("--column-prefix", result.Error);
            Assert.False(File.Exists(Path.Combine(_model.Folder, "never.csv")));
        }

        private static void Expect(byte[] output, ref int at, byte[] expected)
        {
            Assert.True(output.AsSpan(at).StartsWith(expected), $"at byte {at}: expected {Convert.ToHexString(expected)}, found {Convert.ToHexString(output.AsSpan(at, Math.Min(expected.Length + 8, output.Length - at)))}");
            at += expected.Length;
        }
    }
}
#endif
