using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Workflows
{
    /// <summary>Precomputed nearest neighbours (umap-learn's <c>precomputed_knn</c>) for the fit and for new rows.</summary>
    public class PrecomputedNeighborsTests
    {
        private const int K = 15;
        private const int TrainRows = 1500;

        public sealed class Row
        {
            [VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
            public int[] Neighbors { get; set; } = Array.Empty<int>();
            public float[] Distances { get; set; } = Array.Empty<float>();
        }

        private static readonly Lazy<(Row[] Train, Row[] Held)> Digits = new(() =>
        {
            var digits = Datasets.Digits();
            var train = new RowMatrix(digits.Features.AsSpan(0, TrainRows * 64).ToArray(), TrainRows, 64);
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(train), default, 2);
            var graph = exact.ComputeGraph(K, new FitMonitor());
            var trainRows = Enumerable.Range(0, TrainRows).Select(i => new Row
            {
                Features = digits.Row(i),
                Neighbors = graph.RowIndices(i).ToArray(),
                Distances = graph.RowDistances(i).ToArray(),
            }).ToArray();
            var heldRows = Enumerable.Range(TrainRows, digits.Rows - TrainRows).Select(i =>
            {
                var indices = new int[K];
                var distances = new float[K];
                exact.Query(VectorView.Dense(digits.Row(i)), indices, distances);
                return new Row { Features = digits.Row(i), Neighbors = indices, Distances = distances };
            }).ToArray();
            return (trainRows, heldRows);
        });

        /// <summary>The first <paramref name="n"/> training rows with their exact neighbours among themselves.</summary>
        private static Row[] Subset(int n)
        {
            var rows = Digits.Value.Train.Take(n).Select(r => new Row { Features = r.Features }).ToArray();
            var graph = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(new RowMatrix(rows.SelectMany(r => r.Features).ToArray(), n, 64)), default, 1).ComputeGraph(K, new FitMonitor());
            for (int i = 0; i < n; i++)
            {
                rows[i].Neighbors = graph.RowIndices(i).ToArray();
                rows[i].Distances = graph.RowDistances(i).ToArray();
            }
            return rows;
        }

        private static UmapEstimator.Options Options(bool precomputed) => new()
        {
            NeighborSearch = precomputed ? UmapNeighborSearch.Auto : UmapNeighborSearch.Exact,
            PrecomputedNeighborIndicesColumnName = precomputed ? nameof(Row.Neighbors) : null,
            PrecomputedNeighborDistancesColumnName = precomputed ? nameof(Row.Distances) : null,
            NumberOfEpochs = 100,
            Seed = 7,
        };

        private static float[][] Embed(ITransformer model, IDataView data) =>
            model.Transform(data).GetColumn<float[]>("Embedding").ToArray();

        [Fact]
        public void ExactNeighboursGiveTheExactSearchsEmbeddingBitForBit()
        {
            var ml = new MLContext();
            var (train, held) = Digits.Value;
            var data = ml.Data.LoadFromEnumerable(train);
            var searched = ml.Transforms.Umap(Options(precomputed: false)).Fit(data);
            var given = ml.Transforms.Umap(Options(precomputed: true)).Fit(data);
            Assert.Equal(searched.GetTrainingEmbedding(), given.GetTrainingEmbedding());
            Assert.Equal(nameof(Row.Neighbors), given.Parameters.PrecomputedNeighborIndicesColumnName);

            // New rows that carry their exact neighbours among the training rows land where a search puts them.
            var heldData = ml.Data.LoadFromEnumerable(held);
            var withoutColumns = ml.Data.LoadFromEnumerable(held.Select(r => new FeaturesOnly { Features = r.Features }));
            var placedBySearch = Embed(searched, withoutColumns);
            Assert.Equal(placedBySearch, Embed(given, heldData));
            Assert.Equal(placedBySearch, Embed(given, withoutColumns));

            // The model remembers the columns: a loaded copy reads them too.
            using var stream = new MemoryStream();
            given.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            Assert.Equal(nameof(Row.Distances), loaded.Parameters.PrecomputedNeighborDistancesColumnName);
            Assert.Equal(placedBySearch, Embed(loaded, heldData));
        }

        [Fact]
        public void GivenNeighboursDecideWhereNewRowsGo()
        {
            var ml = new MLContext();
            var held = Digits.Value.Held;
            var subset = Subset(400);
            var model = ml.Transforms.Umap(Options(precomputed: true)).Fit(ml.Data.LoadFromEnumerable(subset));
            // Every held-out row claims the neighbourhood of training row 0: it lands next to row 0.
            var claimed = held.Take(20).Select(r => new Row
            {
                Features = r.Features,
                Neighbors = subset[0].Neighbors,
                Distances = Enumerable.Range(0, K).Select(j => 1f + j).ToArray(),
            }).ToArray();
            var anchor = model.GetTrainingEmbedding()[0];
            foreach (var point in Embed(model, ml.Data.LoadFromEnumerable(claimed)))
                Assert.True(Distance(point, anchor) < 3, $"A row placed from row 0's neighbours landed {Distance(point, anchor):F2} away from it.");
        }

        [Fact]
        public void MoreNeighboursThanNeededUseTheNearestOnes()
        {
            var ml = new MLContext();
            var rows = Subset(300);
            var data = ml.Data.LoadFromEnumerable(rows);
            var options = Options(precomputed: true);
            options.NumberOfNeighbors = 10;
            var first10 = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r.Features, Neighbors = r.Neighbors[..10], Distances = r.Distances[..10] }));
            Assert.Equal(ml.Transforms.Umap(options).Fit(first10).GetTrainingEmbedding(), ml.Transforms.Umap(options).Fit(data).GetTrainingEmbedding());
        }

        public static IEnumerable<object[]> BadNeighbours() => new[]
        {
            new object[] { "too few", (Action<Row[]>)(rows => (rows[3].Neighbors, rows[3].Distances) = (rows[3].Neighbors[..5], rows[3].Distances[..5])), "has 5 neighbours; NumberOfNeighbors is 15, so each row needs at least 15" },
            new object[] { "unpaired", (Action<Row[]>)(rows => rows[4].Distances = rows[4].Distances[..14]), "Row index 4: column 'Neighbors' has 15 neighbours but 'Distances' has 14 distances" },
            new object[] { "out of range", (Action<Row[]>)(rows => rows[5].Neighbors[2] = 200), "Column 'Neighbors', row index 5, position 2, holds 200; neighbour indices must be whole row numbers of the training data, 0 to 199" },
            new object[] { "negative", (Action<Row[]>)(rows => rows[6].Neighbors[1] = -1), "row index 6, position 1, holds -1" },
            new object[] { "not self first", (Action<Row[]>)(rows => (rows[7].Neighbors[0], rows[7].Neighbors[1]) = (rows[7].Neighbors[1], rows[7].Neighbors[0])), "row index 7, starts with row" },
            new object[] { "twice", (Action<Row[]>)(rows => rows[8].Neighbors[3] = rows[8].Neighbors[2]), "row index 8, lists row" },
            new object[] { "NaN", (Action<Row[]>)(rows => rows[9].Distances[4] = float.NaN), "Column 'Distances', row index 9, position 4, holds NaN" },
            new object[] { "descending", (Action<Row[]>)(rows => rows[10].Distances[5] = 0.5f), "Column 'Distances', row index 10, position 5: distance 0.5 follows" },
        };

        [Theory]
        [MemberData(nameof(BadNeighbours))]
        public void BadNeighboursAreRefusedNamingColumnRowAndValue(string name, Action<Row[]> spoil, string message)
        {
            var ml = new MLContext();
            var rows = Subset(200);
            spoil(rows);
            var error = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Options(precomputed: true)).Fit(ml.Data.LoadFromEnumerable(rows)));
            Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{name}: {error.Message}");
        }

        [Fact]
        public void OptionsAndSchemasAreChecked()
        {
            var ml = new MLContext();
            var onlyIndices = new UmapEstimator.Options { PrecomputedNeighborIndicesColumnName = "Neighbors" };
            Assert.Contains("set together", Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(onlyIndices)).Message);
            var same = new UmapEstimator.Options { PrecomputedNeighborIndicesColumnName = "Neighbors", PrecomputedNeighborDistancesColumnName = "Neighbors" };
            Assert.Contains("three different columns", Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(same)).Message);

            var features = ml.Data.LoadFromEnumerable(Digits.Value.Train.Take(50).Select(r => new FeaturesOnly { Features = r.Features }));
            // Neither column: the schema error of any missing column, naming both and claiming neither exists.
            var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(Options(precomputed: true)).Fit(features));
            Assert.Equal("inputSchema", missing.ParamName);
            Assert.Contains("Precomputed neighbour indices column 'Neighbors' not found", missing.Message);
            Assert.Contains("'Distances'", missing.Message);
            Assert.DoesNotContain("the data has", missing.Message);

            var wrongType = ml.Data.LoadFromEnumerable(Digits.Value.Train.Take(50).Select(r => new TextNeighbors { Features = r.Features, Neighbors = "1 2 3", Distances = r.Distances }));
            Assert.Contains("Neighbors", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(Options(precomputed: true)).Fit(wrongType)).Message);
        }

        [Fact]
        public void NewRowsWithOnlyOneColumnOrBadNeighboursAreRefused()
        {
            var ml = new MLContext();
            var held = Digits.Value.Held;
            var model = ml.Transforms.Umap(Options(precomputed: true)).Fit(ml.Data.LoadFromEnumerable(Subset(300)));
            var onlyIndices = ml.Data.LoadFromEnumerable(held.Take(3).Select(r => new IndicesOnly { Features = r.Features, Neighbors = r.Neighbors }));
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(onlyIndices));
            Assert.Equal("inputSchema", error.ParamName);
            Assert.Contains("Precomputed neighbour distances column 'Distances' not found", error.Message);
            Assert.Contains("the data has 'Neighbors' but not 'Distances'", error.Message);

            var outOfRange = ml.Data.LoadFromEnumerable(held.Take(3).Select(r => new Row { Features = r.Features, Neighbors = Enumerable.Range(290, K).ToArray(), Distances = r.Distances }));
            var bad = Assert.Throws<InvalidOperationException>(() => Embed(model, outOfRange));
            Assert.Contains("Column 'Neighbors', row index 0, position 10, holds 300; neighbour indices must be whole row numbers of the training data, 0 to 299", bad.Message);
        }

        private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

        public sealed class FeaturesOnly
        {
            [VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
        }

        public sealed class IndicesOnly
        {
            [VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
            public int[] Neighbors { get; set; } = Array.Empty<int>();
        }

        public sealed class TextNeighbors
        {
            [VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
            public string Neighbors { get; set; } = "";
            public float[] Distances { get; set; } = Array.Empty<float>();
        }
    }
}
