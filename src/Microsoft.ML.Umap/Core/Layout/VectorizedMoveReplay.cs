#if NET9_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// Replays the move lists of eight vertices (see <see cref="MoveSchedule"/>) in the eight lanes of AVX2
    /// registers: each step applies every lane's next move, attraction (with densMAP's term when it acts) or
    /// negative sample, branch-free, with the lanes' coordinates kept in registers. The arithmetic of a lane does not
    /// depend on the other lanes, so a vertex's result is the same whichever vertices share its group.
    /// </summary>
    internal static class VectorizedMoveReplay
    {
        public const int Lanes = 8;

        /// <summary>Marks the steps after a lane's last move.</summary>
        private const int Finished = int.MinValue;

        /// <summary>How many steps ahead the negative samples' positions are prefetched (docs/measurements.md has the measurement).</summary>
        private const int PrefetchSteps = 4;

        public static bool IsSupported => Avx2.IsSupported;

        /// <summary>
        /// Applies the moves <c>worker.Moves[worker.Starts[i] .. worker.Starts[i + 1]]</c> to vertex
        /// <paramref name="start"/> + i for each i of <paramref name="group"/> (at most eight), tallying the steps the
        /// attractions owe their other ends in the worker's tally.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Replay<TDensity>(in LayoutContext context, int start, ReadOnlySpan<int> group, LayoutWorker worker, in TDensity density)
            where TDensity : struct, IDensityTerm
        {
            Span<int> vertices = stackalloc int[Lanes];
            Span<int> edges = stackalloc int[Lanes];
            var (longest, pullCount) = Interleave(in context, start, group, worker, vertices, edges);
            Reserve(worker, context.Dim, longest);
            var axes = worker.Axes.AsSpan(0, 2 * context.Dim);
            Run(in context, worker, vertices, edges, longest, axes, in density);
            LandPulls(in context, worker, edges, pullCount);
            for (int l = 0; l < group.Length; l++)
            {
                for (int d = 0; d < context.Dim; d++)
                    context.Positions[vertices[l] * context.Dim + d] = axes[d].GetElement(l);
            }
        }

        /// <summary>
        /// Copies the lanes' move lists into one interleaved list (step s of lane l at s·8 + l), so that each step is one
        /// load, and notes where the attractions are. Lanes past the group's end repeat its first vertex, never move and
        /// are never written back. Returns the longest list's length and the number of attractions.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static (int Longest, int Pulls) Interleave(in LayoutContext context, int start, ReadOnlySpan<int> group, LayoutWorker worker, Span<int> vertices, Span<int> edges)
        {
            var starts = worker.Starts;
            int longest = 0;
            for (int l = 0; l < Lanes; l++)
            {
                int i = group[l < group.Length ? l : 0];
                vertices[l] = start + i;
                edges[l] = context.Offsets[start + i];
                longest = Math.Max(longest, starts[i + 1] - starts[i]);
            }
            int length = longest * Lanes;
            if (worker.Interleaved.Length < length)
            {
                worker.Interleaved = new int[Math.Max(length, 4096)];
                worker.Pulls = new int[Math.Max(length, 4096)];
            }

            var interleaved = worker.Interleaved;
            var pulls = worker.Pulls;
            int pullCount = 0;
            for (int l = 0; l < Lanes; l++)
            {
                int i = group[l < group.Length ? l : 0];
                int count = l < group.Length ? starts[i + 1] - starts[i] : 0;
                for (int s = 0; s < count; s++)
                {
                    int move = worker.Moves[starts[i] + s];
                    interleaved[s * Lanes + l] = move;
                    // Branch-free append: the slot is overwritten unless the move is an attraction.
                    pulls[pullCount] = s * Lanes + l;
                    pullCount += move >= 0 ? 1 : 0;
                }
                for (int s = count; s < longest; s++)
                    interleaved[s * Lanes + l] = Finished;
            }
            return (longest, pullCount);
        }

        /// <summary>Room in the worker's step log and axis registers for <paramref name="longest"/> steps of <paramref name="dim"/> axes.</summary>
        private static void Reserve(LayoutWorker worker, int dim, int longest)
        {
            int steps = Math.Max(longest * Lanes, 4096) * dim;
            if (worker.Steps.Length < longest * Lanes * dim)
                worker.Steps = new float[steps];
            // Heap, not stack: the embedding's dimension is the user's to choose.
            if (worker.Axes.Length < 2 * dim)
                worker.Axes = new Vector256<float>[Math.Max(2 * dim, 32)];
        }

        /// <summary>
        /// Steps the eight lanes through their lists: per step, each lane's distance to its other end, the gradient
        /// (attraction or repulsion, plus densMAP's term), the clipped step per axis, logged for the other ends.
        /// <paramref name="axes"/> holds the lanes' coordinates (first <c>dim</c>) and differences (next <c>dim</c>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void Run<TDensity>(
            in LayoutContext context, LayoutWorker worker, Span<int> vertices, Span<int> edges, int longest, Span<Vector256<float>> axes, in TDensity density)
            where TDensity : struct, IDensityTerm
        {
            int dim = context.Dim;
            var position = axes.Slice(0, dim);
            var difference = axes.Slice(dim, dim);
            var self = Vector256.Create<int>(vertices);
            var firstEdge = Vector256.Create<int>(edges);
            var finished = Vector256.Create(Finished);
            var clip = Vector256.Create(UmapGradient.Clip);
            var rate = Vector256.Create(context.Alpha);
            ref readonly var gradient = ref context.Gradient;

            fixed (float* positionBase = context.Positions)
            fixed (float* snapshotBase = context.Snapshot)
            fixed (int* columnBase = context.Columns)
            fixed (int* moveBase = worker.Interleaved)
            fixed (float* stepBase = worker.Steps)
            {
                var rowStart = self * dim;
                for (int d = 0; d < dim; d++)
                    position[d] = Avx2.GatherVector256(positionBase + d, rowStart, sizeof(float));

                for (int s = 0; s < longest; s++)
                {
                    if (s + PrefetchSteps < longest)
                        PrefetchSamples(moveBase + (s + PrefetchSteps) * Lanes, snapshotBase, dim);
                    var move = Vector256.Load(moveBase + s * Lanes);
                    var active = ~Vector256.Equals(move, finished);
                    var attraction = Vector256.GreaterThanOrEqual(move, Vector256<int>.Zero);
                    var tail = Avx2.GatherMaskVector256(Vector256<int>.Zero, columnBase, firstEdge + move, attraction, sizeof(int));
                    var other = Vector256.ConditionalSelect(attraction, tail, ~move) & active;
                    var otherStart = other * dim;

                    var distanceSquared = Vector256<float>.Zero;
                    for (int d = 0; d < dim; d++)
                    {
                        var diff = position[d] - Avx2.GatherVector256(snapshotBase + d, otherStart, sizeof(float));
                        difference[d] = diff;
                        distanceSquared += diff * diff;
                    }

                    var powB = gradient.PowerB(distanceSquared);
                    var coefficient = gradient.Coefficient(distanceSquared, powB, attraction.AsSingle());
                    // umap-learn: a distinct sample at exactly the same place pushes +4 along every axis.
                    var coincident = (~attraction & Vector256.Equals(distanceSquared, Vector256<float>.Zero).AsInt32() & ~Vector256.Equals(other, self)).AsSingle();
                    var moving = active.AsSingle();
                    // densMAP's term rides on the attraction, clipped on its own as in umap-learn.
                    var correction = density.Coefficient(self, other, firstEdge + move, distanceSquared, powB, attraction);
                    for (int d = 0; d < dim; d++)
                    {
                        var clipped = Vector256.Clamp(coefficient * difference[d], -clip, clip);
                        if (density.Acts)
                            clipped += Vector256.Clamp(correction * difference[d], -clip, clip);
                        var step = Vector256.ConditionalSelect(coincident, clip, clipped);
                        Vector256.Store(step, stepBase + (s * dim + d) * Lanes);
                        position[d] = Vector256.ConditionalSelect(moving, position[d] + rate * step, position[d]);
                    }
                }
            }
        }

        /// <summary>
        /// Asks for the positions of the negative samples a step ahead will read. Samples are uniform over all vertices,
        /// so past a few hundred thousand vertices nearly every one misses the caches; the step's own arithmetic is a
        /// long dependent chain, time enough for the loads to arrive. Reads nothing, changes nothing.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void PrefetchSamples(int* moves, float* snapshot, int dim)
        {
            for (int l = 0; l < Lanes; l++)
            {
                int move = moves[l];
                if (move < 0 && move != Finished)
                    Sse.Prefetch0(snapshot + (long)~move * dim);
            }
        }

        /// <summary>The other ends of the attractions get the same steps back, tallied to land when the block ends.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void LandPulls(in LayoutContext context, LayoutWorker worker, Span<int> edges, int pullCount)
        {
            int dim = context.Dim;
            var pulls = worker.Pulls;
            var moves = worker.Interleaved;
            var steps = worker.Steps;
            var tally = worker.Tally;
            for (int p = 0; p < pullCount; p++)
            {
                int at = pulls[p];
                int l = at % Lanes;
                int other = context.Columns[edges[l] + moves[at]];
                for (int d = 0; d < dim; d++)
                    tally.Add(other, d, steps[((at / Lanes) * dim + d) * Lanes + l]);
            }
        }
    }
}
#endif
