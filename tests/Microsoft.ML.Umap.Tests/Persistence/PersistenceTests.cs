using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Persistence
{
    /// <summary>
    /// Save and load through ML.NET (which relies on the ML.NET internals listed in docs/mlnet-internals.md; CI runs
    /// these tests on every ML.NET version the package accepts) and through the plain stream API.
    /// </summary>
    public sealed class PersistenceTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "umap-tests-" + Guid.NewGuid().ToString("N"));

        public PersistenceTests() => Directory.CreateDirectory(_directory);

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private static (MLContext Ml, IDataView Train, IDataView Held, ITransformer Model, DataViewSchema Schema) Fit(bool chain, UmapNeighborSearch search = UmapNeighborSearch.Approximate)
        {
            var digits = Datasets.Digits();
            var ml = new MLContext(seed: 3);
            var rows = Enumerable.Range(0, digits.Rows).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var train = MlNetData.Load(ml, rows.Take(1500), 64);
            var held = MlNetData.Load(ml, rows.Skip(1500), 64);
            var umap = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 5, NumberOfEpochs = 100, NeighborSearch = search });
            ITransformer model = chain ? ml.Transforms.NormalizeMinMax("Features").Append(umap).Fit(train) : umap.Fit(train);
            return (ml, train, held, model, train.Schema);
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ModelSaveAndLoadRoundTripBitForBitInAFreshContext(bool chain)
        {
            var (ml, train, held, model, schema) = Fit(chain);
            string path = Path.Combine(_directory, "model.zip");
            ml.Model.Save(model, schema, path);

            var fresh = new MLContext(seed: 99);
            var loaded = fresh.Model.Load(path, out var loadedSchema);
            Assert.Equal(schema.Count, loadedSchema.Count);
            if (chain)
            {
                var loadedChain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
                Assert.IsType<UmapTransformer>(loadedChain.Last());
            }
            else
            {
                Assert.IsType<UmapTransformer>(loaded);
            }

            Assert.Equal(MlNetData.Embedding(ml, model.Transform(train)), MlNetData.Embedding(fresh, loaded.Transform(train)));
            Assert.Equal(MlNetData.Embedding(ml, model.Transform(held)), MlNetData.Embedding(fresh, loaded.Transform(held)));

            var engine = fresh.Model.CreatePredictionEngine<FeatureRow, EmbeddedRow>(loaded, schema);
            var first = ml.Data.CreateEnumerable<FeatureRow>(held, reuseRowObject: false).First();
            Assert.Equal(MlNetData.Embedding(ml, model.Transform(held))[0], engine.Predict(first).Embedding);
        }

        [Fact]
        public void LoadedModelKeepsItsParameters()
        {
            var (ml, _, _, model, schema) = Fit(chain: false);
            string path = Path.Combine(_directory, "model.zip");
            ml.Model.Save(model, schema, path);
            var loaded = (UmapTransformer)new MLContext().Model.Load(path, out _);
            var original = (UmapTransformer)model;
            Assert.Equal(original.Parameters.A, loaded.Parameters.A);
            Assert.Equal(original.Parameters.B, loaded.Parameters.B);
            Assert.Equal(original.Parameters.Seed, loaded.Parameters.Seed);
            Assert.Equal(original.Parameters.NumberOfEpochs, loaded.Parameters.NumberOfEpochs);
            Assert.Equal(original.Parameters.NumberOfTransformEpochs, loaded.Parameters.NumberOfTransformEpochs);
            Assert.Equal(original.InputColumnName, loaded.InputColumnName);
            Assert.Equal(original.OutputColumnName, loaded.OutputColumnName);
            Assert.Equal(original.GetTrainingEmbedding(), loaded.GetTrainingEmbedding());
        }

        [Fact]
        public void EverySettingThatShapesTheModelIsExposedAndSurvivesSaveAndLoad()
        {
            var ml = new MLContext(seed: 1);
            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, 300).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var data = MlNetData.Load(ml, rows, 64);
            var options = new UmapEstimator.Options
            {
                Seed = 4, NumberOfEpochs = 20, NegativeSampleRate = 7, Metric = UmapMetric.Minkowski, MinkowskiP = 3,
                LabelColumnName = "Label", TargetWeight = 0.8f, NeighborsWithinLabel = true,
            };
            var model = ml.Transforms.Umap(options).Fit(data);
            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            foreach (var parameters in new[] { model.Parameters, loaded.Parameters })
            {
                Assert.Equal(7, parameters.NegativeSampleRate);
                Assert.Equal(3.0, parameters.MinkowskiP);
                Assert.Equal("Label", parameters.LabelColumnName);
                Assert.Equal(UmapTargetMetric.Categorical, parameters.TargetMetric);
                Assert.Equal(0.8, parameters.TargetWeight);
                Assert.True(parameters.NeighborsWithinLabel);
                Assert.Equal(0, parameters.TargetNumberOfNeighbors);
            }
            var unsupervised = UmapTransformer.Load(ml, File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "digits200-v1.umap")));
            Assert.Null(unsupervised.Parameters.LabelColumnName);
            Assert.False(unsupervised.Parameters.NeighborsWithinLabel);
        }

        [Fact]
        public void TheFormerInputColumnNameStillWorks()
        {
#pragma warning disable CS0618 // the obsolete alias is what this test checks
            var options = new UmapEstimator.Options { FeatureColumnName = "Pixels" };
            Assert.Equal("Pixels", options.InputColumnName);
            Assert.Equal("Pixels", new MLContext().Transforms.Umap(options).FeatureColumnName);
#pragma warning restore CS0618
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AFreshProcessLoadsTheModelAndGivesTheSameEmbedding()
        {
            var (ml, _, held, model, schema) = Fit(chain: true);
            string modelPath = Path.Combine(_directory, "chain.zip");
            ml.Model.Save(model, schema, modelPath);
            var heldRows = ml.Data.CreateEnumerable<FeatureRow>(held, reuseRowObject: false).ToList();
            string input = Path.Combine(_directory, "rows.f32"), output = Path.Combine(_directory, "embedding.f32");
            File.WriteAllBytes(input, MemoryMarshal.AsBytes(heldRows.SelectMany(r => r.Features).ToArray().AsSpan()).ToArray());

            // The test project's build copies LoadCheck here (see CopyLoadCheck in its .csproj).
            var checker = Path.Combine(AppContext.BaseDirectory, "LoadCheck", "Microsoft.ML.Umap.LoadCheck.dll");
            Assert.True(File.Exists(checker), $"LoadCheck not built at {checker}");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { checker, modelPath, input, "64", output })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start);
            string stdout = process!.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "LoadCheck timed out");
            Assert.True(process.ExitCode == 0, $"LoadCheck failed: {stdout} {stderr}");
            Assert.Contains("Loaded TransformerChain", stdout);
            Assert.Contains($"on ML.NET {MlNetVersions.Built};", stdout);

            var expected = MlNetData.Embedding(ml, model.Transform(held)).SelectMany(r => r).ToArray();
            var actual = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(output)).ToArray();
            Assert.Equal(expected, actual);
        }

        [Fact]
        public void PlainStreamRoundTripIsBitForBit()
        {
            var (ml, train, held, model, _) = Fit(chain: false);
            var umap = (UmapTransformer)model;
            using var stream = new MemoryStream();
            umap.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(new MLContext(), stream);
            Assert.Equal(MlNetData.Embedding(ml, umap.Transform(held)), MlNetData.Embedding(ml, loaded.Transform(held)));
            Assert.Equal(MlNetData.Embedding(ml, umap.Transform(train)), MlNetData.Embedding(ml, loaded.Transform(train)));
        }

        [Fact]
        public void TheFileIsBarelyLargerThanTheTrainingMatrix()
        {
            var mnist = Datasets.Mnist("t10k").Take(5000);
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, new RowMatrix(mnist.Features, mnist.Rows, mnist.Columns));
            var model = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfEpochs = 20 }).Fit(data);
            long raw = (long)mnist.Rows * mnist.Columns * sizeof(float);

            using var stream = new MemoryStream();
            model.Save(stream);
            Assert.True(stream.Length <= 1.2 * raw, $"{stream.Length} bytes for {raw} bytes of training data");

            string path = Path.Combine(_directory, "mnist.zip");
            ml.Model.Save(model, data.Schema, path);
            Assert.True(new FileInfo(path).Length <= 1.2 * raw);
        }

        private byte[] SavedBytes()
        {
            var (_, _, _, model, _) = Fit(chain: false);
            using var stream = new MemoryStream();
            ((UmapTransformer)model).Save(stream);
            return stream.ToArray();
        }

        [Fact]
        public void TruncatedCorruptedOrForeignStreamsFailClearly()
        {
            var bytes = SavedBytes();
            var ml = new MLContext();
            foreach (int length in new[] { 0, 5, 40, 200, bytes.Length / 2, bytes.Length - 1 })
                Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(bytes, 0, length)));

            var flipped = (byte[])bytes.Clone();
            flipped[bytes.Length / 2] ^= 0x40;
            var e = Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(flipped)));
            Assert.Contains("checksum", e.Message);

            var foreign = new byte[4096];
            new Random(1).NextBytes(foreign);
            Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, new MemoryStream(foreign)));
        }

        [Fact]
        public void AVersionOneModelStillLoadsAndEmbedsAsItDid()
        {
            // Written by format version 1 (before densMAP): 200 digits, Seed 7, 30 epochs; the CSV holds what the
            // current placement of new rows (sequential negative samples) gives digits 200–204 from it.
            var ml = new MLContext();
            using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "digits200-v1.umap"));
            var model = UmapTransformer.Load(ml, stream);
            Assert.False(model.Parameters.DensityRegularization);
            Assert.Equal(30, model.Parameters.NumberOfEpochs);
            Assert.Equal(7, model.Parameters.Seed);

            var digits = Datasets.Digits();
            var rows = Enumerable.Range(0, 205).Select(i => new FeatureRow { Features = digits.Row(i), Label = digits.Labels[i] }).ToList();
            var training = MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, rows.Take(200), 64)));
            Assert.Equal(model.GetTrainingEmbedding(), training);
            var expected = TestMatrices.Fixture("digits200-v1-new-rows.csv");
            var embedded = MlNetData.Embedding(ml, model.Transform(MlNetData.Load(ml, rows.Skip(200), 64)));
            // Up to rounding: the recorded values outlive changes to the last bits of the gradient's arithmetic.
            for (int i = 0; i < expected.Rows; i++)
            {
                for (int d = 0; d < 2; d++)
                    Assert.Equal(expected.ReadOnlyRow(i)[d], embedded[i][d], 1e-3f);
            }
        }

        [Fact]
        public void ATamperedRowCountCannotForceAHugeAllocation()
        {
            var bytes = SavedBytes();
            // The row count sits after the signature (8), two names and the fixed-size header; find it by value.
            int headerStart = IndexOf(bytes, System.Text.Encoding.ASCII.GetBytes("UMAPMDL\0"));
            int rowsOffset = FindInt(bytes, headerStart, 1500);
            BitConverter.GetBytes(500_000_000).CopyTo(bytes, rowsOffset); // 500M × 64 floats would be 128 GB

            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(new MLContext(), new MemoryStream(bytes)));
            Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(new MLContext(), new NonSeekableStream(bytes)));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L << 20, $"{allocated} bytes allocated");
        }

        [Fact]
        public void AModelFileWithoutTheUmapEntryOrFromAnotherTransformIsRefused()
        {
            var ml = new MLContext();
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(30, 4, seed: 1));
            string path = Path.Combine(_directory, "other.zip");
            ml.Model.Save(ml.Transforms.NormalizeMinMax("Features").Fit(data), data.Schema, path);
            Assert.Throws<InvalidDataException>(() => UmapTransformer.Load(ml, File.OpenRead(path)));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                    return i;
            }
            return -1;
        }

        private static int FindInt(byte[] bytes, int from, int value)
        {
            var pattern = BitConverter.GetBytes(value);
            for (int i = from; i + 4 <= bytes.Length; i++)
            {
                if (bytes.AsSpan(i, 4).SequenceEqual(pattern))
                    return i;
            }
            throw new InvalidOperationException("value not found");
        }

        private sealed class NonSeekableStream : MemoryStream
        {
            public NonSeekableStream(byte[] bytes)
                : base(bytes)
            {
            }

            public override bool CanSeek => false;
        }
    }
}
