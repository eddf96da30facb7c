using System;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Kernels
{
    public class FixedPowerTests
    {
        [Theory]
        [InlineData(0.895)]   // b for min_dist 0.1, spread 1
        [InlineData(0.79)]
        [InlineData(1.93)]
        [InlineData(0.5)]
        public void MatchesMathPowToAFewUlpsOverTheWholeRange(double exponent)
        {
            var power = new FixedPower(exponent);
            var random = new Random(1);
            double worst = 0;
            for (int i = 0; i < 100_000; i++)
            {
                float x = (float)Math.Exp(random.NextDouble() * 80 - 40); // 4e-18 to 2e17
                double expected = Math.Pow(x, exponent);
                worst = Math.Max(worst, Math.Abs(power.Of(x) - expected) / expected);
            }
            Assert.True(worst < 1e-6, $"worst relative error {worst:E2}");
        }

        [Fact]
        public void ExactPowersOfTwoAndSubnormalsAreRight()
        {
            var power = new FixedPower(0.895);
            Assert.Equal(Math.Pow(2, 0.895 * 10), power.Of(1024f), 3);
            Assert.Equal(1f, power.Of(1f), 6);
            float subnormal = 1e-40f;
            Assert.Equal(MathF.Pow(subnormal, 0.895f), power.Of(subnormal));
        }

        [SkippableFact]
        public void EightNormalFloatsAtATimeGiveTheScalarBits()
        {
            Skip.IfNot(FixedPower.VectorIsSupported, "The vector power needs AVX2 and FMA, which this machine (or its settings) does not offer.");
            var power = new FixedPower(0.895);
            var random = new Random(2);
            var lanes = new float[8];
            for (int i = 0; i < 20_000; i++)
            {
                for (int lane = 0; lane < 8; lane++)
                    lanes[lane] = (float)Math.Exp(random.NextDouble() * 80 - 40);
                if (i % 100 == 0)
                    (lanes[1], lanes[6]) = (FixedPower.SmallestNormal, float.MaxValue); // the ends of the normal range
                var result = power.OfNormal(Vector256.Create<float>(lanes));
                for (int lane = 0; lane < 8; lane++)
                    Assert.Equal(power.Of(lanes[lane]), result.GetElement(lane));
            }
        }

        [SkippableFact]
        public void SixteenNormalFloatsAtATimeGiveTheScalarBits()
        {
            Skip.IfNot(FixedPower.WideVectorIsSupported, "The 16-lane power needs AVX-512, which this machine (or its settings) does not offer.");
            var power = new FixedPower(1.93);
            var random = new Random(3);
            var lanes = new float[16];
            for (int i = 0; i < 20_000; i++)
            {
                for (int lane = 0; lane < 16; lane++)
                    lanes[lane] = (float)Math.Exp(random.NextDouble() * 160 - 80);
                if (i % 100 == 0)
                    (lanes[3], lanes[12]) = (FixedPower.SmallestNormal, float.MaxValue);
                var result = power.OfNormal(Vector512.Create<float>(lanes));
                for (int lane = 0; lane < 16; lane++)
                    Assert.Equal(power.Of(lanes[lane]), result.GetElement(lane));
            }
        }
    }
}
