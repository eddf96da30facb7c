using System;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Quality
{
    public class UmapMetricsTests
    {
        [Theory]
        [InlineData(1, 0.6078947368421053)]
        [InlineData(3, 0.6761904761904762)]
        [InlineData(5, 0.6634375)]
        [InlineData(10, 0.706734693877551)]
        public void TrustworthinessMatchesScikitLearn(int k, double expected)
        {
            var input = TestMatrices.ToJagged(TestMatrices.Fixture("trustworthiness-input.csv"));
            var embedding = TestMatrices.ToJagged(TestMatrices.Fixture("trustworthiness-embedding.csv"));
            Assert.Equal(expected, UmapMetrics.Trustworthiness(input, embedding, k), 9);
        }

        [Fact]
        public void TrustworthinessOfAnIsometryIsOne()
        {
            var input = TestMatrices.ToJagged(TestMatrices.Gaussian(60, 2, seed: 1));
            var moved = Array.ConvertAll(input, r => new[] { -r[1] + 5, r[0] - 3 }); // rotation and shift
            Assert.Equal(1.0, UmapMetrics.Trustworthiness(input, moved, 5), 12);
        }

        [Fact]
        public void TrustworthinessByHand()
        {
            // Points on a line (no tied distances); the embedding moves point 1 next to point 3.
            var input = new[] { new[] { 0f }, new[] { 1f }, new[] { 3f }, new[] { 6.5f }, new[] { 10.2f }, new[] { 15f } };
            var embedding = new[] { new[] { 0f }, new[] { 5f }, new[] { 1f }, new[] { 6f }, new[] { 10f }, new[] { 15f } };
            // Embedded 1-NN and its input rank: 0→2 (rank 2), 1→3 (rank 3), 2→0 (rank 2), 3→1 (rank 3), 4→3 (1), 5→4 (1).
            // Penalties (rank − k): 1 + 2 + 1 + 2 = 6, so T = 1 − 2 / (n k (2n − 3k − 1)) × 6 = 1 − 12 / 48 (scikit-learn agrees).
            Assert.Equal(0.75, UmapMetrics.Trustworthiness(input, embedding, 1), 12);
        }

        [Fact]
        public void SampledTrustworthinessEstimatesTheFullValue()
        {
            var input = TestMatrices.ToJagged(TestMatrices.Fixture("trustworthiness-input.csv"));
            var embedding = TestMatrices.ToJagged(TestMatrices.Fixture("trustworthiness-embedding.csv"));
            double full = UmapMetrics.Trustworthiness(input, embedding, 5);
            Assert.Equal(full, UmapMetrics.Trustworthiness(input, embedding, 5, sampleSize: 40), 12);
            Assert.InRange(UmapMetrics.Trustworthiness(input, embedding, 5, sampleSize: 30, seed: 4), full - 0.1, full + 0.1);
        }

        [Fact]
        public void KnnAccuracyByHand()
        {
            // Two tight groups far apart plus one mislabelled point inside group A.
            var embedding = new[]
            {
                new[] { 0f, 0f }, new[] { 0.1f, 0f }, new[] { 0f, 0.1f }, new[] { 0.1f, 0.1f }, new[] { 0.05f, 0.05f },
                new[] { 10f, 10f }, new[] { 10.1f, 10f }, new[] { 10f, 10.1f }, new[] { 10.1f, 10.1f }, new[] { 10.05f, 10.05f },
            };
            var labels = new[] { 0, 0, 0, 0, 1, 1, 1, 1, 1, 1 };
            // 5 folds (i mod 5), k = 3: every point but the mislabelled one (index 4) is classified correctly.
            Assert.Equal(0.9, UmapMetrics.KnnAccuracy(embedding, labels, 3, 5), 12);

            var test = new[] { new[] { 0.02f, 0.02f }, new[] { 9.9f, 9.9f } };
            Assert.Equal(1.0, UmapMetrics.KnnAccuracy(embedding, labels, test, new[] { 0, 1 }, 3), 12);
            Assert.Equal(0.5, UmapMetrics.KnnAccuracy(embedding, labels, test, new[] { 1, 1 }, 3), 12);
        }

        [Fact]
        public void VotesTieToTheSmallestLabel()
        {
            var train = new[] { new[] { 0f }, new[] { 1f } };
            Assert.Equal(1.0, UmapMetrics.KnnAccuracy(train, new[] { 7, 3 }, new[] { new[] { 0.5f } }, new[] { 3 }, 2), 12);
        }

        [Fact]
        public void InvalidArgumentsAreRejectedWithClearMessages()
        {
            var rows = TestMatrices.ToJagged(TestMatrices.Gaussian(10, 2, seed: 2));
            Assert.Throws<ArgumentException>(() => UmapMetrics.Trustworthiness(rows, rows[..9], 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => UmapMetrics.Trustworthiness(rows, rows, 5));
            Assert.Throws<ArgumentException>(() => UmapMetrics.KnnAccuracy(rows, new int[9]));
            var ragged = (float[][])rows.Clone();
            ragged[3] = new float[3];
            var e = Assert.Throws<ArgumentException>(() => UmapMetrics.KnnAccuracy(ragged, new int[10], 2, 2));
            Assert.Contains("Row 3", e.Message);
        }
    }
}
