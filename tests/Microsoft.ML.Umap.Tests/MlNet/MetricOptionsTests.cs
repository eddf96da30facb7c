using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    public class MetricOptionsTests
    {
        public static TheoryData<UmapMetric> NamedMetrics()
        {
            var data = new TheoryData<UmapMetric>();
            // Custom needs a function and Precomputed a distance matrix (Workflows/PrecomputedDistancesTests).
            foreach (var metric in Enum.GetValues<UmapMetric>().Where(m => m != UmapMetric.Custom && m != UmapMetric.Precomputed))
                data.Add(metric);
            return data;
        }

        [Theory]
        [MemberData(nameof(NamedMetrics))]
        public void EveryMetricFitsWithApproximateSearchAndSeparatesBlobs(UmapMetric metric)
        {
            // Non-negative blobs (Hellinger and Jaccard need meaningful non-negative / sparse-ish values).
            var (data, labels) = TestMatrices.Blobs(3, 150, 8, 6, seed: 44);
            for (int i = 0; i < data.Values.Length; i++)
                data.Values[i] = Math.Max(0, data.Values[i] + 1.5f) * (((i / 8) % 3 == (i % 8) % 3) ? 3 : 1);
            var ml = new MLContext(seed: 1);
            var model = ml.Transforms.Umap(new UmapEstimator.Options
            {
                Metric = metric,
                MinkowskiP = 3,
                NeighborSearch = UmapNeighborSearch.Approximate,
                NumberOfEpochs = 100,
            }).Fit(MlNetData.Load(ml, data, labels));
            var embedding = model.GetTrainingEmbedding();
            Assert.All(embedding.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
            Assert.Equal(UmapNeighborSearch.Approximate, model.Parameters.NeighborSearch);
            Assert.Equal(metric, model.Parameters.Metric);
        }

        [Fact]
        public void ACustomDistanceIsUsedAndItsModelsCannotBeSaved()
        {
            int calls = 0;
            UmapDistanceFunction manhattan = (x, y) =>
            {
                System.Threading.Interlocked.Increment(ref calls);
                float sum = 0;
                for (int i = 0; i < x.Length; i++)
                    sum += Math.Abs(x[i] - y[i]);
                return sum;
            };
            var ml = new MLContext(seed: 1);
            var (data, labels) = TestMatrices.Blobs(2, 60, 4, 8, seed: 45);
            var custom = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Custom, CustomDistance = manhattan, NumberOfEpochs = 50 }).Fit(MlNetData.Load(ml, data, labels));
            Assert.True(calls > 0);
            var named = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Manhattan, NumberOfEpochs = 50 }).Fit(MlNetData.Load(ml, data, labels));
            // Same distance, same neighbours (the embeddings differ in the last bits: the sums run in another order).
            Assert.Equal(named.Model.Neighbors.Indices, custom.Model.Neighbors.Indices);

            var stream = new MemoryStream();
            var e = Assert.Throws<NotSupportedException>(() => custom.Save(stream));
            Assert.Contains("custom distance", e.Message);
            Assert.Contains("CustomDistanceName", e.Message);
            Assert.Equal(0, stream.Length); // nothing half-written

            Assert.Equal("CustomDistance", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Custom })).ParamName);
            Assert.Equal("CustomDistance", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { CustomDistance = manhattan })).ParamName);
        }

        private static float Chessboard(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            float max = 0;
            for (int i = 0; i < x.Length; i++)
                max = Math.Max(max, Math.Abs(x[i] - y[i]));
            return max;
        }

        [Fact]
        public void ANamedCustomDistanceIsSavedByNameAndLoadedWhereItIsRegistered()
        {
            string name = "tests/chessboard-" + Guid.NewGuid();
            var ml = new MLContext(seed: 1);
            var (data, labels) = TestMatrices.Blobs(2, 60, 4, 8, seed: 46);
            var train = MlNetData.Load(ml, data, labels);
            var options = new UmapEstimator.Options { Metric = UmapMetric.Custom, CustomDistanceName = name, NumberOfEpochs = 50 };

            var unregistered = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(options));
            Assert.Contains($"UmapCustomDistances.Register(\"{name}\"", unregistered.Message);

            UmapCustomDistances.Register(name, Chessboard);
            Assert.True(UmapCustomDistances.IsRegistered(name));
            var model = ml.Transforms.Umap(options).Fit(train);
            Assert.Equal(name, model.Parameters.CustomDistanceName);
            // The function found by name is the one used: the same neighbours as the built-in Chebyshev metric.
            var chebyshev = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Chebyshev, NumberOfEpochs = 50 }).Fit(train);
            Assert.Equal(chebyshev.Model.Neighbors.Indices, model.Model.Neighbors.Indices);

            var (unseen, _) = TestMatrices.Blobs(2, 5, 4, 8, seed: 47);
            var expected = MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, unseen)));
            var file = new MemoryStream();
            ml.Model.Save(model, train.Schema, file);
            var own = new MemoryStream();
            model.Save(own);

            // Loading in a process where the name means the same function gives the same rows.
            file.Position = 0;
            var loaded = ml.Model.Load(file, out _);
            Assert.Equal(expected, MlNetData.Embedding(ml, loaded.Transform(MlNetData.Load(ml, unseen))));
            own.Position = 0;
            Assert.Equal(expected, MlNetData.Embedding(ml, UmapTransformer.Load(ml, own).Transform(MlNetData.Load(ml, unseen))));

            // Where it is not registered, loading says which name to register.
            UmapCustomDistances.Unregister(name);
            own.Position = 0;
            var missing = Assert.Throws<InvalidOperationException>(() => UmapTransformer.Load(ml, own));
            Assert.Contains(name, missing.Message);
            file.Position = 0;
            // ML.NET calls loaders by reflection and wraps what they throw in a TargetInvocationException.
            var missingInContainer = Assert.ThrowsAny<Exception>(() => ml.Model.Load(file, out _)).GetBaseException();
            Assert.IsType<InvalidOperationException>(missingInContainer);
            Assert.Contains(name, missingInContainer.Message);

            Assert.Equal("CustomDistanceName", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(new UmapEstimator.Options { CustomDistanceName = name })).ParamName);
            Assert.Equal("CustomDistanceName", Assert.Throws<ArgumentException>(() => ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Custom, CustomDistanceName = " " })).ParamName);
            Assert.Throws<ArgumentNullException>(() => UmapCustomDistances.Register(name, null!));
        }

        [Fact]
        public void BoundedMetricsDisconnectNeighboursAtTheirMaximum()
        {
            // Binary fingerprints: rows 0..9 share bits; rows 10..11 share no bit with anything (Jaccard distance 1).
            var rows = Enumerable.Range(0, 12).Select(i =>
            {
                var row = new float[40];
                if (i < 10)
                {
                    for (int b = 0; b < 5; b++)
                        row[(i + b) % 10] = 1;
                }
                else
                {
                    row[20 + (i - 10) * 5] = 1;
                }
                return row;
            }).ToArray();
            var data = new DenseVectorSet(new RowMatrix(rows.SelectMany(r => r).ToArray(), 12, 40));
            var warnings = new System.Collections.Generic.List<string>();
            var result = UmapFitter.Fit(data, new UmapParameters { Metric = UmapMetric.Jaccard, NumberOfNeighbors = 4, NumberOfEpochs = 20 }, new FitMonitor(warning: warnings.Add));
            Assert.Contains(warnings, w => w.Contains("disconnected", StringComparison.Ordinal));
            for (int i = 0; i < 12; i++)
            {
                var indices = result.Model.Neighbors.RowIndices(i);
                var distances = result.Model.Neighbors.RowDistances(i);
                for (int j = 1; j < indices.Length; j++)
                    Assert.True(indices[j] < 0 || distances[j] < 1f);
            }
            Assert.All(result.Model.Embedding.Values, v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void AngularTreesSplitByDirectionOnly()
        {
            // Rows that are positive multiples of one another always land in the same leaf of an angular tree.
            var rng = new Random(46);
            var baseRows = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray()).ToArray();
            var values = baseRows.SelectMany(r => r).Concat(baseRows.SelectMany(r => r.Select(v => v * 7))).ToArray();
            var data = new RowMatrix(values, 100, 5);
            var tree = RandomProjectionTree.Build(data, 4, 1, keepHyperplanes: true, angular: true);
            for (int i = 0; i < 50; i++)
                Assert.Equal(tree.FindLeaf(data.ReadOnlyRow(i)), tree.FindLeaf(data.ReadOnlyRow(i + 50)));
        }
    }
}
