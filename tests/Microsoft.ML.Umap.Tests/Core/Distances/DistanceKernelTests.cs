using System;
using Microsoft.ML.Umap.Core.Distances;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Distances
{
    public class DistanceKernelTests
    {
        public static TheoryData<int> Lengths()
        {
            var data = new TheoryData<int>();
            for (int n = 0; n <= 70; n++)
                data.Add(n);
            foreach (int n in new[] { 127, 128, 129, 255, 256, 784, 1000 })
                data.Add(n);
            return data;
        }

        [Theory]
        [MemberData(nameof(Lengths))]
        public void SquaredEuclideanMatchesScalarLoopAtEveryLength(int length)
        {
            var rng = new Random(length);
            var x = new float[length];
            var y = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = (float)(rng.NextDouble() * 20 - 10);
                y[i] = (float)(rng.NextDouble() * 20 - 10);
            }

            double expected = 0;
            for (int i = 0; i < length; i++)
                expected += (double)(x[i] - y[i]) * (x[i] - y[i]);

            float actual = DistanceKernels.SquaredEuclidean(x, y);
            Assert.Equal(expected, actual, Math.Max(1e-4, expected * 2e-6));
        }

        [Fact]
        public void SquaredEuclideanOfHandComputedVectors()
        {
            Assert.Equal(0f, DistanceKernels.SquaredEuclidean(new float[] { 1, 2, 3 }, new float[] { 1, 2, 3 }));
            Assert.Equal(25f, DistanceKernels.SquaredEuclidean(new float[] { 0, 0 }, new float[] { 3, 4 }));
            Assert.Equal(5f, new EuclideanDistance().ToDistance(DistanceKernels.SquaredEuclidean(new float[] { 0, 0 }, new float[] { 3, 4 })));
        }

        [Fact]
        public void SquaredEuclideanRejectsMismatchedLengths()
        {
            Assert.Throws<ArgumentException>(() => DistanceKernels.SquaredEuclidean(new float[3], new float[4]));
        }
    }
}
