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
using System.Threading.Tasks;
using CsCheck;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.Tool;
using Parquet;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// The tool's readers and writers on generated files, in-process. The rules of issue 27 are the properties:
    /// records pass through byte for byte whatever they hold and get the library's embedding; a damaged CSV or a
    /// Parquet file that lies about itself (counts, lengths, bytes) is refused as bad input naming the file, in
    /// bounded time, or read whole, never an internal error and never rows the file does not hold; an output that
    /// is the input, a link or a planted file never costs a byte of anything read; nothing is left behind.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class ToolProperties : IClassFixture<DigitsModel>, IClassFixture<ParquetModel>
    {
        /// <summary>Longer than any case takes: a run past it is a hang.</summary>
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

        private static readonly byte[][] Texts =
        {
            ""u8.ToArray(), "plain"u8.ToArray(), "\"a,b\""u8.ToArray(), "\"say \"\"hi\"\"\""u8.ToArray(), "\"two\nlines\""u8.ToArray(),
            "\"two\r\nlines\""u8.ToArray(), "\"ünïcödé, ✓\""u8.ToArray(), "  spaced  "u8.ToArray(), "\"\"\"\""u8.ToArray(),
            new byte[] { 0xE9, 0x74, 0xE9 }, new byte[] { 0xFF, 0xFE, 0x00, 0x80 }, "\"\u001b[31mred\r\""u8.ToArray(), "\",,,\""u8.ToArray(),
        };

        private readonly DigitsModel _digits;
        private readonly ParquetModel _parquet;
        private readonly ITestOutputHelper _output;
        private int _run;

        public ToolProperties(DigitsModel digits, ParquetModel parquet, ITestOutputHelper output)
        {
            _digits = digits;
            _parquet = parquet;
            _output = output;
        }

        private static readonly Gen<(int Rows, int Extra, int Seed, int Batch, int Threads, bool Mark)> CsvCases =
            Gen.Select(Gen.Int[1, 40], Gen.Int[0, 3], Gen.Int[0, 1_000_000], Gen.Int[1, 50], Gen.Int[1, 2], Gen.Bool);

        [Fact]
        public void EveryRecordPassesThroughByteForByteAndGetsTheLibrarysEmbedding() =>
            PropertyRunner.Run(CsvCases, c =>
            {
                var random = new Random(c.Seed);
                var (file, header, records, rows) = Shard(random, c.Rows, c.Extra, c.Mark);
                string name = $"shard-{Interlocked.Increment(ref _run)}";
                File.WriteAllBytes(Path.Combine(_digits.Folder, name + ".csv"), file);

                Run(_digits.Folder, "transform", name + ".csv", "-m", "model.zip", "-o", name + "-out.csv", "-q",
                    "--batch-size", c.Batch.ToString(CultureInfo.InvariantCulture), "--threads", c.Threads.ToString(CultureInfo.InvariantCulture)).Succeeded();

                var expected = new List<byte>(header);
                expected.AddRange(",umap_0,umap_1"u8.ToArray());
                expected.AddRange(records[0].LineEnd.Length > 0 ? records[0].LineEnd : "\n"u8.ToArray());
                var embedding = LibraryEmbedding(rows);
                for (int i = 0; i < records.Count; i++)
                {
                    expected.AddRange(records[i].Bytes);
                    foreach (float value in embedding[i])
                        expected.AddRange(Encoding.ASCII.GetBytes("," + value.ToString("R", CultureInfo.InvariantCulture)));
                    expected.AddRange(records[i].LineEnd.Length > 0 ? records[i].LineEnd : HeaderLineEnd(records));
                }
                Assert.Equal(expected.ToArray(), File.ReadAllBytes(Path.Combine(_digits.Folder, name + "-out.csv")));
                NothingLeftBehind(_digits.Folder);
                return c.Mark ? "passed through, with a byte order mark" : "passed through";
            }, ciCases: 15, _output);

        private static readonly Gen<(int Rows, int Seed, int Mutation)> DamageCases = Gen.Select(Gen.Int[1, 30], Gen.Int[0, 1_000_000], Gen.Int[0, 6]);

        [Fact]
        public void ADamagedCsvIsRefusedByLineOrReadWhole() =>
            PropertyRunner.Run(DamageCases, c =>
            {
                var random = new Random(c.Seed);
                var file = Shard(random, c.Rows, extra: 1, mark: false).File.ToList();
                int at = random.Next(file.Count);
                switch (c.Mutation)
                {
                    case 0: file.Insert(at, (byte)'"'); break; // a stray quote
                    case 1: file.RemoveRange(at, Math.Min(file.Count - at, random.Next(1, 40))); break;
                    case 2: file.InsertRange(at, Enumerable.Range(0, random.Next(1, 20)).Select(_ => (byte)random.Next(256))); break;
                    case 3: file.Insert(at, (byte)','); break;
                    case 4: file.RemoveRange(at, file.Count - at); break; // truncated
                    case 5: file.InsertRange(at, Enumerable.Repeat((byte)'"', random.Next(2, 6))); break;
                    default: file.InsertRange(at, Enumerable.Repeat((byte)'x', 70_000)); break; // a huge cell
                }
                string name = $"damaged-{Interlocked.Increment(ref _run)}";
                File.WriteAllBytes(Path.Combine(_digits.Folder, name + ".csv"), file.ToArray());

                var result = Run(_digits.Folder, "transform", name + ".csv", "-m", "model.zip", "-o", name + "-out.csv", "-q");

                NothingLeftBehind(_digits.Folder);
                if (result.ExitCode == 0)
                {
                    var output = File.ReadAllBytes(Path.Combine(_digits.Folder, name + "-out.csv"));
                    Assert.True(output.Length > file.Count, "the output is shorter than the input");
                    return "read whole";
                }
                Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Error}");
                Assert.Contains(name + ".csv", result.Error);
                Assert.True(result.Error.Length < 2000, $"a message of {result.Error.Length} characters");
                Assert.DoesNotContain('\u001b', result.Error);
                Assert.False(File.Exists(Path.Combine(_digits.Folder, name + "-out.csv")));
                return "refused";
            }, ciCases: 40, _output);

        private static readonly Gen<(int Groups, int Rows, bool Nullable, int Compression, int Forgery, int Seed)> ParquetCases =
            Gen.Select(Gen.Int[1, 3], Gen.Int[1, 30], Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 7], Gen.Int[0, 1_000_000]);

        private static readonly long[] Claims = { 0, 1, -1, 9, 11, 1_000_000, 20_000_000, 2_000_000_000, int.MaxValue + 1L, long.MaxValue, long.MinValue };

        [Fact]
        public void AParquetFileThatLiesIsRefusedOrReadWhole() =>
            PropertyRunner.Run(ParquetCases, c =>
            {
                var random = new Random(c.Seed);
                var compression = new[] { CompressionMethod.None, CompressionMethod.Snappy, CompressionMethod.Gzip, CompressionMethod.Zstd }[c.Compression];
                int nullsFrom = c.Nullable ? random.Next(c.Rows + 1) : int.MaxValue;
                bool nulls = nullsFrom < c.Rows;
                var file = ParquetForgery.Write(c.Groups, c.Rows, compression, c.Nullable, c.Seed, nullsFrom);
                int group = random.Next(c.Groups), column = random.Next(3);
                string forgery;
                switch (c.Forgery)
                {
                    case 0:
                        forgery = "a row count";
                        file = ParquetForgery.WithFooterNumber(file, ParquetForgery.RowCount(group), Claims[random.Next(Claims.Length)]);
                        break;
                    case 1:
                        forgery = "a column's value count";
                        file = ParquetForgery.WithFooterNumber(file, ParquetForgery.ValueCount(group, column), Claims[random.Next(Claims.Length)]);
                        break;
                    case 2:
                        forgery = "the footer's length";
                        file = ParquetForgery.WithFooterLength(file, (uint)random.NextInt64(uint.MaxValue + 1L));
                        break;
                    case 3:
                    {
                        forgery = "a page's value count";
                        long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(group, column));
                        try
                        {
                            file = ParquetForgery.WithPageNumber(file, page, ParquetForgery.PageValueCount, Math.Max(0, c.Rows + random.Next(-3, 4)));
                        }
                        catch (ArgumentException)
                        {
                            forgery = "no forgery (a page's value count of another length)";
                        }
                        break;
                    }
                    case 4:
                        forgery = "flipped bytes";
                        for (int i = random.Next(1, 9); i > 0; i--)
                            file[random.Next(file.Length)] ^= (byte)random.Next(1, 256);
                        break;
                    case 5:
                        forgery = "a truncation";
                        file = file[..random.Next(file.Length)];
                        break;
                    case 6:
                    {
                        forgery = "flipped bytes in a page";
                        long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(group, column));
                        for (int i = random.Next(1, 4); i > 0; i--)
                            file[page + random.Next(60)] ^= (byte)random.Next(1, 256);
                        break;
                    }
                    default:
                        forgery = "no forgery";
                        break;
                }
                string name = $"lying-{Interlocked.Increment(ref _run)}";
                File.WriteAllBytes(Path.Combine(_parquet.Folder, name + ".parquet"), file);

                var result = Run(_parquet.Folder, "transform", name + ".parquet", "-m", "model.zip", "-o", name + "-out.parquet", "-q");

                NothingLeftBehind(_parquet.Folder);
                if (result.ExitCode == 0)
                {
                    // Whatever the file's bytes now say, it must not gain or lose a row.
                    var reader = ParquetReader.CreateAsync(Path.Combine(_parquet.Folder, name + "-out.parquet")).GetAwaiter().GetResult();
                    long rows = reader.RowGroups.Sum(g => g.RowCount);
                    reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    Assert.Equal((long)c.Groups * c.Rows, rows);
                    return $"read whole ({forgery})";
                }
                if (nulls && result.Error.Contains("the value is missing (null)", StringComparison.Ordinal))
                {
                    Assert.Contains(name + ".parquet", result.Error);
                    return $"refused for a null feature ({forgery})";
                }
                Assert.True(result.ExitCode == 1, $"{forgery}: exit code {result.ExitCode}: {result.Error}");
                if (forgery.StartsWith("no forgery", StringComparison.Ordinal))
                {
                    // A file as Parquet.Net writes it is refused only for its null features.
                    Assert.True(nulls, result.Error);
                    Assert.Contains("column 'f0': the value is missing (null)", result.Error);
                }
                Assert.Contains(name + ".parquet", result.Error);
                Assert.False(File.Exists(Path.Combine(_parquet.Folder, name + "-out.parquet")));
                return $"refused ({forgery})";
            }, ciCases: 60, _output);

        private static readonly Gen<(int Output, int Command, int Seed)> PathCases = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 2], Gen.Int[0, 1_000_000]);

        [SkippableFact]
        public void NoOutputPathCostsAByteOfWhatIsRead()
        {
            Skip.If(OperatingSystem.IsWindows(), "Makes symbolic and hard links.");
            PropertyRunner.Run(PathCases, c =>
            {
                string folder = Path.Combine(_digits.Folder, $"paths-{Interlocked.Increment(ref _run)}");
                Directory.CreateDirectory(Path.Combine(folder, "sub"));
                UmapTool.WriteCsv(Path.Combine(folder, "in.csv"), _digits.Header, _digits.Lines.Take(30));
                File.Copy(Path.Combine(_digits.Folder, "model.zip"), Path.Combine(folder, "model.zip"));
                File.WriteAllText(Path.Combine(folder, "victim.txt"), "precious");
                File.WriteAllText(Path.Combine(folder, "existing.csv"), "old output");
                var before = Directory.GetFiles(folder).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)).ToDictionary(f => f, File.ReadAllBytes);

                string extension = c.Command == 2 ? ".png" : c.Command == 0 ? ".zip" : ".csv";
                bool isInput = false;
                string output;
                switch (c.Output)
                {
                    case 0: output = "in.csv"; isInput = true; break;
                    case 1: File.CreateSymbolicLink(Path.Combine(folder, "link" + extension), "in.csv"); output = "link" + extension; isInput = true; break;
                    case 2: HardLink(Path.Combine(folder, "in.csv"), Path.Combine(folder, "hard" + extension)); output = "hard" + extension; isInput = true; break;
                    case 3: output = "sub/../in.csv"; isInput = true; break;
                    case 4: File.CreateSymbolicLink(Path.Combine(folder, "to-victim" + extension), "victim.txt"); output = "to-victim" + extension; break;
                    case 5: output = "new" + extension; File.CreateSymbolicLink(Path.Combine(folder, output + ".partial"), "victim.txt"); break;
                    case 6: output = c.Command == 1 ? "existing.csv" : "existing" + extension; break;
                    default: File.CreateSymbolicLink(Path.Combine(folder, "to-model.csv"), "model.zip"); output = "to-model.csv"; isInput = c.Command == 1; break;
                }
                var arguments = c.Command switch
                {
                    0 => new[] { "fit", "in.csv", "--exclude", "id,label", "--epochs", "20", "-o", output, "-q" },
                    1 => new[] { "transform", "in.csv", "-m", "model.zip", "-o", output, "-q" },
                    _ => new[] { "plot", "in.csv", "--columns", "p0,p1", "-o", output },
                };
                bool extensionFits = c.Command == 0 || output.EndsWith(extension, StringComparison.Ordinal);

                var result = Run(folder, arguments);

                foreach (var (path, bytes) in before)
                {
                    if (!path.EndsWith("existing.csv", StringComparison.Ordinal) || result.ExitCode != 0)
                        Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{Path.GetFileName(path)} changed");
                }
                Assert.Empty(Directory.GetFiles(folder, ".*.partial"));
                if (!extensionFits)
                {
                    Assert.True(result.ExitCode == 2, result.Error);
                    return "refused: the output's extension";
                }
                if (isInput)
                {
                    Assert.True(result.ExitCode == 2, $"{string.Join(' ', arguments)}: exit code {result.ExitCode}: {result.Error}");
                    Assert.Contains("is the input", result.Error);
                    return "refused: the output is an input";
                }
                result.Succeeded();
                Assert.Null(new FileInfo(Path.Combine(folder, output)).LinkTarget);
                return "written";
            }, ciCases: 30, _output);
        }

        /// <summary>A generated CSV shard of digits with text columns anywhere: the file's bytes, its header, its records and the digits' rows they hold.</summary>
        private (byte[] File, byte[] Header, List<(byte[] Bytes, byte[] LineEnd)> Records, int[] Rows) Shard(Random random, int rowCount, int extra, bool mark)
        {
            var digits = _digits.Digits;
            var columns = Enumerable.Range(0, 64).Select(i => (Name: $"p{i}", Feature: i)).ToList();
            for (int e = 0; e < extra; e++)
                columns.Insert(random.Next(columns.Count + 1), ($"\"note {e}, \"\"x\"\"\"", -1));
            var header = Encoding.UTF8.GetBytes(string.Join(",", columns.Select(col => col.Name)));
            var rows = Enumerable.Range(0, rowCount).Select(_ => random.Next(digits.Rows)).ToArray();
            var lineEnds = new[] { "\n"u8.ToArray(), "\r\n"u8.ToArray() };
            var records = rows.Select(r =>
            {
                var record = new List<byte>();
                foreach (var col in columns)
                {
                    if (col != columns[0])
                        record.Add((byte)',');
                    record.AddRange(col.Feature >= 0 ? Encoding.ASCII.GetBytes(Number(digits.Features[r * 64 + col.Feature], random))
                        : random.Next(30) == 0 ? HugeText(random) : Texts[random.Next(Texts.Length)]);
                }
                return (record.ToArray(), lineEnds[random.Next(2)]);
            }).ToList();
            if (random.Next(3) == 0)
                records[^1] = (records[^1].Item1, Array.Empty<byte>()); // no line break at the end of the file
            var file = new List<byte>();
            if (mark)
                file.AddRange(new byte[] { 0xEF, 0xBB, 0xBF });
            file.AddRange(header);
            file.AddRange(records[0].Item2.Length > 0 ? records[0].Item2 : "\n"u8.ToArray());
            foreach (var (bytes, lineEnd) in records)
            {
                file.AddRange(bytes);
                file.AddRange(lineEnd);
                if (random.Next(8) == 0 && lineEnd.Length > 0)
                    file.AddRange(lineEnd); // a blank line, which is not a row
            }
            return (file.ToArray(), mark ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(header).ToArray() : header, records, rows);
        }

        /// <summary>A quoted field of 10 to 100 KB of any bytes but quotes: line breaks, commas, bytes that are not UTF-8.</summary>
        private static byte[] HugeText(Random random)
        {
            var text = new byte[random.Next(10_000, 100_000)];
            random.NextBytes(text);
            text.AsSpan().Replace((byte)'"', (byte)'q');
            return new[] { (byte)'"' }.Concat(text).Append((byte)'"').ToArray();
        }

        /// <summary>The line break the header of a generated shard has (that of its first record).</summary>
        private static byte[] HeaderLineEnd(List<(byte[] Bytes, byte[] LineEnd)> records) => records[0].LineEnd.Length > 0 ? records[0].LineEnd : "\n"u8.ToArray();

        private float[][] LibraryEmbedding(int[] rows)
        {
            var digits = _digits.Digits;
            var data = new InMemoryDataView(rows.Select(r => (Array.Empty<int>(), digits.Features.AsSpan(r * 64, 64).ToArray())).ToList(), labels: null, dimension: 64, sparse: false);
            var transformed = _digits.Transformer.Transform(data);
            var column = transformed.Schema[_digits.Transformer.OutputColumnName];
            var result = new List<float[]>();
            using var cursor = transformed.GetRowCursor(new[] { column });
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                result.Add(value.DenseValues().ToArray());
            }
            return result.ToArray();
        }

        /// <summary>Runs a command in-process; one that does not finish in <see cref="Patience"/> fails the case as a hang.</summary>
        private static UmapTool.Result Run(string folder, params string[] arguments)
        {
            var clock = Stopwatch.StartNew();
            var run = Task.Run(() => UmapTool.Run(folder, arguments));
            Assert.True(run.Wait(Patience), $"umap {string.Join(' ', arguments)} still ran after {Patience.TotalSeconds} s");
            var result = run.Result;
            Assert.True(result.ExitCode is 0 or 1 or 2, $"exit code {result.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s: {result.Error}");
            return result;
        }

        private static void NothingLeftBehind(string folder) => Assert.Empty(Directory.GetFiles(folder, ".*.partial"));

        private static string Number(float value, Random random) => random.Next(6) switch
        {
            0 => value.ToString("F1", CultureInfo.InvariantCulture),
            1 => " " + value.ToString(CultureInfo.InvariantCulture) + " ",
            2 => "\"" + value.ToString(CultureInfo.InvariantCulture) + "\"",
            3 => value.ToString("E3", CultureInfo.InvariantCulture),
            4 => "+" + value.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };

        private static void HardLink(string target, string name)
        {
            using var ln = Process.Start("ln", new[] { target, name })!;
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }
    }
}
#endif
