using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Persistence;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// A parametric fit through ML.NET: new rows by one forward pass through Transform and a prediction engine, the same
    /// bits after saving and loading, a model without training rows, and the contract exceptions for bad options, bad
    /// rows and forged model files.
    /// </summary>
    public class ParametricTransformerTests
    {
        private static UmapEstimator.Options Options(UmapEncoderOptions? encoder = null) => new()
        {
            Seed = 4,
            NumberOfNeighbors = 8,
            NumberOfEpochs = 40,
            Parametric = encoder ?? new UmapEncoderOptions { HiddenLayerSizes = new[] { 32, 16 } },
        };

        private static (MLContext Ml, IDataView Data, UmapTransformer Model) Fitted()
        {
            var ml = new MLContext(seed: 1);
            var (matrix, labels) = TestMatrices.Blobs(3, 40, 6, 6, seed: 2);
            var data = MlNetData.Load(ml, matrix, labels);
            return (ml, data, ml.Transforms.Umap(Options()).Fit(data));
        }

        private static uint[] Bits(float[][] rows) => rows.SelectMany(r => r).Select(BitConverter.SingleToUInt32Bits).ToArray();

        [Fact]
        public void AParametricModelEmbedsRowsThroughItsEncoderAlikeInBatchAndOneByOne()
        {
            var (ml, data, model) = Fitted();
            Assert.True(model.IsParametric);
            Assert.Equal(new[] { 6, 32, 16, 2 }, model.EncoderLayerSizes);
            Assert.Equal(120, model.TrainingRowCount);
            Assert.Equal(6, model.FeatureCount);
            Assert.True(model.StageDurations[UmapStage.EncoderTraining] > TimeSpan.Zero);

            var batch = MlNetData.Embedding(ml, model.Transform(data));
            var engine = ml.Model.CreatePredictionEngine<FeatureRow, EmbeddedRow>(model, data.Schema);
            var rows = ml.Data.CreateEnumerable<FeatureRow>(data, reuseRowObject: false).ToList();
            var single = rows.Select(r => engine.Predict(r).Embedding.ToArray()).ToArray();
            Assert.Equal(Bits(batch), Bits(single));

            // The blobs stay apart in the encoder's map: every row's nearest embedded row is of its own blob.
            var labels = rows.Select(r => r.Label).ToArray();
            Assert.True(UmapMetrics.KnnAccuracy(batch, labels, neighbors: 5) >= 0.95);
        }

        [Fact]
        public void SavedAndLoadedTheModelGivesTheSameBitsAndHoldsNoTrainingRows()
        {
            var (ml, data, model) = Fitted();
            var expected = Bits(MlNetData.Embedding(ml, model.Transform(data)));

            using var zip = new MemoryStream();
            ml.Model.Save(model, data.Schema, zip);
            zip.Position = 0;
            var loaded = ml.Model.Load(zip, out _);
            Assert.Equal(expected, Bits(MlNetData.Embedding(ml, loaded.Transform(data))));

            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var reloaded = UmapTransformer.Load(ml, stream);
            Assert.True(reloaded.IsParametric);
            Assert.Equal(model.EncoderLayerSizes, reloaded.EncoderLayerSizes);
            Assert.Equal(model.Parameters.A, reloaded.Parameters.A);
            Assert.Equal(120, reloaded.TrainingRowCount);
            Assert.Equal(expected, Bits(MlNetData.Embedding(ml, reloaded.Transform(data))));

            // The network's floats and a few hundred bytes of settings: no training rows, embedding or graph.
            long parameters = 6 * 32 + 32 + 32 * 16 + 16 + 16 * 2 + 2;
            Assert.InRange(stream.Length, parameters * 4, parameters * 4 + 1024);
        }

        [Fact]
        public void WhatNeedsTheTrainingRowsIsRefusedSayingWhy()
        {
            var (_, _, model) = Fitted();
            var e = Assert.Throws<NotSupportedException>(() => model.GetTrainingEmbedding());
            Assert.Contains("parametric", e.Message, StringComparison.Ordinal);
            Assert.Throws<NotSupportedException>(() => model.GetNeighborIndices());
            Assert.Throws<NotSupportedException>(() => model.InverseTransform(new[] { new[] { 0f, 0f } }));
        }

        [Fact]
        public void TheNotebookShowsAParametricModelWithItsEncoderAndNoThumbnail()
        {
            var (_, _, model) = Fitted();
            string html = System.Net.WebUtility.HtmlDecode(Microsoft.ML.Umap.Plotting.NotebookDisplay.ToHtml(model));
            Assert.Contains("6 → 32 → 16 → 2", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("HiddenLayerSizes", "0")]
        [InlineData("HiddenLayerSizes", "-3")]
        [InlineData("NumberOfEpochs", "-1")]
        [InlineData("NumberOfEpochs", "10001")]
        [InlineData("NumberOfRefinementEpochs", "-2")]
        [InlineData("BatchSize", "0")]
        [InlineData("LearningRate", "0")]
        [InlineData("LearningRate", "NaN")]
        [InlineData("LearningRate", "2")]
        [InlineData("Training", "7")]
        [InlineData("NumberOfInputComponents", "-1")]
        [InlineData("NumberOfInputComponents", "16385")]
        public void BadEncoderOptionsThrowNamingTheOptionAndTheValue(string option, string value)
        {
            var encoder = new UmapEncoderOptions();
            switch (option)
            {
                case "HiddenLayerSizes":
                    encoder.HiddenLayerSizes = new[] { 10, int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "NumberOfEpochs":
                    encoder.NumberOfEpochs = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "NumberOfRefinementEpochs":
                    encoder.NumberOfRefinementEpochs = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "BatchSize":
                    encoder.BatchSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "LearningRate":
                    encoder.LearningRate = float.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "NumberOfInputComponents":
                    encoder.NumberOfInputComponents = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    encoder.Training = (UmapEncoderTraining)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext(seed: 1).Transforms.Umap(Options(encoder)));
            Assert.Equal("Parametric." + option, e.ParamName);
            Assert.Contains("got " + value, e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnEncoderTrainedOnPrincipalComponentsTakesTheRawFeatures()
        {
            var ml = new MLContext(seed: 1);
            var (matrix, labels) = TestMatrices.Blobs(3, 40, 6, 6, seed: 2);
            var data = MlNetData.Load(ml, matrix, labels);
            var model = ml.Transforms.Umap(Options(new UmapEncoderOptions { HiddenLayerSizes = new[] { 32, 16 }, NumberOfInputComponents = 3 })).Fit(data);
            Assert.Equal(new[] { 6, 32, 16, 2 }, model.EncoderLayerSizes);
            var again = ml.Transforms.Umap(Options(new UmapEncoderOptions { HiddenLayerSizes = new[] { 32, 16 }, NumberOfInputComponents = 3 })).Fit(data);
            var first = MlNetData.Embedding(ml, model.Transform(data));
            var second = MlNetData.Embedding(ml, again.Transform(data));
            Assert.Equal(Bits(first), Bits(second));
            Assert.All(first, row => Assert.All(row, v => Assert.True(float.IsFinite(v))));
        }

        [Fact]
        public void AnEncoderTooLargeForItsInputIsRefusedAtFit()
        {
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(20, 3000, seed: 1));
            var encoder = new UmapEncoderOptions { HiddenLayerSizes = new[] { 16_384, 16_384 } };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Umap(Options(encoder)).Fit(data));
            Assert.Equal("Parametric.HiddenLayerSizes", e.ParamName);
        }

        [Fact]
        public void ANaNRowIsRefusedNamingTheColumnAndTheRow()
        {
            var (ml, _, model) = Fitted();
            var rows = Enumerable.Range(0, 5).Select(i => new FeatureRow { Features = new float[6] }).ToList();
            rows[3].Features[2] = float.NaN;
            var data = MlNetData.Load(ml, rows, 6);
            var e = Assert.Throws<InvalidOperationException>(() => MlNetData.Embedding(ml, model.Transform(data)));
            Assert.Contains("Column 'Features'", e.Message, StringComparison.Ordinal);
            Assert.Contains("row index 3", e.Message, StringComparison.Ordinal);

            var fit = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Options()).Fit(data));
            Assert.Contains("'Features'", fit.Message, StringComparison.Ordinal);
            Assert.Contains("3", fit.Message, StringComparison.Ordinal);
        }

        private static byte[] Saved(UmapTransformer model)
        {
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }

        /// <summary>The transformer's header from <paramref name="model"/>'s file, then the encoder as the library writes it (a valid checksum).</summary>
        private static byte[] Forged(UmapTransformer model, Action<Microsoft.ML.Umap.Core.Parametric.EncoderNetwork> forge)
        {
            var bytes = Saved(model);
            int start = bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes("UMAPENC\0"));
            forge(model.Encoder!.Network);
            using var stream = new MemoryStream();
            stream.Write(bytes, 0, start);
            UmapModelFormat.WriteEncoder(model.Encoder, stream);
            return stream.ToArray();
        }

        [Theory]
        [InlineData(0, float.NaN)]
        [InlineData(1, float.PositiveInfinity)]
        [InlineData(2, float.NegativeInfinity)]
        public void ForgedWeightsWithAValidChecksumAreRefused(int layer, float value)
        {
            var (ml, _, model) = Fitted();
            var file = Forged(model, network => network.Weights[layer][layer + 1] = value);
            var e = Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(file)));
            Assert.Contains($"layer {layer}", e.Message, StringComparison.Ordinal);

            var biases = Forged(Fitted().Model, network => network.Biases[layer][0] = value);
            Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(biases)));
        }

        [Fact]
        public void ADamagedOrTruncatedFileIsRefused()
        {
            var (ml, _, model) = Fitted();
            var bytes = Saved(model);
            for (int at = bytes.Length - 9; at > bytes.Length - 2000; at -= 97)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[at] ^= 0x40;
                Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(damaged)));
            }
            foreach (int length in new[] { 10, 40, 200, bytes.Length / 2, bytes.Length - 1 })
                Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(bytes.AsSpan(0, length).ToArray())));
        }

        /// <summary>The transformer's header from <paramref name="model"/>'s file, then its encoder labelled with format <paramref name="version"/>.</summary>
        private static byte[] WithEncoderVersion(UmapTransformer model, int version)
        {
            var bytes = Saved(model);
            int start = bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes("UMAPENC\0"));
            using var stream = new MemoryStream();
            stream.Write(bytes, 0, start);
            UmapModelFormat.WriteEncoder(model.Encoder!, stream, version);
            return stream.ToArray();
        }

        [Fact]
        public void AVersionOneFileLoadsUnlessItClaimsTheAnchoredTrainingThatVersionOneCannotHold()
        {
            var (ml, data, anchored) = Fitted();
            Assert.Equal(Microsoft.ML.Umap.Core.Parametric.EncoderTrainingScheme.AnchoredObjective, anchored.Encoder!.Encoder.Scheme);
            var e = Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(WithEncoderVersion(anchored, 1))));
            Assert.Contains("training scheme", e.Message, StringComparison.Ordinal);

            var objective = ml.Transforms.Umap(Options(new UmapEncoderOptions { HiddenLayerSizes = new[] { 32, 16 }, Training = UmapEncoderTraining.Objective })).Fit(data);
            var loaded = UmapTransformer.Load(ml, new MemoryStream(WithEncoderVersion(objective, 1)));
            Assert.Equal(Bits(MlNetData.Embedding(ml, objective.Transform(data))), Bits(MlNetData.Embedding(ml, loaded.Transform(data))));
        }

        [Fact]
        public void TheObjectiveAloneAlsoTrainsAnEncoder()
        {
            var ml = new MLContext(seed: 1);
            var (matrix, labels) = TestMatrices.Blobs(3, 40, 6, 6, seed: 2);
            var data = MlNetData.Load(ml, matrix, labels);
            var model = ml.Transforms.Umap(Options(new UmapEncoderOptions { HiddenLayerSizes = new[] { 32 }, Training = UmapEncoderTraining.Objective })).Fit(data);
            var embedding = MlNetData.Embedding(ml, model.Transform(data));
            Assert.True(UmapMetrics.KnnAccuracy(embedding, labels, neighbors: 5) >= 0.95);
        }
    }
}
