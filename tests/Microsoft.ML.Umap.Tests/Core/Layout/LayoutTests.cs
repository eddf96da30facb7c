using System;
using System.Linq;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Layout
{
    public class LayoutTests
    {
        internal const double A = 1.577, B = 0.895;

        private static double Q(double distanceSquared) => 1 / (1 + A * Math.Pow(distanceSquared, B));

        [Theory]
        [InlineData(0.05)]
        [InlineData(0.7)]
        [InlineData(3.0)]
        public void AttractionIsTheNegativeGradientOfMinusLogQ(double x)
        {
            // y_i = (x, 0), y_j = 0: d(−log q)/dx by central differences against coefficient × (x − 0).
            const double h = 1e-5;
            double numeric = (-Math.Log(Q((x + h) * (x + h))) + Math.Log(Q((x - h) * (x - h)))) / (2 * h);
            float coefficient = new UmapGradient(A, B, 1.0).Attraction((float)(x * x));
            Assert.Equal(-numeric, coefficient * x, Math.Abs(numeric) * 1e-3);
        }

        [Theory]
        [InlineData(0.5)]
        [InlineData(1.0)]
        [InlineData(4.0)]
        public void RepulsionIsTheNegativeGradientOfMinusLogOneMinusQ(double x)
        {
            const double h = 1e-5;
            double numeric = (-Math.Log(1 - Q((x + h) * (x + h))) + Math.Log(1 - Q((x - h) * (x - h)))) / (2 * h);
            // umap-learn adds 0.001 to d² in the denominator; compare against the same expression.
            double expected = -numeric * (x * x) / (0.001 + x * x);
            float coefficient = new UmapGradient(A, B, 1.0).Repulsion((float)(x * x));
            Assert.Equal(expected, coefficient * x, Math.Abs(expected) * 1e-3);
        }

        [Fact]
        public void StepsAreClippedAtFour()
        {
            Assert.Equal(4f, UmapGradient.ClipComponent(100f));
            Assert.Equal(-4f, UmapGradient.ClipComponent(-7f));
            Assert.Equal(0.5f, UmapGradient.ClipComponent(0.5f));
        }

        [Fact]
        public void EdgesTooWeakToFireArePrunedAndOthersFireByWeight()
        {
            var graph = CsrMatrix.FromRows(3, 3, new[] { 0, 2, 4, 6 }, new[] { 1, 2, 0, 2, 0, 1 }, new[] { 1f, 0.001f, 1f, 0.5f, 0.001f, 0.5f });
            var pruned = EdgeSchedule.Prune(graph, epochs: 200, defaultEpochs: 500);
            Assert.Equal(4, pruned.NonZeroCount); // 0.001 < 1 / 200
            Assert.Equal(new[] { 1f, 1f, 0.5f, 0.5f }, EdgeSchedule.FiringRates(pruned.Values));
        }

        [Fact]
        public void EdgesFireOncePerMaxOverWeightEpochsNeverInEpochZero()
        {
            var schedule = new EdgeSchedule(new[] { 1f, 0.5f, 0.3f }, 5.0);
            int[] Firings(int edge) => Enumerable.Range(0, 21).Where(epoch => schedule.Firing(edge, epoch) > 0).ToArray();
            Assert.Equal(Enumerable.Range(1, 20), Firings(0));
            Assert.Equal(new[] { 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 }, Firings(1));
            Assert.Equal(6, Firings(2).Length); // ⌊20 × 0.3⌋ firings, as umap-learn's epochs_per_sample schedule gives
            Assert.Equal(3, schedule.Firing(1, 6)); // the third firing of edge 1
            Assert.Equal(5, schedule.NegativeSamples(1));
            Assert.Equal(5, schedule.NegativeSamples(7));

            var fractional = new EdgeSchedule(new[] { 1f }, 2.5);
            Assert.Equal(new[] { 2, 3, 2, 3 }, Enumerable.Range(1, 4).Select(fractional.NegativeSamples));
        }

        [Fact]
        public void DueEdgesAreExactlyTheEdgesThatFire()
        {
            var rng = new System.Random(3);
            var rates = Enumerable.Range(0, 300).Select(_ => (float)rng.NextDouble()).Append(1f).Append(1e-3f).ToArray();
            var schedule = new EdgeSchedule(rates, 5.0);
            var due = new int[100];
            foreach (int epoch in new[] { 0, 1, 2, 7, 199, 200, 499 })
            {
                // A window of 100 edges starting at edge 150: positions are relative to its first edge.
                int count = schedule.DueEdges(150, epoch, due);
                var expected = Enumerable.Range(0, 100).Where(e => schedule.Firing(150 + e, epoch) > 0).ToArray();
                Assert.Equal(expected, due[..count]);
            }
            Assert.Equal(5, schedule.MostNegativeSamples);
            Assert.Equal(3, new EdgeSchedule(rates, 2.5).MostNegativeSamples);
        }

        [Theory]
        [InlineData(5.0)]
        [InlineData(2.5)]
        [InlineData(12.0)]
        public void MoveListsFollowTheEdgeByEdgeSchedule(double negativeRate)
        {
            // Written edge by edge, as the schedule is defined: each due edge, then its negative samples as ~k.
            var rng = new System.Random(5);
            int vertices = 50, degree = 40;
            var rates = Enumerable.Range(0, vertices * degree).Select(_ => (float)rng.NextDouble()).ToArray();
            var schedule = new EdgeSchedule(rates, negativeRate);
            var graph = new CsrMatrix(vertices, vertices, Enumerable.Range(0, vertices + 1).Select(v => v * degree).ToArray(),
                Enumerable.Range(0, vertices * degree).Select(e => e % vertices).ToArray(), rates);
            var context = LayoutContext.ForFit(new float[vertices * 2], new float[vertices * 2], graph, 2, new UmapGradient(A, B, 1.0), schedule, 4).ForEpoch(9, 0.5f);
            var moves = new int[1]; // grown by Build
            int total = 0;
            var expected = new System.Collections.Generic.List<int>();
            for (int v = 0; v < vertices; v++)
            {
                var built = FastRandom.ForStream(4, 9, (ulong)v);
                var reference = built;
                total = MoveSchedule.Build(in context, degree, v * degree, ref built, ref moves, total);
                for (int e = 0; e < degree; e++)
                {
                    int firing = schedule.Firing(v * degree + e, 9);
                    if (firing == 0)
                        continue;
                    expected.Add(e);
                    for (int k = schedule.NegativeSamples(firing); k > 0; k--)
                        expected.Add(~reference.NextInt(vertices));
                }
                Assert.Equal(reference.NextUInt64(), built.NextUInt64()); // the same draws were taken
            }
            Assert.Equal(expected, moves[..total]);
        }

        [Fact]
        public void OneAttractiveStepBringsNeighboursCloser()
        {
            var current = new float[] { 0f, 0f };
            var others = new float[] { 3f, 4f };
            var schedule = new EdgeSchedule(new[] { 1f }, 0.0);
            var rng = new FastRandom(1);
            var moves = new int[4];
            var context = LayoutContext.ForNewRow(others, 2, new UmapGradient(A, B, 1.0), schedule).ForEpoch(1, 0.5f);
            NewRowMoves.Step(in context, current, new[] { 0 }, ref rng, ref moves, together: false);
            double before = 5, after = Math.Sqrt(Math.Pow(3 - current[0], 2) + Math.Pow(4 - current[1], 2));
            Assert.True(after < before);
            // Direction of the move is along the edge.
            Assert.Equal(3.0 / 4.0, current[0] / current[1], 5);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void NegativeSamplesPushAwayAndCoincidentPointsSeparate(bool together)
        {
            var current = new float[] { 1f, 1f };
            var others = new float[] { 1f, 1f, 1.5f, 1f };
            // The edge to vertex 0 fires with 20 negative samples, all drawn from {0, 1}.
            var schedule = new EdgeSchedule(new[] { 1f }, 20.0);
            var rng = new FastRandom(3);
            var moves = new int[4];
            var context = LayoutContext.ForNewRow(others, 2, new UmapGradient(A, B, 1.0), schedule).ForEpoch(10, 0.1f);
            NewRowMoves.Step(in context, current, new[] { 0 }, ref rng, ref moves, together);
            // Coincident vertex 0 pushes +4 along both axes; vertex 1 at x = 1.5 pushes back along x only.
            Assert.True(current[1] > 1f);
            Assert.True(current[0] - 1f < current[1] - 1f);
            Assert.True(float.IsFinite(current[0]) && float.IsFinite(current[1]));
        }

        /// <summary>50 random points, a start that coincides with point 7, and <paramref name="count"/> samples (every n-th of them 7).</summary>
        private static (float[] Others, float[] Start, int[] Samples) RepulsionCase(int dim, int count, int coincidentEvery)
        {
            var rng = new Random(dim * 100 + count);
            var others = Enumerable.Range(0, 50 * dim).Select(_ => (float)(rng.NextDouble() * 10)).ToArray();
            var start = Enumerable.Range(0, dim).Select(_ => (float)(rng.NextDouble() * 10)).ToArray();
            Array.Copy(start, 0, others, 7 * dim, dim);
            var samples = Enumerable.Range(0, count).Select(i => i % coincidentEvery == 0 ? 7 : rng.Next(50)).ToArray();
            return (others, start, samples);
        }

        /// <summary>umap-learn's pull towards point <paramref name="k"/> on a point at <paramref name="from"/>, added to <paramref name="target"/>, in double precision.</summary>
        internal static void AddAttraction(double[] target, double[] from, float[] others, int k, int dim, double alpha)
        {
            double d2 = 0;
            for (int d = 0; d < dim; d++)
                d2 += Math.Pow(from[d] - others[k * dim + d], 2);
            double coefficient = d2 > 0 ? -2.0 * A * B * Math.Pow(d2, B - 1) / (A * Math.Pow(d2, B) + 1) : 0;
            for (int d = 0; d < dim; d++)
                target[d] += alpha * Math.Clamp(coefficient * (from[d] - others[k * dim + d]), -4, 4);
        }

        /// <summary>umap-learn's push of sample <paramref name="k"/> on a point at <paramref name="from"/>, added to <paramref name="target"/>, in double precision.</summary>
        internal static void AddRepulsion(double[] target, double[] from, float[] others, int k, int dim, double alpha)
        {
            double d2 = 0;
            for (int d = 0; d < dim; d++)
                d2 += Math.Pow(from[d] - others[k * dim + d], 2);
            double coefficient = 2.0 * B / ((0.001 + d2) * (A * Math.Pow(d2, B) + 1));
            for (int d = 0; d < dim; d++)
                target[d] += alpha * (d2 > 0 ? Math.Clamp(coefficient * (from[d] - others[k * dim + d]), -4, 4) : 4);
        }

        [Theory]
        [InlineData(2, 7)]
        [InlineData(2, 64)]
        [InlineData(3, 29)]
        [InlineData(1, 8)]
        public void NegativeSamplesRepelOneAfterTheOtherFromWhereThePreviousLeftThePoint(int dim, int count)
        {
            var (others, start, samples) = RepulsionCase(dim, count, coincidentEvery: 3);
            var gradient = new UmapGradient(A, B, 1.0);
            const double Alpha = 0.5;

            // umap-learn's negative-sample loop, each sample measured from where the previous left the point.
            var expected = start.Select(v => (double)v).ToArray();
            foreach (int k in samples)
                AddRepulsion(expected, expected, others, k, dim, Alpha);

            var position = (float[])start.Clone();
            foreach (int k in samples)
                MoveReplay.Repel(position, -1, k, others, dim, in gradient, (float)Alpha);
            for (int d = 0; d < dim; d++)
                Assert.Equal(expected[d], position[d], Math.Max(1e-3, Math.Abs(expected[d]) * 1e-4));

            // The point itself, when sampled, does not push.
            position = (float[])start.Clone();
            for (int i = 0; i < count; i++)
                MoveReplay.Repel(position, 7, 7, others, dim, in gradient, (float)Alpha);
            Assert.Equal(start, position);
        }

        [Theory]
        [InlineData(2, 7)]
        [InlineData(2, 64)]
        [InlineData(2, 61)]
        [InlineData(2, 45)]
        [InlineData(3, 29)]
        [InlineData(1, 8)]
        public void ANewRowsNegativeSamplesPushTogetherFromOnePosition(int dim, int count)
        {
            var (others, start, samples) = RepulsionCase(dim, count, coincidentEvery: 5);
            var gradient = new UmapGradient(A, B, 1.0);
            const double Alpha = 0.25;

            // Every sample measured from the starting position.
            var from = start.Select(v => (double)v).ToArray();
            var expected = (double[])from.Clone();
            foreach (int k in samples)
                AddRepulsion(expected, from, others, k, dim, Alpha);

            var position = (float[])start.Clone();
            NewRowMoves.RepelTogether(position, samples, others, dim, in gradient, (float)Alpha);
            for (int d = 0; d < dim; d++)
                Assert.Equal(expected[d], position[d], Math.Max(1e-3, Math.Abs(expected[d]) * 1e-4));

            if (dim == 2)
                LaneWidths.ForEach(new SameBitsInPlane(start, samples, others, gradient, (float)Alpha, position));
        }

        /// <summary>Every width's <see cref="NewRowMoves.RepelTogetherInPlane{TLanes}"/> gives the expected bits.</summary>
        internal sealed class SameBitsInPlane : IWidthCheck
        {
            private readonly float[] _start;
            private readonly int[] _samples;
            private readonly float[] _others;
            private readonly UmapGradient _gradient;
            private readonly float _alpha;
            private readonly float[] _expected;

            public SameBitsInPlane(float[] start, int[] samples, float[] others, UmapGradient gradient, float alpha, float[] expected) =>
                (_start, _samples, _others, _gradient, _alpha, _expected) = (start, samples, others, gradient, alpha, expected);

            public void Run<TLanes>()
                where TLanes : struct, Microsoft.ML.Umap.Core.Numerics.Lanes.IWideLanes<TLanes>
            {
                var position = (float[])_start.Clone();
                NewRowMoves.RepelTogetherInPlane<TLanes>(position, _samples, _others, in _gradient, _alpha);
                Assert.True(_expected.AsSpan().SequenceEqual(position), $"{typeof(TLanes).Name}: ({position[0]:R}, {position[1]:R}) instead of ({_expected[0]:R}, {_expected[1]:R})");
            }
        }

        /// <summary>
        /// A sample at a subnormal squared distance (which the power lifts into the normal range and back) gives the same
        /// bits whichever lane, vector or overlapping last block it falls in, on every width, and a finite push.
        /// </summary>
        [Theory]
        [InlineData(7, 3)]
        [InlineData(16, 9)]
        [InlineData(40, 0)]
        [InlineData(40, 37)]
        [InlineData(61, 50)]
        [InlineData(47, 33)]
        [InlineData(64, 63)]
        public void ASampleAtASubnormalDistanceGivesTheSameBitsOnEveryWidth(int count, int at)
        {
            // Point 0 is 1e-20 from the start along x (a squared distance of 1e-40: subnormal); the others are level
            // with the start in x, so its push alone moves x and no larger push hides a wrong last digit of it.
            var rng = new Random(count);
            var others = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1e-20f : (float)(1 + rng.NextDouble() * 9)).ToArray();
            (others[0], others[1]) = (0f, 0f);
            var samples = Enumerable.Range(0, count).Select(i => i == at ? 0 : 1 + rng.Next(49)).ToArray();
            var start = new[] { 1e-20f, 0f };
            // A small b, where d²^b of a subnormal d² still counts beside 1 in the repulsion's denominator.
            var gradient = new UmapGradient(A, 0.15, 1.0);
            var expected = (float[])start.Clone();
            NewRowMoves.RepelTogetherInPlane(expected, samples, others, in gradient, 0.25f);
            Assert.All(expected, v => Assert.True(float.IsFinite(v)));
            Assert.NotEqual(start[0], expected[0]);
            LaneWidths.ForEach(new SameBitsInPlane(start, samples, others, gradient, 0.25f, expected));
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(1)]
        public void ANewRowsAttractionsPullTogetherFromOnePosition(int dim)
        {
            var (others, start, _) = RepulsionCase(dim, 1, coincidentEvery: 1);
            var tails = new[] { 3, 7, 12, 7, 40 }; // 7 sits at the start: no pull
            var due = new[] { 0, 1, 2, 4 };
            var gradient = new UmapGradient(A, B, 1.0);
            const double Alpha = 0.25;

            // umap-learn's attraction of each edge, all measured from the starting position, in double precision.
            var from = start.Select(v => (double)v).ToArray();
            var expected = (double[])from.Clone();
            foreach (int e in due)
                AddAttraction(expected, from, others, tails[e], dim, Alpha);

            var position = (float[])start.Clone();
            NewRowMoves.AttractTogether(position, due, tails, others, dim, in gradient, (float)Alpha);
            for (int d = 0; d < dim; d++)
                Assert.Equal(expected[d], position[d], Math.Max(1e-4, Math.Abs(expected[d]) * 1e-4));
        }

        [Fact]
        public void ANewRowTakesItsAttractionsTogetherThenItsSamplesTogether()
        {
            var others = new float[] { 3f, 4f, 3.2f, 4.1f, -1f, 0.5f, 0.2f, 0.1f };
            var gradient = new UmapGradient(A, B, 1.0);
            var schedule = new EdgeSchedule(new[] { 1f, 0.5f }, 5.0);
            var context = LayoutContext.ForNewRow(others, 2, gradient, schedule).ForEpoch(2, 0.25f);

            var together = new float[] { 0f, 0f };
            var rng = new FastRandom(11);
            var moves = new int[4];
            NewRowMoves.Step(in context, together, new[] { 0, 1 }, ref rng, ref moves, together: true);

            // The same epoch by hand from the list the schedule draws: the attractions summed, then the samples.
            var expected = new float[] { 0f, 0f };
            var reference = new FastRandom(11);
            var list = new int[4];
            int count = MoveSchedule.Build(in context, 2, 0, ref reference, ref list);
            NewRowMoves.AttractTogether(expected, list[..count].Where(m => m >= 0).ToArray(), new[] { 0, 1 }, others, 2, in gradient, 0.25f);
            NewRowMoves.RepelTogether(expected, list[..count].Where(m => m < 0).Select(m => ~m).ToArray(), others, 2, in gradient, 0.25f);
            Assert.Equal(expected, together);
            Assert.NotEqual(new float[] { 0f, 0f }, together);
        }

        [Theory]
        [InlineData(2, 8, false)]
        [InlineData(3, 5, false)]
        [InlineData(2, 8, true)]
        [InlineData(2, 16, true)]
        [InlineData(2, 40, false)]
        [InlineData(3, 3, true)]
        public void TheReplayMovesEachVertexAsItsMovesOneByOneDoOnEveryWidth(int dim, int groupSize, bool densMap)
        {
            var replay = new ReplayCase(dim, groupSize, densMap);
            // One lane at a time: the replay's own scalar form.
            var (oneByOne, oneByOneTally) = replay.Run<Microsoft.ML.Umap.Core.Numerics.Lanes.OneLane>();
            Assert.NotEqual(replay.Snapshot, oneByOne);
            Assert.Contains(oneByOneTally, t => t != 0);

            // The moves applied one after the other (MoveReplay.Apply, as a new row takes them) agree to rounding.
            var (applied, appliedTally) = replay.ApplyOneByOne();
            for (int i = 0; i < oneByOne.Length; i++)
                Assert.Equal(applied[i], oneByOne[i], 1e-4f);
            for (int i = 0; i < oneByOne.Length; i++)
                Assert.Equal(appliedTally[i] / 4294967296.0, oneByOneTally[i] / 4294967296.0, 1e-3);

            // Every vector width: the same bits, positions and tallies.
            LaneWidths.ForEach(new SameReplay(replay, oneByOne, oneByOneTally));
        }

        private sealed class SameReplay : IWidthCheck
        {
            private readonly ReplayCase _replay;
            private readonly float[] _positions;
            private readonly long[] _tally;

            public SameReplay(ReplayCase replay, float[] positions, long[] tally) => (_replay, _positions, _tally) = (replay, positions, tally);

            public void Run<TLanes>()
                where TLanes : struct, Microsoft.ML.Umap.Core.Numerics.Lanes.IWideLanes<TLanes>
            {
                // One vector of lanes per group, and several replayed side by side (as the 128-bit path does).
                foreach (int chains in new[] { 1, 2, 4 })
                {
                    var (positions, tally) = _replay.Run<TLanes>(chains);
                    Assert.True(_positions.AsSpan().SequenceEqual(positions), $"{typeof(TLanes).Name} in {chains} chains moved the vertices to other bits");
                    Assert.True(_tally.AsSpan().SequenceEqual(tally), $"{typeof(TLanes).Name} in {chains} chains tallied other steps");
                }
            }
        }

        /// <summary>40 vertices with 6 random out-edges each, every edge due, 5 negative samples per firing; vertices 2 and 5 coincide.</summary>
        private sealed class ReplayCase
        {
            private const int N = 40, Degree = 6;
            private readonly int _dim;
            private readonly int[] _group;
            private readonly int[] _offsets;
            private readonly int[] _columns;
            private readonly int[] _moves;
            private readonly int[] _starts;
            private readonly EdgeSchedule _schedule;
            private readonly UmapGradient _gradient;
            private readonly DensityRegularization? _density;

            public ReplayCase(int dim, int groupSize, bool densMap)
            {
                _dim = dim;
                var random = new Random(dim * 31 + groupSize);
                _offsets = Enumerable.Range(0, N + 1).Select(i => i * Degree).ToArray();
                _columns = Enumerable.Range(0, N * Degree).Select(_ => random.Next(N)).ToArray();
                Snapshot = Enumerable.Range(0, N * dim).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
                Array.Copy(Snapshot, 5 * dim, Snapshot, 2 * dim, dim);
                _schedule = new EdgeSchedule(Enumerable.Repeat(1f, N * Degree).ToArray(), 5.0);
                _gradient = new UmapGradient(A, B, 1.0);
                _group = Enumerable.Range(0, groupSize).Select(i => (i * 7) % N).Distinct().ToArray();
                _moves = new int[16];
                _starts = new int[N + 1];
                var context = Context(new float[N * dim]);
                for (int v = 0; v < N; v++)
                {
                    var rng = FastRandom.ForStream(9, 3, (ulong)v);
                    _starts[v + 1] = MoveSchedule.Build(in context, Degree, _offsets[v], ref rng, ref _moves, _starts[v]);
                }
                if (densMap)
                {
                    var graph = new CsrMatrix(N, N, _offsets, _columns, Enumerable.Range(0, N * Degree).Select(_ => (float)(0.05 + random.NextDouble())).ToArray());
                    var neighbors = new KnnGraph(_columns, Enumerable.Range(0, N * Degree).Select(_ => (float)(1 + random.NextDouble())).ToArray(), N, Degree);
                    _density = DensityRegularization.Create(graph, neighbors, new DensitySettings(), A, B, 1);
                    _density.BeginEpoch(Snapshot, dim, 1);
                }
            }

            public float[] Snapshot { get; }

            private LayoutContext Context(float[] positions) =>
                LayoutContext.ForFit(positions, Snapshot, new CsrMatrix(N, N, _offsets, _columns, new float[N * Degree]), _dim, _gradient, _schedule, 9).ForEpoch(3, 0.5f);

            /// <summary>
            /// The group's vertices replayed in lanes of <typeparamref name="TLanes"/>, in groups of
            /// <paramref name="chains"/> times its width.
            /// </summary>
            public (float[] Positions, long[] Tally) Run<TLanes>(int chains = 1)
                where TLanes : struct, Microsoft.ML.Umap.Core.Numerics.Lanes.ILanes<TLanes>
            {
                var positions = (float[])Snapshot.Clone();
                var context = Context(positions);
                var worker = new LayoutWorker(new OtherEndAttraction(N, _dim).CreateTally()) { Moves = (int[])_moves.Clone(), Starts = _starts };
                int size = TLanes.Count * chains;
                for (int g = 0; g < _group.Length; g += size)
                {
                    var group = _group.AsSpan(g, Math.Min(size, _group.Length - g));
                    if (_density is null)
                        MoveReplay.Replay<TLanes, WithoutDensity>(in context, 0, group, worker, default, chains);
                    else
                        MoveReplay.Replay<TLanes, WithDensity>(in context, 0, group, worker, new WithDensity(_density), chains);
                }
                return (positions, worker.Tally.Values);
            }

            /// <summary>The group's vertices moved one move at a time by <see cref="MoveReplay.Apply"/>.</summary>
            public (float[] Positions, long[] Tally) ApplyOneByOne()
            {
                var positions = (float[])Snapshot.Clone();
                var context = Context(positions);
                var tally = new OtherEndAttraction(N, _dim).CreateTally();
                foreach (int v in _group)
                {
                    for (int m = _starts[v]; m < _starts[v + 1]; m++)
                    {
                        var tails = _columns.AsSpan(_offsets[v], Degree);
                        if (_density is null)
                            MoveReplay.Apply(in context, _moves[m], positions.AsSpan(v * _dim, _dim), v, tails, _offsets[v], default(WithoutDensity), new TalliedOtherEnds(tally));
                        else
                            MoveReplay.Apply(in context, _moves[m], positions.AsSpan(v * _dim, _dim), v, tails, _offsets[v], new WithDensity(_density), new TalliedOtherEnds(tally));
                    }
                }
                return (positions, tally.Values);
            }
        }

        [Fact]
        public void TheOtherEndOfAnEdgeTakesTheSameStepBackAfterTheBlockWhateverTheOrderOfTallies()
        {
            var otherEnds = new OtherEndAttraction(3, 2);
            var first = otherEnds.CreateTally();
            var second = otherEnds.CreateTally();
            Assert.NotSame(first, second);
            first.Add(1, 0, 0.75f);
            second.Add(1, 0, -4f);
            first.Add(1, 1, 1e-3f);
            second.Add(2, 1, 2.5f);

            var positions = new float[] { 1, 1, 1, 1, 1, 1 };
            var snapshot = new float[6];
            otherEnds.Apply(0, 3, positions, snapshot, 0.5f);
            var expected = new float[] { 1, 1, 1 - 0.5f * (0.75f - 4f), 1 - 0.5f * 1e-3f, 1, 1 - 0.5f * 2.5f };
            for (int i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], positions[i], 6);
            Assert.Equal(positions, snapshot);
            // Tallies are cleared for the next block.
            otherEnds.Apply(0, 3, positions, snapshot, 0.5f);
            Assert.Equal(1 - 0.5f * 2.5f, positions[5], 6);
        }

        [Fact]
        public void TalliesLandTheSameWhetherVectorisedOrNot()
        {
            // 19 vertices x 3 axes: two full eight-value vectors and a scalar tail, with three workers' tallies.
            const int vertices = 19, dim = 3;
            var otherEnds = new OtherEndAttraction(vertices, dim);
            var tallies = new[] { otherEnds.CreateTally(), otherEnds.CreateTally(), otherEnds.CreateTally() };
            var rng = FastRandom.ForStream(5, 0, 0);
            var expectedSums = new long[vertices * dim];
            for (int t = 0; t < 200; t++)
            {
                int vertex = rng.NextInt(vertices), d = rng.NextInt(dim);
                float step = (float)(rng.NextDouble() * 8 - 4);
                tallies[t % 3].Add(vertex, d, step);
                expectedSums[vertex * dim + d] += (long)(step * 4294967296.0);
            }

            var positions = Enumerable.Range(0, vertices * dim).Select(i => 0.25f * i - 3f).ToArray();
            var expected = positions.Select((p, i) => p - 0.7f * (float)(expectedSums[i] / 4294967296.0)).ToArray();
            var snapshot = new float[positions.Length];
            otherEnds.Apply(0, vertices, positions, snapshot, 0.7f);
            Assert.Equal(expected, positions);
            Assert.Equal(expected, snapshot);
            Assert.All(tallies, tally => Assert.All(tally.Values, v => Assert.Equal(0L, v)));
        }

        [Fact]
        public void TalliesOfEveryMagnitudeRoundAsTheScalarConversionDoes()
        {
            // Sums past 2⁵³ round when made double; the vector loop builds them from two halves and must round alike.
            const int vertices = 40, dim = 2;
            var otherEnds = new OtherEndAttraction(vertices, dim);
            var tallies = new[] { otherEnds.CreateTally(), otherEnds.CreateTally() };
            var rng = FastRandom.ForStream(11, 0, 0);
            var sums = new long[vertices * dim];
            for (int i = 0; i < sums.Length; i++)
            {
                int bits = 1 + (i * 7 % 62);
                long half = (long)(rng.NextDouble() * (1L << bits)) | 1L;
                long first = i % 3 == 0 ? -half : half, second = i % 5 == 0 ? -(half >> 1) - 3 : (half >> 2) + 0x7FFFFFFF;
                tallies[0].Values[i] = first;
                tallies[1].Values[i] = second;
                sums[i] = first + second;
            }
            sums[0] = tallies[0].Values[0] = long.MaxValue / 2 - 1;
            tallies[1].Values[0] = 0;
            sums[1] = tallies[0].Values[1] = long.MinValue / 2 + 1;
            tallies[1].Values[1] = 0;

            var positions = Enumerable.Range(0, vertices * dim).Select(i => 0.5f * i - 7f).ToArray();
            var expected = positions.Select((p, i) => p - 0.3f * (float)(sums[i] / 4294967296.0)).ToArray();
            otherEnds.Apply(0, vertices, positions, new float[positions.Length], 0.3f);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(positions[i]), $"value {i}: sum {sums[i]} landed at {positions[i]:R}, not {expected[i]:R}");
        }

        [Fact]
        public void AnEdgeFiringPullsBothEndsTogetherAsUmapLearnDoes()
        {
            // One edge stored in both directions, firing in epoch 1 with no negative samples: umap-learn moves i by
            // +step and j by −step, first for (0, 1) and then for (1, 0).
            var graph = new CsrMatrix(2, 2, new[] { 0, 1, 2 }, new[] { 1, 0 }, new[] { 1f, 1f });
            var embedding = new RowMatrix(new float[] { 0, 0, 3, 4 }, 2, 2);
            var settings = new LayoutSettings { Epochs = 2, A = A, B = B, NegativeSampleRate = 0, LearningRate = 1, Seed = 1 };
            LayoutOptimizer.Optimize(embedding, graph, settings, new FitMonitor());

            // Epoch 0 fires nothing; epoch 1 runs at rate 1 − 0/2 = 1. The two vertices fall in different blocks, so
            // the order is umap-learn's exactly: (0, 1) moves 0 and pulls 1 back, then (1, 0) from where both now are.
            var gradient = new UmapGradient(A, B, 1.0);
            var expected = new float[] { 0, 0, 3, 4 };
            foreach (var (i, j) in new[] { (0, 1), (1, 0) })
            {
                float dx = expected[2 * i] - expected[2 * j], dy = expected[2 * i + 1] - expected[2 * j + 1];
                float coefficient = gradient.Attraction(dx * dx + dy * dy);
                float stepX = UmapGradient.ClipComponent(coefficient * dx), stepY = UmapGradient.ClipComponent(coefficient * dy);
                expected[2 * i] += stepX;
                expected[2 * i + 1] += stepY;
                expected[2 * j] -= stepX;
                expected[2 * j + 1] -= stepY;
            }
            for (int p = 0; p < 4; p++)
                Assert.Equal(expected[p], embedding.Values[p], 5);
            Assert.True(Distance(embedding, 0, 1) < 5.0);
        }

        [Theory]
        [InlineData(4)]
        [InlineData(9)]
        [InlineData(40)]
        public void AVertexASixteenthOfAnEpochLaterSeesItsNeighboursMoveAndPullAsInUmapLearnsOrder(int other)
        {
            // 64 vertices, one edge (0, other) stored both ways and firing in epoch 1, no negative samples. umap-learn
            // moves 0 and pulls `other` back at once, and `other`, later in the epoch, starts from there. Once a
            // sixteenth of the vertices (4) lies between the two, the layout must do the same: a vertex reading
            // positions from the start of a quarter of the epoch (vertex 4 or 9 beside vertex 0) loses that, and on
            // continuous data it lost kNN accuracy against umap-learn (docs/measurements.md).
            const int n = 64;
            var offsets = new int[n + 1];
            for (int v = 1; v <= n; v++)
                offsets[v] = 1 + (v > other ? 1 : 0);
            var graph = new CsrMatrix(n, n, offsets, new[] { other, 0 }, new[] { 1f, 1f });
            var start = new float[2 * n];
            for (int v = 0; v < n; v++)
            {
                start[2 * v] = 10f * v / n;
                start[2 * v + 1] = (v * 7 % n) / 6.4f;
            }
            var embedding = new RowMatrix((float[])start.Clone(), n, 2);
            var settings = new LayoutSettings { Epochs = 2, A = A, B = B, NegativeSampleRate = 0, LearningRate = 1, Seed = 1, Threads = 2 };
            LayoutOptimizer.Optimize(embedding, graph, settings, new FitMonitor());

            var gradient = new UmapGradient(A, B, 1.0);
            var expected = start;
            foreach (var (i, j) in new[] { (0, other), (other, 0) })
            {
                float dx = expected[2 * i] - expected[2 * j], dy = expected[2 * i + 1] - expected[2 * j + 1];
                float coefficient = gradient.Attraction(dx * dx + dy * dy);
                float stepX = UmapGradient.ClipComponent(coefficient * dx), stepY = UmapGradient.ClipComponent(coefficient * dy);
                expected[2 * i] += stepX;
                expected[2 * i + 1] += stepY;
                expected[2 * j] -= stepX;
                expected[2 * j + 1] -= stepY;
            }
            for (int p = 0; p < 2 * n; p++)
                Assert.Equal(expected[p], embedding.Values[p], 5);
        }

        private static double Distance(RowMatrix embedding, int i, int j) =>
            Math.Sqrt(Math.Pow(embedding.Values[2 * i] - embedding.Values[2 * j], 2) + Math.Pow(embedding.Values[2 * i + 1] - embedding.Values[2 * j + 1], 2));

        [Fact]
        public void SeededLayoutIsBitIdenticalForAnyThreadCountAndDiffersBetweenSeeds()
        {
            var (data, _) = TestMatrices.Blobs(3, 100, 5, 6, seed: 21);
            float[] Run(int threads, ulong seed) =>
                UmapFitter.Fit(data, new UmapParameters { Seed = seed, NumberOfThreads = threads, NumberOfEpochs = 60 }, new FitMonitor()).Model.Embedding.Values;

            var one = Run(1, 7);
            Assert.Equal(one, Run(1, 7));
            Assert.Equal(one, Run(2, 7));
            Assert.Equal(one, Run(3, 7));
            Assert.NotEqual(one, Run(2, 8));
        }

        [Fact]
        public void TwoClustersStayTwoClusters()
        {
            var (data, labels) = TestMatrices.Blobs(2, 150, 8, 10, seed: 22);
            var embedding = UmapFitter.Fit(data, new UmapParameters { Seed = 3 }, new FitMonitor()).Model.Embedding;
            // Every point's nearest embedded neighbour is from its own cluster, and the clusters' bounding
            // boxes do not overlap on the axis that separates their centres.
            Assert.Equal(1.0, Microsoft.ML.Umap.UmapMetrics.KnnAccuracy(embedding, labels, 1, 5));
            var c0 = Centroid(embedding, labels, 0);
            var c1 = Centroid(embedding, labels, 1);
            var axis = new[] { c1[0] - c0[0], c1[1] - c0[1] };
            double Project(int i) => embedding.ReadOnlyRow(i)[0] * axis[0] + embedding.ReadOnlyRow(i)[1] * axis[1];
            double max0 = Enumerable.Range(0, 150).Max(Project);
            double min1 = Enumerable.Range(150, 150).Min(Project);
            Assert.True(max0 < min1);
        }

        private static double[] Centroid(RowMatrix embedding, int[] labels, int label)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            return new[] { members.Average(i => (double)embedding.ReadOnlyRow(i)[0]), members.Average(i => (double)embedding.ReadOnlyRow(i)[1]) };
        }
    }
}
