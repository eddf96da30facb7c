using System;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    /// <summary>The machine-independent exponential, logarithm, power and cosine agree with the C runtime's to a few units in the last place.</summary>
    public class PortableMathTests
    {
        private static void Close(double expected, double actual, double ulps, string what)
        {
            if (expected == actual)
                return;
            double tolerance = ulps * Math.Max(Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected), double.Epsilon);
            Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual:R} instead of {expected:R}");
        }

        [Fact]
        public void ExpIsWithinTwoUlpsOverItsWholeRange()
        {
            var random = new Random(1);
            for (int i = 0; i < 200_000; i++)
            {
                double x = (random.NextDouble() * 2 - 1) * 745;
                Close(Math.Exp(x), PortableMath.Exp(x), 2, $"exp({x:R})");
            }
            foreach (double x in new[] { 0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 709.78, -745.0, 0.5 * Math.Log(2) })
                Close(Math.Exp(x), PortableMath.Exp(x), 2, $"exp({x:R})");
            Assert.Equal(double.PositiveInfinity, PortableMath.Exp(710));
            Assert.Equal(0.0, PortableMath.Exp(-746));
            Assert.True(double.IsNaN(PortableMath.Exp(double.NaN)));
            Assert.Equal(1.0, PortableMath.Exp(0));
        }

        [Fact]
        public void LogIsWithinTwoUlpsOverItsWholeRange()
        {
            var random = new Random(2);
            for (int i = 0; i < 200_000; i++)
            {
                double x = Math.Exp((random.NextDouble() * 2 - 1) * 700);
                Close(Math.Log(x), PortableMath.Log(x), 2, $"log({x:R})");
            }
            foreach (double x in new[] { 1.0, 2.0, 0.5, Math.Sqrt(2), Math.Sqrt(0.5), 1 + 1e-15, 1 - 1e-16, double.Epsilon, 2.2250738585072014e-308, double.MaxValue })
                Close(Math.Log(x), PortableMath.Log(x), 2, $"log({x:R})");
            Assert.Equal(0.0, PortableMath.Log(1));
            Assert.Equal(double.NegativeInfinity, PortableMath.Log(0));
            Assert.True(double.IsNaN(PortableMath.Log(-1)));
            Assert.Equal(double.PositiveInfinity, PortableMath.Log(double.PositiveInfinity));
        }

        [Fact]
        public void Exp2IsExactAtPowersOfTwoAndCloseElsewhere()
        {
            for (int k = -1074; k <= 1023; k++)
                Assert.Equal(Math.ScaleB(1.0, k), PortableMath.Exp2(k));
            var random = new Random(3);
            for (int i = 0; i < 100_000; i++)
            {
                double x = (random.NextDouble() * 2 - 1) * 1000;
                Close(Math.Pow(2, x), PortableMath.Exp2(x), 2, $"2^{x:R}");
            }
        }

        [Fact]
        public void PowKeepsItsRelativeErrorSmall()
        {
            var random = new Random(4);
            for (int i = 0; i < 100_000; i++)
            {
                double x = Math.Exp((random.NextDouble() * 2 - 1) * 20), y = (random.NextDouble() * 2 - 1) * 4;
                double expected = Math.Pow(x, y);
                Assert.True(Math.Abs(PortableMath.Pow(x, y) - expected) <= 1e-14 * expected, $"{x:R}^{y:R}");
            }
            Assert.Equal(1.0, PortableMath.Pow(0, 0));
            Assert.Equal(0.0, PortableMath.Pow(0, 1.5));
            Assert.Equal(double.PositiveInfinity, PortableMath.Pow(0, -1));
            Assert.Equal(1.0, PortableMath.Pow(1, 1e300));
        }

        [Fact]
        public void CosineOfTurnsIsWithinAFewUlpsAndSymmetric()
        {
            for (int i = 0; i <= 100_000; i++)
            {
                double turns = i / 100_000.0;
                // The reference's own argument 2π·t is rounded (up to 7e-16 off at t near 1); the turns are reduced exactly.
                double expected = Math.Cos(2 * Math.PI * turns);
                Assert.True(Math.Abs(PortableMath.CosTurns(turns) - expected) <= 1.5e-15, $"cos(2π·{turns:R})");
            }
            Assert.Equal(1.0, PortableMath.CosTurns(0));
            Assert.Equal(-1.0, PortableMath.CosTurns(0.5));
            Assert.Equal(0.0, PortableMath.CosTurns(0.25), 15);
            Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.CosTurns(1.5));
        }
    }
}
