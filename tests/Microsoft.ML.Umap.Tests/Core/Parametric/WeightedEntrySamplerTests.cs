using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Core.Parametric;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Parametric
{
    public class WeightedEntrySamplerTests
    {
        public static IEnumerable<object[]> WeightLists()
        {
            var random = new Random(5);
            yield return new object[] { new[] { 1f } };
            yield return new object[] { new[] { 0f, 0f, 2f, 0f, 1f, 0f } };
            yield return new object[] { new[] { 0f, 0f, 0f } };
            yield return new object[] { Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble()).ToArray() };
            // More entries than slices, weights over twelve orders of magnitude, runs of zeros.
            yield return new object[] { Enumerable.Range(0, 200_000).Select(i => i % 97 < 10 ? 0f : (float)Math.Pow(10, random.Next(-6, 7) * random.NextDouble())).ToArray() };
        }

        [Theory]
        [MemberData(nameof(WeightLists))]
        public void ADrawIsTheEntryABinarySearchFinds(float[] weights)
        {
            var sampler = new WeightedEntrySampler(weights);
            var cumulative = new double[weights.Length];
            double sum = 0;
            for (int i = 0; i < weights.Length; i++)
                cumulative[i] = sum += weights[i];
            var random = new Random(9);
            var uniforms = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble())
                .Concat(new[] { 0.0, 0.5, Math.BitDecrement(1.0) })
                .Concat(cumulative.Take(500).Select(c => sum > 0 ? c / sum : 0)); // the totals' own edges
            foreach (double u in uniforms)
                Assert.Equal(BinarySearch(cumulative, u), sampler.Sample(u));
        }

        [Fact]
        public void NoWeightsIsRefused() =>
            Assert.Throws<ArgumentException>(() => new WeightedEntrySampler(ReadOnlySpan<float>.Empty));

        private static int BinarySearch(double[] cumulative, double uniform)
        {
            double target = uniform * cumulative[^1];
            int low = 0, high = cumulative.Length - 1;
            while (low < high)
            {
                int middle = (low + high) >>> 1;
                if (cumulative[middle] > target)
                    high = middle;
                else
                    low = middle + 1;
            }
            return low;
        }
    }
}
