// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Tests.Helpers;
using Parquet;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// Parquet files that lie about themselves (row counts, value counts, the footer's length, page headers, the
    /// compressed data): each is refused quickly, with exit code 1 and a message naming the file, the row group and
    /// the column, before anything is allocated on its word.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class HostileParquetTests : IClassFixture<ParquetModel>
    {
        private readonly ParquetModel _model;

        public HostileParquetTests(ParquetModel model) => _model = model;

        [Theory]
        [InlineData(1_000_000L, "claims 1,000,000 rows but the column chunk 10 values")]
        [InlineData(20_000_000L, "claims 20,000,000 rows but the column chunk 10 values")]
        [InlineData(11L, "claims 11 rows but the column chunk 10 values")]
        [InlineData(9L, "claims 9 rows but the column chunk 10 values")]
        [InlineData(2_000_000_000L, "claims 2,000,000,000 rows but the column chunk 10 values")]
        [InlineData(-1L, "a row group claims -1 rows")]
        public void ARowGroupClaimingOtherRowsThanItHoldsIsRefused(long claimed, string message)
        {
            var file = ParquetForgery.Write(1, 10, CompressionMethod.Snappy, nullable: false, seed: 2);
            // The row group alone: its claim disagrees with the file's.
            var result = Transform("rows.parquet", ParquetForgery.WithFooterNumber(file, ParquetForgery.RowCount(0), claimed));
            Assert.True(result.Error.Contains($"rows.parquet is not a readable Parquet file: ", StringComparison.Ordinal), result.Error);
            // The file's count too: the row group's column chunks disagree.
            file = ParquetForgery.WithFooterNumber(file, ParquetForgery.FileRowCount, claimed);
            result = Transform("rows.parquet", ParquetForgery.WithFooterNumber(file, ParquetForgery.RowCount(0), claimed));
            Assert.True(result.Error.Contains(message, StringComparison.Ordinal), result.Error);
        }

        [Fact]
        public void PagesThatHoldFewerValuesThanEveryCountClaimsAreRefused()
        {
            // The row group, the column chunks and the pages all say 20 rows; the pages' data holds 10.
            var file = ParquetForgery.Write(1, 10, CompressionMethod.None, nullable: false, seed: 3);
            for (int column = 0; column < 3; column++)
            {
                long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(0, column));
                file = ParquetForgery.WithPageNumber(file, page, ParquetForgery.PageValueCount, 20);
            }
            for (int column = 0; column < 3; column++)
                file = ParquetForgery.WithFooterNumber(file, ParquetForgery.ValueCount(0, column), 20);
            file = ParquetForgery.WithFooterNumber(file, ParquetForgery.RowCount(0), 20);
            file = ParquetForgery.WithFooterNumber(file, ParquetForgery.FileRowCount, 20);

            var result = Transform("consistent-lie.parquet", file);
            Assert.True(result.Error.Contains("row group 0, column 'f0': a page at byte", StringComparison.Ordinal), result.Error);
            Assert.True(result.Error.Contains("claims 20 FLOAT values in 40 bytes", StringComparison.Ordinal), result.Error);
        }

        [Theory]
        [InlineData(0, "id")]
        [InlineData(1, "f0")]
        public void AnOptionalPageWhoseLevelsClaimMoreValuesThanItsBytesHoldIsRefused(int column, string name)
        {
            // 20 rows, the last 10 null: the page's definition levels (a 4-byte length, then run-length encoded)
            // are rewritten to say all 20 are present, while its data still holds 10 values. Parquet.Net takes as
            // many values as the levels say, read or not (its float decoder even reports them read).
            var file = ParquetForgery.Write(1, 20, CompressionMethod.None, nullable: true, seed: 7, nullsFrom: 10, nullFeatures: column != 0);
            long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(0, column));
            int levels = (int)page + ParquetForgery.PageHeaderLength(file, page);
            int levelsLength = BitConverter.ToInt32(file, levels);
            Assert.True(levelsLength >= 2, $"levels of {levelsLength} bytes");
            file.AsSpan(levels + 4, levelsLength).Clear();
            file[levels + 4] = 20 << 1; // a run of 20 ...
            file[levels + 5] = 1; // ... of level 1: present

            var result = Transform($"levels-{name}.parquet", file);
            Assert.True(result.Error.Contains($"levels-{name}.parquet, row group 0, column '{name}': its pages hold fewer values than they claim", StringComparison.Ordinal), result.Error);
        }

        [Fact]
        public void AFooterLongerThanTheFileIsRefusedBeforeItIsRead()
        {
            var file = ParquetForgery.Write(1, 10, CompressionMethod.Snappy, nullable: false, seed: 4);
            var result = Transform("footer.parquet", ParquetForgery.WithFooterLength(file, 2_000_000_000));
            Assert.True(result.Error.Contains("footer.parquet is not a readable Parquet file: its footer claims 2,000,000,000 bytes", StringComparison.Ordinal), result.Error);
        }

        [Fact]
        public void ACorruptPageHeaderNamesTheFileTheRowGroupAndTheColumn()
        {
            var file = ParquetForgery.Write(2, 10, CompressionMethod.Snappy, nullable: true, seed: 5);
            long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(1, 2));
            file[page] = 0xFF;
            file[page + 1] = 0xFF;
            var result = Transform("page-header.parquet", file);
            Assert.True(result.Error.Contains("page-header.parquet, row group 1, column 'f1': the page header at byte", StringComparison.Ordinal), result.Error);
        }

        [Fact]
        public void CorruptCompressedDataNamesTheFileTheRowGroupAndTheColumn()
        {
            var file = ParquetForgery.Write(1, 50, CompressionMethod.Snappy, nullable: false, seed: 6);
            long page = ParquetForgery.FooterNumber(file, ParquetForgery.DataPageOffset(0, 1));
            int data = (int)page + ParquetForgery.PageHeaderLength(file, page);
            while ((file[data++] & 0x80) != 0)
            {
                // the Snappy data's length
            }
            // Its first element: a copy of 4 bytes from 65,535 bytes back, before the data's start.
            file[data] = (3 << 2) | 2;
            file[data + 1] = 0xFF;
            file[data + 2] = 0xFF;
            var result = Transform("snappy.parquet", file);
            Assert.True(result.Error.Contains("snappy.parquet, row group 0, column 'f0': ", StringComparison.Ordinal), result.Error);
        }

        /// <summary>Transforms a forged file; it must be refused as bad input within seconds, leaving no output.</summary>
        private UmapTool.Result Transform(string name, byte[] file)
        {
            File.WriteAllBytes(Path.Combine(_model.Folder, name), file);
            var clock = Stopwatch.StartNew();
            var result = UmapTool.Run(_model.Folder, "transform", name, "-m", "model.zip", "-o", "out-" + name, "-q");
            Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Error}");
            Assert.Contains(name, result.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
            Assert.False(File.Exists(Path.Combine(_model.Folder, "out-" + name)));
            Assert.Empty(Directory.GetFiles(_model.Folder, "*.partial"));
            return result;
        }
    }
}
#endif
