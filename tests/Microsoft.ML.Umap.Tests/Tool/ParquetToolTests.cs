// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tests.Helpers;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// Parquet through the tool: columns of several types read as features, every column passed through as stored,
    /// row group by row group, and the same embedding as the same rows in CSV.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class ParquetToolTests
    {
        [Fact]
        public async Task ParquetShardsGetTheSameEmbeddingAsCsvAndKeepEveryColumn()
        {
            string folder = UmapTool.TemporaryFolder();
            try
            {
                var (header, lines, digits) = UmapTool.DigitsCsv();
                UmapTool.WriteCsv(Path.Combine(folder, "digits.csv"), header, lines);
                await WriteDigitsParquet(Path.Combine(folder, "digits.parquet"), digits, nullAt: -1);
                UmapTool.Run(folder, "fit", "digits.parquet", "--exclude", "id,label", "--sample", "900", "--seed", "5", "-o", "model.zip", "-q").Succeeded();
                UmapTool.Run(folder, "transform", "digits.csv", "-m", "model.zip", "-o", "embedded.csv", "-q").Succeeded();
                UmapTool.Run(folder, "transform", "digits.parquet", "-m", "model.zip", "-o", "embedded.parquet", "-q").Succeeded();

                await using var reader = await ParquetReader.CreateAsync(Path.Combine(folder, "embedded.parquet"));
                Assert.Equal(header.Append("umap_0").Append("umap_1").ToArray(), reader.Schema.DataFields.Select(f => f.Name).ToArray());
                Assert.Equal(2, reader.RowGroupCount);
                var ids = new string?[digits.Rows];
                var labels = new int[digits.Rows];
                var x = new float[digits.Rows];
                var y = new float[digits.Rows];
                var wide = new double?[digits.Rows];
                int offset = 0;
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = reader.OpenRowGroupReader(g);
                    int rows = (int)group.RowCount;
                    var fields = reader.Schema.DataFields;
                    await group.ReadAsync(fields[0], ids.AsMemory(offset, rows));
                    await group.ReadAsync<double>(fields[40], wide.AsMemory(offset, rows));
                    await group.ReadAsync<int>(fields[^3], labels.AsMemory(offset, rows));
                    await group.ReadAsync<float>(fields[^2], x.AsMemory(offset, rows));
                    await group.ReadAsync<float>(fields[^1], y.AsMemory(offset, rows));
                    offset += rows;
                }
                Assert.Equal(digits.Rows, offset);
                Assert.Equal(Enumerable.Range(0, digits.Rows).Select(r => $"d{r}").ToArray(), ids);
                Assert.Equal(digits.Labels, labels);
                Assert.Equal(Enumerable.Range(0, digits.Rows).Select(r => (double?)digits.Features[r * 64 + 39]).ToArray(), wide);

                var fromCsv = UmapTool.Embedding(Path.Combine(folder, "embedded.csv"));
                for (int r = 0; r < digits.Rows; r++)
                {
                    Assert.Equal(fromCsv[r][0], x[r]);
                    Assert.Equal(fromCsv[r][1], y[r]);
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public async Task ANullFeatureOrANestedColumnIsRefusedByName()
        {
            string folder = UmapTool.TemporaryFolder();
            try
            {
                var (_, _, digits) = UmapTool.DigitsCsv();
                await WriteDigitsParquet(Path.Combine(folder, "with-null.parquet"), digits, nullAt: 1500);
                var result = UmapTool.Run(folder, "fit", "with-null.parquet", "--exclude", "id,label", "-o", "model.zip", "-q");
                Assert.Equal(1, result.ExitCode);
                Assert.Contains("row 1501 (row group 1), column 'p39': the value is missing (null)", result.Error);

                File.WriteAllText(Path.Combine(folder, "broken.parquet"), "PAR1 this is not parquet PAR1");
                result = UmapTool.Run(folder, "fit", "broken.parquet", "-o", "model.zip", "-q");
                Assert.Equal(1, result.ExitCode);
                Assert.Contains("broken.parquet is not a readable Parquet file", result.Error);
                Assert.DoesNotContain("   at ", result.Error);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        /// <summary>
        /// id (string), p0..p31 float, p32..p62 nullable double, p63 int, label int; two row groups (1,000 and the rest).
        /// A null goes into p39 at row <paramref name="nullAt"/> when it is not negative.
        /// </summary>
        private static async Task WriteDigitsParquet(string path, Samples.LabelledData digits, int nullAt)
        {
            var fields = new Field[] { new DataField<string>("id") }
                .Concat(Enumerable.Range(0, 32).Select(i => new DataField<float>($"p{i}")))
                .Concat(Enumerable.Range(32, 31).Select(i => new DataField<double?>($"p{i}")))
                .Append(new DataField<int>("p63"))
                .Append(new DataField<int>("label"))
                .ToArray();
            var schema = new ParquetSchema(fields);
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            foreach (var (first, count) in new[] { (0, 1000), (1000, digits.Rows - 1000) })
            {
                using var group = writer.CreateRowGroup();
                var rows = Enumerable.Range(first, count).ToArray();
                await group.WriteAsync((DataField)fields[0], rows.Select(r => (string?)$"d{r}").ToArray());
                for (int c = 0; c < 64; c++)
                {
                    var field = (DataField)fields[c + 1];
                    if (c < 32)
                        await group.WriteAsync<float>(field, rows.Select(r => digits.Features[r * 64 + c]).ToArray().AsMemory());
                    else if (c < 63)
                        await group.WriteAsync<double>(field, rows.Select(r => r == nullAt && c == 39 ? null : (double?)digits.Features[r * 64 + c]).ToArray().AsMemory());
                    else
                        await group.WriteAsync<int>(field, rows.Select(r => (int)digits.Features[r * 64 + c]).ToArray().AsMemory());
                }
                await group.WriteAsync<int>((DataField)fields[^1], rows.Select(r => digits.Labels[r]).ToArray().AsMemory());
            }
        }
    }
}
#endif
