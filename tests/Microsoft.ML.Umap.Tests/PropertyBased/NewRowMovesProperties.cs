using System;
using System.Linq;
using CsCheck;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.Core.Layout;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// A new row's epoch against a large model, its attractions then its negative samples each measured from one
    /// position (<see cref="NewRowMoves.AttractTogether"/>, <see cref="NewRowMoves.RepelTogether"/>), for
    /// any training embedding (spread out, clustered round the row, on a grid with coincident points), any number of
    /// moves and any rate: finite, and umap-learn's moves from those positions in double precision; in the plane the
    /// vectorised samples give the scalar ones' bits.
    /// </summary>
    public class NewRowMovesProperties
    {
        private readonly ITestOutputHelper _output;

        public NewRowMovesProperties(ITestOutputHelper output) => _output = output;

        public sealed record Epoch(int Dim, int Points, int Edges, int Samples, int Layout, double Alpha, int Seed)
        {
            internal (float[] Others, float[] Start, int[] Tails, int[] Due, int[] Sampled) Build()
            {
                var rng = new Random(Seed);
                var start = Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
                var others = new float[Points * Dim];
                for (int i = 0; i < others.Length; i++)
                {
                    others[i] = Layout switch
                    {
                        0 => (float)(rng.NextDouble() * 40 - 20),
                        1 => start[i % Dim] + (float)((rng.NextDouble() - 0.5) * 1e-2), // clustered round the row
                        _ => rng.Next(-2, 3), // a grid: coincident points, some at the row's own place
                    };
                }
                if (Layout == 2)
                    Array.Copy(others, 0, start, 0, Dim);
                var tails = Enumerable.Range(0, Edges).Select(_ => rng.Next(Points)).ToArray();
                var due = Enumerable.Range(0, Edges).Where(_ => rng.Next(3) > 0).ToArray();
                var sampled = Enumerable.Range(0, Samples).Select(_ => rng.Next(Points)).ToArray();
                return (others, start, tails, due, sampled);
            }
        }

        private static readonly Gen<Epoch> Epochs =
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 60], Gen.Int[0, 15], Gen.Int[0, 80], Gen.Int[0, 2], Gen.Double[0, 1], Gen.Int[0, 100_000])
                .Select((dim, points, edges, samples, layout, alpha, seed) => new Epoch(dim, points, edges, samples, layout, alpha, seed));

        [Fact]
        public void AnEpochsMovesTogetherAreFiniteAndUmapLearnsFromOnePosition() =>
            PropertyRunner.Run(Epochs, e =>
            {
                var (others, start, tails, due, sampled) = e.Build();
                var gradient = new UmapGradient(LayoutTests.A, LayoutTests.B, 1.0);
                float alpha = (float)e.Alpha;
                var position = (float[])start.Clone();
                NewRowMoves.AttractTogether(position, due, tails, others, e.Dim, in gradient, alpha);
                var afterAttractions = (float[])position.Clone();
                NewRowMoves.RepelTogether(position, sampled, others, e.Dim, in gradient, alpha);
                Assert.All(position, v => Assert.True(float.IsFinite(v)));

                var expected = start.Select(v => (double)v).ToArray();
                var from = (double[])expected.Clone();
                foreach (int edge in due)
                    LayoutTests.AddAttraction(expected, from, others, tails[edge], e.Dim, alpha);
                Check(expected, afterAttractions, due.Length, alpha);

                // The samples from where the attractions left the row (as computed), so only this step's error counts.
                expected = afterAttractions.Select(v => (double)v).ToArray();
                from = (double[])expected.Clone();
                foreach (int k in sampled)
                    LayoutTests.AddRepulsion(expected, from, others, k, e.Dim, alpha);
                Check(expected, position, sampled.Length, alpha);

                if (e.Dim == 2)
                    LaneWidths.ForEach(new LayoutTests.SameBitsInPlane(afterAttractions, sampled, others, gradient, alpha, position));
                return due.Length == 0 && sampled.Length == 0 ? "no moves" : e.Layout switch { 0 => "spread out", 1 => "clustered", _ => "grid" };
            }, ciCases: 200, _output);

        /// <summary>Each move is off by float's rounding of its clipped step (at most 4·alpha) and of its distance.</summary>
        private static void Check(double[] expected, float[] actual, int moves, double alpha)
        {
            for (int d = 0; d < expected.Length; d++)
                Assert.InRange(actual[d], expected[d] - Slack(expected[d]), expected[d] + Slack(expected[d]));

            double Slack(double value) => 1e-4 * Math.Abs(value) + 1e-3 * (1 + moves * alpha);
        }
    }
}
