// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.Tool;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Properties
{
    /// <summary>
    /// The tool's transform on generated CSV shards (text columns anywhere, holding commas, quotes and line breaks;
    /// numbers written in many ways; any batch size and thread count): every record comes out exactly as it went in,
    /// followed by the very floats the library's own Transform gives the same features.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class ToolProperties : IClassFixture<DigitsModel>
    {
        private readonly DigitsModel _model;

        public ToolProperties(DigitsModel model) => _model = model;

        private static readonly string[] Texts = { "", "plain", "a,b", "say \"hi\"", "two\nlines", "ünïcödé, ✓", "  spaced  ", "\"\"", "end\n", ",,," };

        private static readonly Gen<(int Rows, int Extra, int Seed, int Batch, int Threads)> Cases =
            Gen.Select(Gen.Int[1, 40], Gen.Int[0, 3], Gen.Int[0, 1_000_000], Gen.Int[1, 50], Gen.Int[1, 2]);

        [Fact]
        public void EveryRecordPassesThroughAndGetsTheLibrarysEmbedding()
        {
            int run = 0;
            Cases.Sample(c =>
            {
                var random = new Random(c.Seed);
                var digits = _model.Digits;
                // Columns: the 64 features in order, with the extra text columns inserted anywhere.
                var columns = Enumerable.Range(0, 64).Select(i => (Name: $"p{i}", Feature: i)).ToList();
                for (int e = 0; e < c.Extra; e++)
                    columns.Insert(random.Next(columns.Count + 1), ($"note {e}, \"x\"", -1));
                var header = string.Join(",", columns.Select(col => Quote(col.Name, force: true)));
                var rows = Enumerable.Range(0, c.Rows).Select(_ => random.Next(digits.Rows)).ToArray();
                var records = rows.Select(r => string.Join(",", columns.Select(col => col.Feature >= 0
                    ? Number(digits.Features[r * 64 + col.Feature], random)
                    : Quote(Texts[random.Next(Texts.Length)], force: random.Next(2) == 0)))).ToArray();

                string name = $"shard-{run++}";
                File.WriteAllText(Path.Combine(_model.Folder, name + ".csv"), header + "\n" + string.Join("\n", records) + (random.Next(2) == 0 ? "\n" : ""), new UTF8Encoding(false));
                UmapTool.Run(_model.Folder, "transform", name + ".csv", "-m", "model.zip", "-o", name + "-out.csv", "-q",
                    "--batch-size", c.Batch.ToString(CultureInfo.InvariantCulture), "--threads", c.Threads.ToString(CultureInfo.InvariantCulture)).Succeeded();

                var expected = new StringBuilder(header + ",umap_0,umap_1\n");
                var embedding = LibraryEmbedding(rows);
                for (int i = 0; i < records.Length; i++)
                    expected.Append(records[i]).Append(',').Append(embedding[i][0].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(embedding[i][1].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                Assert.Equal(expected.ToString(), File.ReadAllText(Path.Combine(_model.Folder, name + "-out.csv")));
            }, iter: 15, threads: 1);
        }

        private float[][] LibraryEmbedding(int[] rows)
        {
            var digits = _model.Digits;
            var data = new InMemoryDataView(rows.Select(r => (Array.Empty<int>(), digits.Features.AsSpan(r * 64, 64).ToArray())).ToList(), labels: null, dimension: 64, sparse: false);
            var transformed = _model.Transformer.Transform(data);
            var column = transformed.Schema[_model.Transformer.OutputColumnName];
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

        private static string Number(float value, Random random) => random.Next(6) switch
        {
            0 => value.ToString("F1", CultureInfo.InvariantCulture),
            1 => " " + value.ToString(CultureInfo.InvariantCulture) + " ",
            2 => "\"" + value.ToString(CultureInfo.InvariantCulture) + "\"",
            3 => value.ToString("E3", CultureInfo.InvariantCulture),
            4 => "+" + value.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };

        private static string Quote(string text, bool force) =>
            force || text.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
#endif
