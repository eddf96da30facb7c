using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Workflows
{
    /// <summary><see cref="UmapTransformer.InverseTransform(float[][], int?)"/> (umap-learn's <c>inverse_transform</c>).</summary>
    public class InverseTransformTests
    {
        private const int TrainRows = 1500;
        private readonly ITestOutputHelper _output;

        public InverseTransformTests(ITestOutputHelper output) => _output = output;

        private static readonly Lazy<(UmapTransformer Model, float[][] Train, int[] TrainLabels, float[][] Held, int[] HeldLabels, float[][] HeldEmbedding)> Fitted = new(() =>
        {
            var ml = new MLContext();
            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 5 }).Fit(MlNetData.Load(ml, rows.Take(TrainRows), 64));
            var held = rows.Skip(TrainRows).ToList();
            var heldEmbedding = MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, held, 64)));
            return (model, rows.Take(TrainRows).Select(r => r.Features).ToArray(), digits.Labels[..TrainRows], held.Select(r => r.Features).ToArray(), digits.Labels[TrainRows..], heldEmbedding);
        });

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void ReconstructionsOfHeldOutDigitsLookLikeTheirDigits()
        {
            var (model, train, trainLabels, held, heldLabels, heldEmbedding) = Fitted.Value;
            // A reconstruction from the wrong place on the map: the training digit whose embedding is farthest away.
            var embedding = model.GetTrainingEmbedding();
            double farMse = heldEmbedding.Select((p, i) =>
            {
                int far = Enumerable.Range(0, embedding.Length).MaxBy(j => Math.Abs(embedding[j][0] - p[0]) + Math.Abs(embedding[j][1] - p[1]));
                return Mse(train[far], held[i]);
            }).Average();
            foreach (int? epochs in new int?[] { null, 100 })
            {
                var reconstructed = model.InverseTransform(heldEmbedding, epochs);
                double accuracy = UmapMetrics.KnnAccuracy(train, trainLabels, reconstructed, heldLabels, 10);
                double mse = reconstructed.Zip(held, Mse).Average();
                _output.WriteLine($"epochs {epochs?.ToString() ?? "default"}: 10-NN accuracy {accuracy:F3}, MSE {mse:F2} (a far digit: {farMse:F2})");
                Assert.True(accuracy >= 0.88, $"10-NN accuracy of the reconstructions {accuracy:F3}");
                Assert.True(mse < farMse / 3, $"MSE {mse:F2} against {farMse:F2} for a far digit");
            }
        }

        [Fact]
        public void EachPointsReconstructionDependsOnlyOnThePoint()
        {
            var (model, _, _, _, _, heldEmbedding) = Fitted.Value;
            var points = heldEmbedding.Take(40).ToArray();
            var all = model.InverseTransform(points, 20);
            var reversed = Enumerable.Reverse(model.InverseTransform(Enumerable.Reverse(points).ToArray(), 20)).ToArray();
            Assert.Equal(all, reversed);
            Assert.Equal(all[7], model.InverseTransform(new[] { points[7] }, 20)[0]);
            Assert.All(all, row => Assert.Equal(model.FeatureCount, row.Length));
        }

        [Fact]
        public void TheDataViewFormAppendsTheReconstructedColumn()
        {
            var (model, _, _, _, _, heldEmbedding) = Fitted.Value;
            var ml = new MLContext();
            var points = heldEmbedding.Take(10).ToArray();
            var data = ml.Data.LoadFromEnumerable(points.Select(p => new EmbeddingRow { Embedding = p }));
            var inverted = model.InverseTransform(data, numberOfEpochs: 5);
            var column = inverted.Schema["Features"];
            Assert.Equal(64, ((VectorDataViewType)column.Type).Size);
            Assert.Equal(model.InverseTransform(points, 5), inverted.GetColumn<float[]>("Features").ToArray());
            Assert.Equal(points, inverted.GetColumn<float[]>("Embedding").ToArray());

            var renamed = model.InverseTransform(ml.Data.LoadFromEnumerable(points.Select(p => new OtherRow { Coordinates = p })), "Coordinates", "Pixels", 5);
            Assert.Equal(model.InverseTransform(points, 5), renamed.GetColumn<float[]>("Pixels").ToArray());
            Assert.Throws<ArgumentNullException>(() => model.InverseTransform((IDataView)null!));
            var wide = ml.Data.LoadFromEnumerable(points.Select(p => new WideRow { Embedding = new[] { p[0], p[1], 0f } }));
            Assert.Contains("Schema mismatch for embedding column 'Embedding': expected a vector of 2 Single values", Assert.Throws<ArgumentOutOfRangeException>(() => model.InverseTransform(wide)).Message);
            Assert.Contains("Embedding column 'Embedding' not found", Assert.Throws<ArgumentOutOfRangeException>(() => model.InverseTransform(ml.Data.LoadFromEnumerable(points.Select(p => new OtherRow { Coordinates = p })))).Message);
        }

        /// <summary>
        /// A bad point in a column is our error, naming the column and the row, whether the view is read by one cursor,
        /// by a cursor set (as ML.NET's parallel operations read it) or row by row.
        /// </summary>
        [Fact]
        public void ANonFinitePointInTheColumnIsNamedWithItsRow()
        {
            var (model, _, _, _, _, heldEmbedding) = Fitted.Value;
            var ml = new MLContext();
            var points = heldEmbedding.Take(6).Select(p => (float[])p.Clone()).ToArray();
            points[2][1] = float.NaN;
            var inverted = model.InverseTransform(ml.Data.LoadFromEnumerable(points.Select(p => new EmbeddingRow { Embedding = p })));
            const string expected = "Column 'Embedding', row index 2, holds NaN";

            var error = Assert.Throws<InvalidOperationException>(() => inverted.GetColumn<float[]>("Features").ToArray());
            Assert.StartsWith(expected, error.Message);
            Assert.Null(error.InnerException);

            var column = inverted.Schema["Features"];
            foreach (var cursor in inverted.GetRowCursorSet(new[] { column }, 4))
            {
                using (cursor)
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(column);
                    var value = default(VBuffer<float>);
                    var thrown = Record.Exception(() =>
                    {
                        while (cursor.MoveNext())
                            getter(ref value);
                    });
                    if (thrown != null)
                        Assert.StartsWith(expected, Assert.IsType<InvalidOperationException>(thrown).Message);
                }
            }
        }

        [Fact]
        public void BadPointsAndOptionsAreRefused()
        {
            var (model, _, _, _, _, heldEmbedding) = Fitted.Value;
            Assert.Throws<ArgumentNullException>(() => model.InverseTransform((float[][])null!));
            Assert.Contains("Point 1 has 3 coordinates", Assert.Throws<ArgumentException>(() => model.InverseTransform(new[] { heldEmbedding[0], new float[3] })).Message);
            Assert.Contains("Point 0 holds NaN", Assert.Throws<ArgumentException>(() => model.InverseTransform(new[] { new[] { float.NaN, 0f } })).Message);
            Assert.Contains("Point 0 has 0 coordinates", Assert.Throws<ArgumentException>(() => model.InverseTransform(new float[][] { null! })).Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => model.InverseTransform(heldEmbedding.Take(1).ToArray(), -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => model.InverseTransform(heldEmbedding.Take(1).ToArray(), 1_000_000));
            Assert.Empty(model.InverseTransform(Array.Empty<float[]>()));
            // Far outside the map: the nearest training points still give a finite digit.
            Assert.All(model.InverseTransform(new[] { new[] { 1e6f, -1e6f } })[0], v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void ModelsWithoutAnInverseSayWhy()
        {
            var ml = new MLContext();
            var (data, labels) = TestMatrices.Blobs(2, 30, 4, 5, seed: 3);
            var cosine = ml.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Cosine, NumberOfEpochs = 10 }).Fit(MlNetData.Load(ml, data, labels));
            Assert.Contains("Euclidean only", Assert.Throws<NotSupportedException>(() => cosine.InverseTransform(new[] { new[] { 0f, 0f } })).Message);
            var dense = ml.Transforms.Umap(new UmapEstimator.Options { DensityRegularization = true, NumberOfEpochs = 10 }).Fit(MlNetData.Load(ml, data, labels));
            Assert.Contains("densMAP", Assert.Throws<NotSupportedException>(() => dense.InverseTransform(new[] { new[] { 0f, 0f } })).Message);
            Assert.Throws<NotSupportedException>(() => cosine.InverseTransform(ml.Data.LoadFromEnumerable(new[] { new EmbeddingRow { Embedding = new[] { 0f, 0f } } })));
        }

        private static double Mse(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average();

        public sealed class EmbeddingRow
        {
            [VectorType(2)] public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        public sealed class WideRow
        {
            [VectorType(3)] public float[] Embedding { get; set; } = Array.Empty<float>();
        }

        public sealed class OtherRow
        {
            [VectorType(2)] public float[] Coordinates { get; set; } = Array.Empty<float>();
        }
    }
}
