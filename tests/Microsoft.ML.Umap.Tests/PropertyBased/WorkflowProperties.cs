using System;
using System.Linq;
using CsCheck;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// The workflows on generated input: a distance matrix (sometimes not square, with a non-zero diagonal, a negative
    /// or non-finite entry) or precomputed neighbours (sometimes out of range, repeated, unsorted, too few, or missing
    /// a column) either fit to a finite embedding whose graph is symmetric, or are refused with a contract exception.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class WorkflowProperties
    {
        private readonly ITestOutputHelper _output;

        public WorkflowProperties(ITestOutputHelper output) => _output = output;

        public sealed class NeighborRow
        {
            public float[] Features { get; set; } = Array.Empty<float>();
            public int[] Neighbors { get; set; } = Array.Empty<int>();
            public float[] Distances { get; set; } = Array.Empty<float>();
        }

        public sealed class EmbeddingRow
        {
            public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        private static readonly SchemaDefinition EmbeddingSchema = CreateEmbeddingSchema();

        private static SchemaDefinition CreateEmbeddingSchema()
        {
            var definition = SchemaDefinition.Create(typeof(EmbeddingRow));
            definition[nameof(EmbeddingRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
            return definition;
        }

        private static readonly Gen<(int Rows, int K, int Spoil, int Seed)> Cases =
            Gen.Select(Gen.Int[1, 60], Gen.Int[2, 12], Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[1, 6])), Gen.Int[0, 100_000]);

        private static readonly Gen<(int Rows, int K, int Spoil, int Seed)> NeighbourCases =
            Gen.Select(Gen.Int[1, 60], Gen.Int[2, 12], Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[1, 9])), Gen.Int[0, 100_000]);

        private static float[] Points(int rows, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, rows * 3).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        }

        [Fact]
        public void DistanceMatricesFitOrAreRefused() =>
            PropertyRunner.Run(Cases, c =>
            {
                var points = new DenseVectorSet(new RowMatrix(Points(c.Rows, c.Seed), c.Rows, 3));
                var euclidean = new ExactNearestNeighbors<EuclideanDistance>(points, default, 1);
                int columns = c.Spoil == 1 ? c.Rows + 1 : c.Rows;
                var matrix = new float[c.Rows * columns];
                for (int i = 0; i < c.Rows; i++)
                {
                    for (int j = 0; j < columns; j++)
                        matrix[i * columns + j] = j < c.Rows ? euclidean.Measure(points[i], points[j]) : 1f;
                }
                int spoilt = c.Seed % c.Rows;
                switch (c.Spoil)
                {
                    case 2: matrix[spoilt * columns + spoilt] = 0.5f; break;
                    case 3: matrix[spoilt * columns + (spoilt + 1) % columns] = -1f; break;
                    case 4: matrix[spoilt * columns + (spoilt + 1) % columns] = float.NaN; break;
                }
                var ml = new MLContext(seed: 1);
                UmapTransformer? model = null;
                var refused = PropertyRunner.ContractOnly(() => model = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Precomputed, NumberOfNeighbors = c.K, NumberOfEpochs = 20 })
                    .Fit(MlNetData.Load(ml, new RowMatrix(matrix, c.Rows, columns))));
                bool valid = c.Spoil is 0 or 5 or 6 || (c.Spoil == 3 && c.Rows == 1);
                if (refused != null)
                {
                    Assert.False(valid && c.Rows > 1, $"A valid distance matrix was refused: {refused.Message}");
                    return "refused";
                }
                Assert.True(valid, "A spoilt distance matrix was accepted.");
                AssertFitted(model!);
                return "fitted";
            }, ciCases: 80, _output);

        private static readonly Gen<(int Rows, int K, int Power, int Seed)> ScaleCases =
            Gen.Select(Gen.Int[8, 60], Gen.Int[2, 12], Gen.Int[-30, 30], Gen.Int[0, 100_000]);

        /// <summary>
        /// Distances are scale-free up to the smooth-kNN normalisation: a distance matrix times any power of ten that
        /// keeps its entries normal floats gives the same neighbours and the same fuzzy graph (to its search's
        /// tolerance), so the layout gets the same input (on a few dozen rows its outcome varies more from seed to seed
        /// than any such difference moves it; PrecomputedDistancesTests compares the digits' embeddings).
        /// </summary>
        [Fact]
        public void ScaledDistanceMatricesGiveTheSameNeighboursAndGraph() =>
            PropertyRunner.Run(ScaleCases, c =>
            {
                var points = Points(c.Rows, c.Seed);
                var set = new DenseVectorSet(new RowMatrix(points, c.Rows, 3));
                var euclidean = new ExactNearestNeighbors<EuclideanDistance>(set, default, 1);
                float scale = (float)Math.Pow(10, c.Power);
                var matrix = new float[c.Rows * c.Rows];
                var scaled = new float[matrix.Length];
                for (int i = 0; i < c.Rows; i++)
                {
                    for (int j = 0; j < c.Rows; j++)
                    {
                        matrix[i * c.Rows + j] = euclidean.Measure(set[i], set[j]);
                        scaled[i * c.Rows + j] = matrix[i * c.Rows + j] * scale;
                    }
                }
                var ml = new MLContext(seed: 1);
                UmapTransformer Fit(float[] distances) => ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Precomputed, NumberOfNeighbors = c.K, NumberOfEpochs = 20 })
                    .Fit(MlNetData.Load(ml, new RowMatrix(distances, c.Rows, c.Rows)));
                var reference = Fit(matrix);
                var model = Fit(scaled);
                AssertFitted(model);
                Assert.Equal(reference.GetNeighborIndices(), model.GetNeighborIndices());
                var (expected, actual) = (reference.GetGraph(), model.GetGraph());
                Assert.Equal(expected.ColumnIndices, actual.ColumnIndices);
                for (int e = 0; e < expected.Weights.Length; e++)
                    Assert.True(Math.Abs(expected.Weights[e] - actual.Weights[e]) < 1e-3, $"Edge entry {e}: weight {actual.Weights[e]} scaled by 1e{c.Power}, {expected.Weights[e]} unscaled");
                return "same neighbours and graph";
            }, ciCases: 40, _output);

        [Fact]
        public void PrecomputedNeighboursFitOrAreRefused() =>
            PropertyRunner.Run(NeighbourCases, c =>
            {
                var points = Points(c.Rows, c.Seed);
                var set = new DenseVectorSet(new RowMatrix(points, c.Rows, 3));
                int given = Math.Min(c.K, c.Rows) + (c.Spoil == 5 ? -1 : 0);
                var graph = new ExactNearestNeighbors<EuclideanDistance>(set, default, 1).ComputeGraph(Math.Max(1, given), new FitMonitor());
                var rows = Enumerable.Range(0, c.Rows).Select(i => new NeighborRow
                {
                    Features = points.AsSpan(i * 3, 3).ToArray(),
                    Neighbors = graph.RowIndices(i).ToArray(),
                    Distances = graph.RowDistances(i).ToArray(),
                }).ToArray();
                var victim = rows[c.Seed % c.Rows];
                int last = victim.Neighbors.Length - 1;
                switch (c.Spoil)
                {
                    case 1: victim.Neighbors[last] = c.Rows; break;
                    case 2 when last > 0: victim.Neighbors[last] = victim.Neighbors[0]; break;
                    case 3 when last > 0: victim.Distances[last] = -0.5f; break;
                    case 4: victim.Distances[0] = float.PositiveInfinity; break;
                    case 6 when last > 0: (victim.Neighbors[0], victim.Neighbors[last]) = (victim.Neighbors[last], victim.Neighbors[0]); break;
                }
                var ml = new MLContext(seed: 1);
                var definition = SchemaDefinition.Create(typeof(NeighborRow));
                definition[nameof(NeighborRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
                // 7 to 9: the data lacks the indices, the distances or both (the options still name both).
                bool noIndices = c.Spoil is 7 or 9, noDistances = c.Spoil is 8 or 9;
                if (noIndices)
                    definition[nameof(NeighborRow.Neighbors)].ColumnName = "Other" + nameof(NeighborRow.Neighbors);
                if (noDistances)
                    definition[nameof(NeighborRow.Distances)].ColumnName = "Other" + nameof(NeighborRow.Distances);
                UmapTransformer? model = null;
                var refused = PropertyRunner.ContractOnly(() => model = ml.Transforms.Umap(new UmapEstimator.Options
                {
                    NumberOfNeighbors = c.K,
                    NumberOfEpochs = 20,
                    PrecomputedNeighborIndicesColumnName = nameof(NeighborRow.Neighbors),
                    PrecomputedNeighborDistancesColumnName = nameof(NeighborRow.Distances),
                }).Fit(ml.Data.LoadFromEnumerable(rows, definition)));
                if (noIndices || noDistances)
                {
                    // The schema error of any missing column, naming a missing one and never claiming it is there.
                    var missing = Assert.IsType<ArgumentOutOfRangeException>(refused);
                    Assert.Equal("inputSchema", missing.ParamName);
                    Assert.Contains($"column '{(noIndices ? nameof(NeighborRow.Neighbors) : nameof(NeighborRow.Distances))}' not found", missing.Message);
                    Assert.True(!(noIndices && missing.Message.Contains($"has '{nameof(NeighborRow.Neighbors)}'", StringComparison.Ordinal))
                        && !(noDistances && missing.Message.Contains($"has '{nameof(NeighborRow.Distances)}'", StringComparison.Ordinal)), missing.Message);
                    return "missing column refused";
                }
                bool spoilt = c.Spoil is 1 or 4 or 5 || (c.Spoil is 2 or 3 or 6 && last > 0);
                if (refused != null)
                {
                    Assert.True(spoilt, $"Valid neighbours were refused: {refused.Message}");
                    return "refused";
                }
                Assert.False(spoilt, "Spoilt neighbours were accepted.");
                AssertFitted(model!);
                return "fitted";
            }, ciCases: 80, _output);

        private static readonly Gen<(int Rows, int Added, int Spoil, int Seed)> UpdateCases =
            Gen.Select(Gen.Int[1, 50], Gen.Int[0, 30], Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[1, 4])), Gen.Int[0, 100_000]);

        [Fact]
        public void UpdatesAndInversesGiveFiniteResultsOrAreRefused() =>
            PropertyRunner.Run(UpdateCases, c =>
            {
                var ml = new MLContext(seed: 1);
                var points = Points(c.Rows + c.Added, c.Seed);
                var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfNeighbors = 5, NumberOfEpochs = 20 })
                    .Fit(MlNetData.Load(ml, new RowMatrix(points[..(c.Rows * 3)], c.Rows, 3)));

                // Added rows, sometimes none, sometimes of the wrong width or with a value the metric cannot take.
                int width = c.Spoil == 1 ? 4 : 3;
                var added = new float[c.Added * width];
                for (int i = 0; i < c.Added; i++)
                {
                    for (int d = 0; d < width; d++)
                        added[i * width + d] = d < 3 ? points[(c.Rows + i) * 3 + d] : 1f;
                }
                if (c.Spoil == 2 && added.Length > 0)
                    added[0] = float.NaN;
                UmapTransformer? updated = null;
                var refused = PropertyRunner.ContractOnly(() => updated = model.Update(MlNetData.Load(ml, new RowMatrix(added, c.Added, width))));
                bool valid = c.Added > 0 && c.Spoil is 0 or 3 or 4;
                Assert.True((refused is null) == valid, refused?.Message ?? "A spoilt update was accepted.");

                // Inverse of arbitrary points: on the map, far off it, or not finite.
                var target = updated ?? model;
                float far = c.Spoil == 3 ? 1e30f : c.Spoil == 4 ? float.NaN : 0.5f;
                var inverted = new[] { target.GetTrainingEmbedding()[0], new[] { far, -far } };
                int? inverseEpochs = c.Seed % 3 == 0 ? 10 : null;
                var inverseRefused = PropertyRunner.ContractOnly(() =>
                {
                    var rows = target.InverseTransform(inverted, inverseEpochs);
                    Assert.All(rows.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
                });
                Assert.True((inverseRefused is null) == (c.Spoil != 4), inverseRefused?.Message ?? "A NaN point was inverted.");

                // The same points as a column: the same rows, or our error naming the column and the row.
                var column = target.InverseTransform(ml.Data.LoadFromEnumerable(inverted.Select(p => new EmbeddingRow { Embedding = p }), EmbeddingSchema), numberOfEpochs: inverseEpochs);
                float[][]? read = null;
                var columnRefused = PropertyRunner.ContractOnly(() => read = column.GetColumn<float[]>("Features").ToArray());
                if (inverseRefused is null)
                    Assert.Equal(target.InverseTransform(inverted, inverseEpochs), read);
                else
                    Assert.StartsWith("Column 'Embedding', row index 1, holds NaN", Assert.IsType<InvalidOperationException>(columnRefused).Message);
                if (updated != null)
                {
                    AssertFitted(updated);
                    // However small the model, the union gets the neighbours asked for and a map that is not flat.
                    Assert.Equal(Math.Min(5, c.Rows + c.Added), updated.Parameters.NumberOfNeighbors);
                    if (c.Rows + c.Added >= 3)
                        Assert.True(MapShape.NarrowToWideSpread(updated.GetTrainingEmbedding()) > 1e-3, "The updated map is flat: its rows lie on a line.");
                }
                return $"update {(refused is null ? "done" : "refused")}, inverse {(inverseRefused is null ? "done" : "refused")}";
            }, ciCases: 60, _output);

        private static void AssertFitted(UmapTransformer model)
        {
            Assert.All(model.GetTrainingEmbedding().SelectMany(p => p), v => Assert.True(float.IsFinite(v)));
            var graph = model.GetGraph();
            for (int i = 0; i < graph.RowCount; i++)
            {
                for (int e = graph.RowOffsets[i]; e < graph.RowOffsets[i + 1]; e++)
                    Assert.Equal(graph.Weights[e], graph[graph.ColumnIndices[e], i]);
            }
        }
    }
}
