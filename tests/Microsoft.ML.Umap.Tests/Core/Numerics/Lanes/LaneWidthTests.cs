using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics.Lanes
{
    /// <summary>
    /// Every vector width gives the same bits: each lane operation is the one-lane operation lane by lane, and every
    /// reduction adds its terms in the one order that <see cref="LaneSums"/> defines, written out here plainly.
    /// </summary>
    public class LaneWidthTests
    {
        /// <summary>Values a kernel can meet: signed zeros, subnormals, the ends of float's range, and ordinary ones.</summary>
        private static float[] Values(int count, int seed)
        {
            var random = new Random(seed);
            var special = new[] { 0f, -0f, 1e-40f, -3e-42f, float.Epsilon, 1.17549435E-38f, 3e38f, -3e38f, 1f, -1f, 0.5f, 4f, -4f };
            return Enumerable.Range(0, count).Select(i => random.Next(4) == 0
                ? special[random.Next(special.Length)]
                : (float)((random.NextDouble() * 2 - 1) * Math.Exp(random.NextDouble() * 20 - 10))).ToArray();
        }

        [Fact]
        public void EveryLaneOperationIsTheOneLaneOperationLaneByLane() => LaneWidths.ForEach(new LaneOperations());

        private sealed class LaneOperations : IWidthCheck
        {
            public unsafe void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes>
            {
                int w = TLanes.Count;
                var table = Values(64, 99);
                var intTable = Enumerable.Range(0, 64).Select(i => i * 7 - 100).ToArray();
                var bytes = Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray();
                for (int round = 0; round < 500; round++)
                {
                    var x = Values(w, round);
                    var y = Values(w, round + 1000);
                    // Min and Max agree across processors except for NaN and opposite zeros, which no kernel gives them.
                    var yOrdered = y.Select((v, l) => v == 0 && x[l] == 0 ? 1f : v).ToArray();
                    var indices = Enumerable.Range(0, w).Select(l => (round * 7 + l * 13) % 64).ToArray();
                    var mask = Enumerable.Range(0, w).Select(l => (round + l) % 3 == 0 ? -1 : 0).ToArray();
                    var counts = Enumerable.Range(0, w).Select(l => (round * 31 + l) % 9).ToArray();
                    var vx = TLanes.Load(ref x[0], 0);
                    var vy = TLanes.Load(ref y[0], 0);
                    var vyo = TLanes.Load(ref yOrdered[0], 0);
                    var vi = TLanes.LoadInts(ref indices[0], 0);
                    var vm = TLanes.LoadInts(ref mask[0], 0);
                    var vc = TLanes.LoadInts(ref counts[0], 0);
                    var rows = indices.Select(i => i / 4).ToArray();
                    fixed (float* source = table)
                    fixed (int* ints = intTable)
                    fixed (int* rowIndices = rows)
                    {
                        for (int l = 0; l < w; l++)
                        {
                            var ox = new OneLane(x[l]);
                            var oy = new OneLane(y[l]);
                            var oyo = new OneLane(yOrdered[l]);
                            var oi = OneLane.CreateInt(indices[l]);
                            var om = OneLane.CreateInt(mask[l]);
                            var oc = OneLane.CreateInt(counts[l]);
                            Same(OneLane.Lane(ox + oy, 0), TLanes.Lane(vx + vy, l), "+");
                            Same(OneLane.Lane(ox - oy, 0), TLanes.Lane(vx - vy, l), "-");
                            Same(OneLane.Lane(ox * oy, 0), TLanes.Lane(vx * vy, l), "*");
                            Same(OneLane.Lane(ox / oy, 0), TLanes.Lane(vx / vy, l), "/");
                            Same(OneLane.Lane(ox & oy, 0), TLanes.Lane(vx & vy, l), "&");
                            Same(OneLane.Lane(ox | oy, 0), TLanes.Lane(vx | vy, l), "|");
                            Same(OneLane.Lane(~ox, 0), TLanes.Lane(~vx, l), "~");
                            Same(OneLane.Lane(OneLane.Abs(ox), 0), TLanes.Lane(TLanes.Abs(vx), l), "Abs");
                            Same(OneLane.Lane(OneLane.Sqrt(OneLane.Abs(ox)), 0), TLanes.Lane(TLanes.Sqrt(TLanes.Abs(vx)), l), "Sqrt");
                            Same(OneLane.Lane(OneLane.Min(ox, oyo), 0), TLanes.Lane(TLanes.Min(vx, vyo), l), "Min");
                            Same(OneLane.Lane(OneLane.Max(ox, oyo), 0), TLanes.Lane(TLanes.Max(vx, vyo), l), "Max");
                            Same(OneLane.Lane(OneLane.Equal(ox, oy), 0), TLanes.Lane(TLanes.Equal(vx, vy), l), "Equal");
                            Same(OneLane.Lane(OneLane.LessThan(ox, oy), 0), TLanes.Lane(TLanes.LessThan(vx, vy), l), "LessThan");
                            Same(OneLane.Lane(OneLane.GreaterThan(ox, oy), 0), TLanes.Lane(TLanes.GreaterThan(vx, vy), l), "GreaterThan");
                            Same(OneLane.Lane(OneLane.Select(om, ox, oy), 0), TLanes.Lane(TLanes.Select(vm, vx, vy), l), "Select");
                            Assert.Equal(OneLane.IntLane(OneLane.AddInts(oi, oc), 0), TLanes.IntLane(TLanes.AddInts(vi, vc), l));
                            Assert.Equal(OneLane.IntLane(OneLane.MultiplyInts(oi, oc), 0), TLanes.IntLane(TLanes.MultiplyInts(vi, vc), l));
                            Assert.Equal(OneLane.IntLane(OneLane.EqualInts(oi, oc), 0), TLanes.IntLane(TLanes.EqualInts(vi, vc), l));
                            Assert.Equal(OneLane.IntLane(OneLane.LessThanInts(oc, oi), 0), TLanes.IntLane(TLanes.LessThanInts(vc, vi), l));
                            Assert.Equal(OneLane.IntLane(OneLane.ShiftRightLogicalInts(ox, 23), 0), TLanes.IntLane(TLanes.ShiftRightLogicalInts(vx, 23), l));
                            Same(OneLane.Lane(OneLane.Gather(source, oi), 0), TLanes.Lane(TLanes.Gather(source, vi), l), "Gather");
                            Same(OneLane.Lane(OneLane.GatherRows(source + 1, rowIndices + l, 4), 0), TLanes.Lane(TLanes.GatherRows(source + 1, rowIndices, 4), l), "GatherRows");
                            Same(table[1 + rows[l] * 4], OneLane.Lane(OneLane.GatherRows(source + 1, rowIndices + l, 4), 0), "GatherRows");
                            Same(OneLane.Lane(OneLane.GatherMasked(source, oi, om), 0), TLanes.Lane(TLanes.GatherMasked(source, vi, vm), l), "GatherMasked");
                            Assert.Equal(OneLane.IntLane(OneLane.GatherIntsMasked(ints, oi, om), 0), TLanes.IntLane(TLanes.GatherIntsMasked(ints, vi, vm), l));
                            Same(OneLane.Lane(OneLane.LoadBytes(ref bytes[0], (nuint)l), 0), TLanes.Lane(TLanes.LoadBytes(ref bytes[0], 0), l), "LoadBytes");
                        }
                    }
                    Assert.Equal(mask.Any(m => m != 0), TLanes.Any(vm));
                }

                void Same(float expected, float actual, string operation) =>
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
                        $"{typeof(TLanes).Name} {operation}: {actual:R} instead of {expected:R}");
            }
        }

        /// <summary>The order of <see cref="LaneSums"/>, one term at a time: the reference every width must match.</summary>
        private static float CanonicalSum(float[] terms, bool twoSets = false)
        {
            int n = terms.Length;
            float sum = 0f;
            if (n < 16)
            {
                foreach (float t in terms)
                    sum += t;
                return sum;
            }
            var p = new float[16];
            int i = 0;
            if (twoSets)
            {
                // Whole blocks of 32 into two sets of sixteen, added together before the rest.
                var q = new float[16];
                for (; i + 32 <= n; i += 32)
                {
                    for (int l = 0; l < 16; l++)
                    {
                        p[l] += terms[i + l];
                        q[l] += terms[i + 16 + l];
                    }
                }
                for (int l = 0; l < 16; l++)
                    p[l] += q[l];
            }
            for (; i + 16 <= n; i += 16)
            {
                for (int l = 0; l < 16; l++)
                    p[l] += terms[i + l];
            }
            // The last few: read as the last sixteen, the lanes already counted left out.
            for (int l = 0; l < 16; l++)
            {
                if (n - 16 + l >= i)
                    p[l] += terms[n - 16 + l];
            }
            for (int half = 8; half >= 2; half /= 2)
            {
                for (int l = 0; l < half; l++)
                    p[l] += p[l + half];
            }
            return p[0] + p[1];
        }

        public static TheoryData<int> Lengths() => new() { 0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 47, 48, 50, 63, 64, 65, 100, 784 };

        [Theory]
        [MemberData(nameof(Lengths))]
        public void SquaredEuclideanAddsInTheOneOrderOnEveryWidth(int length)
        {
            var x = Values(length, 1).Select(v => Math.Clamp(v, -1e15f, 1e15f)).ToArray();
            var y = Values(length, 2).Select(v => Math.Clamp(v, -1e15f, 1e15f)).ToArray();
            float expected = CanonicalSum(x.Zip(y, (a, b) => (a - b) * (a - b)).ToArray(), twoSets: true);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(DistanceKernels.SquaredEuclidean(x, y)));
            LaneWidths.ForEach(new SameReduction(x, y, expected));
        }

        private sealed class SameReduction : IWidthCheck
        {
            private readonly float[] _x, _y;
            private readonly float _expected;

            public SameReduction(float[] x, float[] y, float expected) => (_x, _y, _expected) = (x, y, expected);

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes> =>
                Assert.Equal(BitConverter.SingleToInt32Bits(_expected), BitConverter.SingleToInt32Bits(DistanceKernels.SquaredEuclidean<TLanes>(_x, _y)));
        }

        [Theory]
        [MemberData(nameof(Lengths))]
        public void EveryMetricsSumsAddInTheOneOrderOnEveryWidth(int length)
        {
            var x = Values(length, 3).Select(v => Math.Clamp(v, -1e12f, 1e12f)).ToArray();
            var y = Values(length, 4).Select(v => Math.Clamp(v, -1e12f, 1e12f)).ToArray();
            var positive = (X: x.Select(Math.Abs).ToArray(), Y: y.Select(Math.Abs).ToArray());
            Check(default(ManhattanDistance.Terms), x, y);
            Check(default(CosineDistance.Terms), x, y);
            Check(default(CorrelationDistance.Means), x, y);
            Check(new CorrelationDistance.Centred(0.25f, -3f), x, y);
            Check(default(CanberraDistance.Terms), x, y);
            Check(default(BrayCurtisDistance.Terms), x, y);
            Check(default(HellingerDistance.Terms), positive.X, positive.Y);
            Check(default(HammingDistance.Terms), x, x.Select((v, i) => i % 3 == 0 ? v : y[i]).ToArray());
            Check(default(JaccardDistance.Terms), x.Select((v, i) => i % 2 == 0 ? 0f : v).ToArray(), y.Select((v, i) => i % 3 == 0 ? 0f : v).ToArray());
            Check(new MinkowskiDistance.Terms(new FixedPower(3)), x.Select(v => Math.Clamp(v, -1e9f, 1e9f)).ToArray(), y.Select(v => Math.Clamp(v, -1e9f, 1e9f)).ToArray());
            Check(default(DistanceKernels.DotTerms), x, y);
        }

        private static void Check<TTerms>(TTerms terms, float[] x, float[] y)
            where TTerms : struct, IDenseTerms
        {
            // Each term on its own (one lane, from zero sums), then added in the one order.
            var a = new float[x.Length];
            var b = new float[x.Length];
            var c = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                OneLane ta = default, tb = default, tc = default;
                terms.Accumulate(new OneLane(x[i]), new OneLane(y[i]), ref ta, ref tb, ref tc);
                (a[i], b[i], c[i]) = (ta.Value, tb.Value, tc.Value);
            }
            // The sums past SumCount are never totalled, so the terms must leave them alone.
            Assert.InRange(TTerms.SumCount, 1, 3);
            Assert.All(new[] { a, b, c }.Skip(TTerms.SumCount), unused => Assert.All(unused, v => Assert.Equal(0f, v)));
            var expected = (CanonicalSum(a), CanonicalSum(b), CanonicalSum(c));
            Assert.Equal(Bits(expected), Bits(DistanceKernels.Sums(x, y, in terms)));
            LaneWidths.ForEach(new SameSums<TTerms>(terms, x, y, expected));
        }

        private static (int, int, int) Bits((float A, float B, float C) sums) =>
            (BitConverter.SingleToInt32Bits(sums.A), BitConverter.SingleToInt32Bits(sums.B), BitConverter.SingleToInt32Bits(sums.C));

        private sealed class SameSums<TTerms> : IWidthCheck
            where TTerms : struct, IDenseTerms
        {
            private readonly TTerms _terms;
            private readonly float[] _x, _y;
            private readonly (float, float, float) _expected;

            public SameSums(TTerms terms, float[] x, float[] y, (float, float, float) expected) => (_terms, _x, _y, _expected) = (terms, x, y, expected);

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes> =>
                Assert.True(Bits(_expected) == Bits(DistanceKernels.Sums<TTerms, TLanes>(_x, _y, in _terms)), $"{typeof(TTerms).DeclaringType?.Name}.{typeof(TTerms).Name} on {typeof(TLanes).Name}");
        }

        [Theory]
        [MemberData(nameof(Lengths))]
        public void ChebyshevIsTheLargestDifferenceOnEveryWidth(int length)
        {
            var x = Values(length, 5).Select(v => Math.Clamp(v, -1e30f, 1e30f)).ToArray();
            var y = Values(length, 6).Select(v => Math.Clamp(v, -1e30f, 1e30f)).ToArray();
            float expected = x.Zip(y, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0f).Max();
            Assert.Equal(expected, DistanceKernels.MaxAbsoluteDifference(x, y));
            Assert.Equal(expected, DistanceKernels.MaxAbsoluteDifference<Lanes128>(x, y));
            Assert.Equal(expected, DistanceKernels.MaxAbsoluteDifference<SoftwareLanes>(x, y));
            if (Vector256.IsHardwareAccelerated)
                Assert.Equal(expected, DistanceKernels.MaxAbsoluteDifference<Lanes256>(x, y));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(37)]
        [InlineData(784)]
        public void AddScaledIsAProductThenASumElementByElement(int length)
        {
            var destination = Values(length, 7).Select(v => Math.Clamp(v, -1e15f, 1e15f)).ToArray();
            var source = Values(length, 8).Select(v => Math.Clamp(v, -1e15f, 1e15f)).ToArray();
            var expected = destination.Zip(source, (d, s) => d + s * 0.37f).ToArray();
            VectorArithmetic.AddScaled(destination, source, 0.37f);
            Assert.Equal(expected, destination);
        }

        [Fact]
        public void TheWalksIntegerDotProductIsTheSameOnEveryWidth()
        {
            var random = new Random(9);
            for (int round = 0; round < 200; round++)
            {
                var codes = Enumerable.Range(0, 32).Select(_ => (byte)random.Next(256)).ToArray();
                var weights = Enumerable.Range(0, 32).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
                int expected = 0;
                for (int i = 0; i < 32; i++)
                    expected += weights[i] * codes[i];
                var low = Vector128.Create(codes.AsSpan(0, 16));
                var high = Vector128.Create(codes.AsSpan(16, 16));
                Assert.Equal(expected, CodeDotScalar.Total(CodeDotScalar.Add(default, low, high, ref weights[0], 0)));
                if (CodeDot128.IsSupported)
                    Assert.Equal(expected, CodeDot128.Total(CodeDot128.Add(default, low, high, ref weights[0], 0)));
                if (CodeDot256.IsSupported)
                    Assert.Equal(expected, CodeDot256.Total(CodeDot256.Add(default, low, high, ref weights[0], 0)));
                if (CodeDot512.IsSupported)
                    Assert.Equal(expected, CodeDot512.Total(CodeDot512.Add(default, low, high, ref weights[0], 0)));
            }
        }
    }
}
