using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// Crafted model files: every field read from a file is range-checked at load, after
    /// the checksum, so a file with a valid checksum and a hostile field fails with <see cref="InvalidDataException"/>
    /// rather than an internal exception, a hang or NaN.
    /// </summary>
    public class HostileModelFileTests
    {
        private static readonly Lazy<byte[]> DenseModel = new Lazy<byte[]>(() => Saved(sparse: false));
        private static readonly Lazy<byte[]> SparseModel = new Lazy<byte[]>(() => Saved(sparse: true));

        private static byte[] Saved(bool sparse)
        {
            var ml = new MLContext(seed: 1);
            IDataView data = sparse
                ? HostileData.LoadSparse(ml, HostileData.RandomSparse(60, 500, 6, seed: 2))
                : MlNetData.Load(ml, TestMatrices.Gaussian(60, 5, seed: 2));
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 10, NumberOfNeighbors = 5 }).Fit(data);
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }

        private static ModelBytes Edit(bool sparse = false) => new ModelBytes((byte[])(sparse ? SparseModel : DenseModel).Value.Clone());

        private static Exception Load(ModelBytes file) =>
            Record.Exception(() => UmapTransformer.Load(new MLContext(), new MemoryStream(file.Bytes)));

        [Fact]
        public void TheTestsResigningReproducesTheLibrarysChecksum()
        {
            foreach (bool sparse in new[] { false, true })
            {
                var original = (sparse ? SparseModel : DenseModel).Value;
                Assert.Equal(original, Edit(sparse).Resign().Bytes);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void SparseRowOffsetsPastTheNonZeroCountAreRefused(bool resign)
        {
            // The last two rows' positions rewritten to increase throughout, so only the offset bound can stop a
            // reader from walking off the end of the arrays.
            var file = Edit(sparse: true);
            int n = file.GetInt(file.Rows), nnz = file.GetInt(file.NonZeroCount);
            int secondLast = file.GetInt(file.RowOffset(n - 2));
            int positions = file.RowOffset(n + 1);
            for (int p = secondLast; p < nnz; p++)
                file.SetInt(positions + 4 * p, p - secondLast);
            file.SetInt(file.RowOffset(n - 1), nnz + 1000);
            if (resign)
                file.Resign();
            var e = Load(file);
            Assert.IsType<InvalidDataException>(e);
        }

        [Theory]
        [InlineData(ModelBytes.NegativeSampleRate, 1e300)]
        [InlineData(ModelBytes.LearningRate, 1e300)]
        [InlineData(ModelBytes.LearningRate, 1e30)]
        [InlineData(ModelBytes.RepulsionStrength, 1e300)]
        [InlineData(ModelBytes.LocalConnectivity, 1e300)]
        [InlineData(ModelBytes.Spread, 1e300)]
        [InlineData(ModelBytes.MinkowskiP, 1e300)]
        [InlineData(ModelBytes.A, 1e300)]
        [InlineData(ModelBytes.DensityStrength, 1e300)]
        public void OutOfRangeSettingsWithAValidChecksumAreRefused(int field, double value)
        {
            var e = Load(Edit().SetDouble(field, value).Resign());
            Assert.IsType<InvalidDataException>(e);
        }

        [Theory]
        [InlineData(ModelBytes.NumberOfTransformEpochs, int.MaxValue)]
        [InlineData(ModelBytes.NumberOfEpochs, int.MaxValue)]
        [InlineData(ModelBytes.NumberOfComponents, 150_000)]
        [InlineData(ModelBytes.Metric, 99)]
        public void OutOfRangeCountsWithAValidChecksumAreRefused(int field, int value)
        {
            var e = Load(Edit().SetInt(field, value).Resign());
            Assert.IsType<InvalidDataException>(e);
        }

        [Fact]
        public void AForgedFitSummaryIsRefused()
        {
            var file = Edit();
            Assert.IsType<InvalidDataException>(Load(new ModelBytes((byte[])file.Bytes.Clone()).SetInt(file.Epochs, int.MaxValue).Resign()));
            Assert.IsType<InvalidDataException>(Load(new ModelBytes((byte[])file.Bytes.Clone()).SetDouble(file.FittedA, 1e300).Resign()));
            Assert.IsType<InvalidDataException>(Load(new ModelBytes((byte[])file.Bytes.Clone()).SetDouble(file.FittedB, double.NaN).Resign()));
        }

        [Fact]
        public void ForgedNeighbourDistancesAreRefused()
        {
            var file = Edit();
            int n = file.GetInt(file.Rows), d = file.GetInt(file.Columns), k = file.GetInt(file.K);
            int components = file.GetInt(ModelBytes.NumberOfComponents);
            int distances = file.Storage + 1 + 4 * (n * d + n * components + n * k);
            foreach (float forged in new[] { float.NaN, -1f, float.NegativeInfinity })
            {
                var copy = new ModelBytes((byte[])file.Bytes.Clone());
                BitConverter.GetBytes(forged).CopyTo(copy.Bytes, copy.Start + distances + 4 * 3);
                Assert.IsType<InvalidDataException>(Load(copy.Resign()));
            }
        }

        [Fact]
        public void TrainingValuesThatOverflowTheMetricAreRefused()
        {
            var file = Edit();
            BitConverter.GetBytes(3e38f).CopyTo(file.Bytes, file.Start + file.Storage + 1 + 4 * 7);
            Assert.IsType<InvalidDataException>(Load(file.Resign()));
        }
    }
}
