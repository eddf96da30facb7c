using System;
using System.Linq;
using CsCheck;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// The quality measures are public API too: on any arrays (ragged, empty, non-finite, huge values, labels of the
    /// wrong length, k or folds out of range) they return a score in range or throw an argument exception; a sparse
    /// column scores what its dense values score.
    /// </summary>
    public class MetricsProperties
    {
        private readonly ITestOutputHelper _output;

        public MetricsProperties(ITestOutputHelper output) => _output = output;

        /// <summary>A matrix of the given shape, sometimes spoiled: one ragged or null row, a NaN, an infinity or an overflowing value.</summary>
        public sealed record Matrix(int Rows, int Columns, int Spoil, int Seed)
        {
            public float[][] Build()
            {
                var rng = new Random(Seed);
                float[][] rows = Enumerable.Range(0, Rows).Select(_ => Enumerable.Range(0, Columns).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray()).ToArray();
                if (Rows == 0)
                    return rows;
                int i = rng.Next(Rows);
                switch (Spoil)
                {
                    case 1: rows[i] = new float[Columns + 1]; break;
                    case 2: rows[i] = null!; break; // deliberately null: the metrics must name it
                    case 3 when Columns > 0: rows[i][0] = float.NaN; break;
                    case 4 when Columns > 0: rows[i][0] = float.NegativeInfinity; break;
                    case 5 when Columns > 0: rows[i][0] = 3e38f; break;
                    case 6: rows = rows.Select(r => r.Select(_ => 1f).ToArray()).ToArray(); break; // all identical
                }
                return rows;
            }
        }

        private static readonly Gen<Matrix> Matrices =
            Gen.Select(Gen.Int[0, 80], Gen.Int[0, 6], Gen.Frequency((5, Gen.Const(0)), (1, Gen.Int[1, 6])), Gen.Int[0, 100_000])
                .Select((rows, columns, spoil, seed) => new Matrix(rows, columns, spoil, seed));

        private static readonly Gen<(Matrix Input, Matrix Embedding, int Neighbors, int Folds, int? Sample, int LabelCount, int Classes)> Cases =
            Gen.Select(Matrices, Matrices, Gen.Int[-2, 50], Gen.Int[-1, 12], Gen.Frequency((3, Gen.Const((int?)null)), (1, Gen.Int[-3, 100].Select(s => (int?)s))), Gen.Int[-1, 3], Gen.Int[1, 5]);

        [Fact]
        public void ScoresAreInRangeOrTheArgumentsAreRefused() =>
            PropertyRunner.Run(Cases, c =>
            {
                var input = c.Input.Build();
                var embedding = c.Embedding.Build();
                int labelCount = c.LabelCount < 0 ? 0 : embedding.Length + (c.LabelCount == 3 ? 1 : 0);
                var labels = Enumerable.Range(0, labelCount).Select(i => i % c.Classes).ToArray();
                double score = double.NaN;
                var refused = PropertyRunner.ContractOnly(() => score = UmapMetrics.Trustworthiness(input, embedding, c.Neighbors, c.Sample));
                if (refused is null)
                    Assert.InRange(score, -1e-9, 1 + 1e-9);
                var knnRefused = PropertyRunner.ContractOnly(() => score = UmapMetrics.KnnAccuracy(embedding, labels, c.Neighbors, c.Folds));
                if (knnRefused is null)
                    Assert.InRange(score, 0, 1);
                var testLabels = Enumerable.Range(0, input.Length).Select(i => i % c.Classes).ToArray();
                var splitRefused = PropertyRunner.ContractOnly(() => score = UmapMetrics.KnnAccuracy(embedding, labels, input, testLabels, c.Neighbors));
                if (splitRefused is null)
                    Assert.InRange(score, 0, 1);
                return $"trustworthiness {(refused is null ? "scored" : "refused")}, kNN {(knnRefused is null ? "scored" : "refused")}, train/test kNN {(splitRefused is null ? "scored" : "refused")}";
            }, ciCases: 400, _output);

        public sealed class SparseRow
        {
            public VBuffer<float> Features { get; set; }

            public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        private static readonly Gen<(int Rows, int Width, int NonZeros, int Neighbors, int Spoil, int Seed)> SparseCases =
            Gen.Select(Gen.Int[1, 60], Gen.Int[100, 5000], Gen.Int[0, 5], Gen.Int[1, 12], Gen.Frequency((5, Gen.Const(0)), (1, Gen.Int[1, 2])), Gen.Int[0, 100_000]);

        /// <summary>
        /// Trustworthiness of a sparse column (stored sparse, measured on its non-zeros) equals that of its dense values,
        /// ties included (small integers: every distance sums exactly either way), or both forms refuse the data.
        /// </summary>
        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void ASparseColumnScoresWhatItsDenseValuesScore() =>
            PropertyRunner.Run(SparseCases, c =>
            {
                var rng = new Random(c.Seed);
                var rows = Enumerable.Range(0, c.Rows).Select(_ =>
                {
                    var positions = Enumerable.Range(0, c.NonZeros).Select(_ => rng.Next(c.Width)).Distinct().OrderBy(p => p).ToArray();
                    var values = positions.Select(_ => (float)(rng.Next(1, 4) * (rng.Next(2) == 0 ? -1 : 1))).ToArray();
                    return new SparseRow { Features = new VBuffer<float>(c.Width, positions.Length, values, positions), Embedding = new[] { (float)rng.Next(8), (float)rng.Next(8) } };
                }).ToList();
                var spoilt = rows[rng.Next(c.Rows)];
                if (c.Spoil > 0)
                    spoilt.Features = new VBuffer<float>(c.Width, 1, new[] { c.Spoil == 1 ? float.NaN : 3e38f }, new[] { rng.Next(c.Width) });
                var ml = new MLContext(seed: 1);
                var definition = SchemaDefinition.Create(typeof(SparseRow));
                definition[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, c.Width);
                definition[nameof(SparseRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
                var data = ml.Data.LoadFromEnumerable(rows, definition);

                double dense = double.NaN, sparse = double.NaN;
                var denseRefused = PropertyRunner.ContractOnly(() => dense = UmapMetrics.Trustworthiness(rows.Select(r => r.Features.DenseValues().ToArray()).ToArray(), rows.Select(r => r.Embedding).ToArray(), c.Neighbors));
                var sparseRefused = PropertyRunner.ContractOnly(() => sparse = UmapMetrics.Trustworthiness(data, nameof(SparseRow.Features), nameof(SparseRow.Embedding), c.Neighbors));
                Assert.True((denseRefused is null) == (sparseRefused is null), $"Dense: {denseRefused?.Message ?? dense.ToString()}; sparse: {sparseRefused?.Message ?? sparse.ToString()}");
                if (denseRefused != null)
                    return "both refused";
                Assert.Equal(dense, sparse);
                return "same score";
            }, ciCases: 100, _output);
    }
}
