using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    public class FixedPowerTests
    {
        [Theory]
        [InlineData(0.895)]   // b for min_dist 0.1, spread 1
        [InlineData(0.79)]
        [InlineData(1.93)]
        [InlineData(0.5)]
        [InlineData(3.0)]     // a Minkowski p
        [InlineData(1.0 / 3)] // and its root
        public void MatchesMathPowToAFewPartsInTenMillionOverTheWholeRange(double exponent)
        {
            var power = new FixedPower(exponent);
            var random = new Random(1);
            double worst = 0;
            // e^±40 (4e-18 to 2e17), narrower where x^b would leave float's range.
            double range = Math.Min(40, 85 / exponent);
            for (int i = 0; i < 100_000; i++)
            {
                float x = (float)Math.Exp((random.NextDouble() * 2 - 1) * range);
                double expected = Math.Pow(x, exponent);
                worst = Math.Max(worst, Math.Abs(power.Of(x) - expected) / expected);
            }
            Assert.True(worst < 1e-6, $"worst relative error {worst:E2}");
        }

        [Theory]
        [InlineData(0.895)]
        [InlineData(0.15)]
        [InlineData(1.93)]
        public void PowersOfTwoOneAndSubnormalsAreRight(double exponent)
        {
            var power = new FixedPower(exponent);
            Assert.Equal(Math.Pow(2, exponent * 10), power.Of(1024f), Math.Pow(2, exponent * 10) * 1e-6);
            Assert.Equal(1f, power.Of(1f), 6);
            // Subnormals are lifted into the normal range by 2^64 and the result scaled back.
            foreach (float subnormal in new[] { 1e-40f, float.Epsilon, 1.1e-38f, 3e-45f })
            {
                double expected = Math.Pow(subnormal, exponent);
                Assert.True(Math.Abs(power.Of(subnormal) - expected) <= expected * 1e-6 + 1e-45, $"{subnormal:R}^{exponent} = {power.Of(subnormal):R}, expected {expected:R}");
            }
            Assert.True(float.IsFinite(power.Of(0f)), "0 must give a finite (meaningless) value that callers can mask");
        }

        [Fact]
        public void EveryWidthGivesTheBitsOfOneValueAtATime()
        {
            foreach (double exponent in new[] { 0.895, 1.93, 0.15 })
                LaneWidths.ForEach(new SameBits(new FixedPower(exponent)));
        }

        private sealed class SameBits : IWidthCheck
        {
            private readonly FixedPower _power;

            public SameBits(FixedPower power) => _power = power;

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes>
            {
                var random = new Random(2);
                var values = new float[TLanes.Count];
                var result = new float[TLanes.Count];
                for (int i = 0; i < 5_000; i++)
                {
                    for (int lane = 0; lane < values.Length; lane++)
                        values[lane] = (float)Math.Exp(random.NextDouble() * 200 - 100);
                    if (i % 50 == 0)
                    {
                        // The ends of the float range, subnormals and zero in some lane.
                        values[i / 50 % values.Length] = new[] { FixedPower.SmallestNormal, float.MaxValue, float.Epsilon, 1e-40f, 0f }[i / 50 % 5];
                    }
                    TLanes.Store(_power.Of(TLanes.Load(ref values[0], 0)), ref result[0], 0);
                    for (int lane = 0; lane < values.Length; lane++)
                        Assert.Equal(BitConverter.SingleToInt32Bits(_power.Of(values[lane])), BitConverter.SingleToInt32Bits(result[lane]));
                }
            }
        }

        [Fact]
        public void TheTableAndTheCoefficientsAreTheSameOnEveryMachine()
        {
            // A fingerprint of everything the power is built from (PortableMath only): a change here changes every fit.
            var power = new FixedPower(0.8950608779109733);
            var probes = Enumerable.Range(0, 64).Select(i => power.Of((float)Math.Pow(1.37, i - 32))).ToArray();
            long hash = probes.Aggregate(17L, (h, v) => h * 31 + BitConverter.SingleToInt32Bits(v));
            Assert.Equal(ExpectedFingerprint, hash);
        }

        /// <summary>Recorded on x64; the ARM64 and instruction-set runs of CI check the same number.</summary>
        private const long ExpectedFingerprint = 4114461414908074395;
    }
}
