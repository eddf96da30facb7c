using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The gradient step: replays the move lists of a group of vertices (see <see cref="MoveSchedule"/>), one vertex to a
    /// vector lane. Each step applies every lane's next move, attraction (with densMAP's term when it acts) or negative
    /// sample, branch-free: the distance, the coefficient (<see cref="UmapGradient"/>), the clipped step per axis, and the
    /// pull owed to an attraction's other end (<see cref="OtherEndAttraction"/>). The arithmetic of a lane does not depend
    /// on the other lanes or on the width, so a vertex's result is the same whichever vertices share its group, on every
    /// machine; <see cref="Apply"/> is the same step written for one vertex and one move.
    /// </summary>
    internal static class MoveReplay
    {
        /// <summary>Marks the steps after a lane's last move.</summary>
        private const int Finished = int.MinValue;

        /// <summary>How many steps ahead the positions a step measures against are asked for (docs/measurements.md).</summary>
        private const int PrefetchSteps = 4;

        /// <summary>How many attractions ahead the other ends' tallies are asked for.</summary>
        private const int PrefetchPulls = 8;

        /// <summary>
        /// Applies the moves <c>worker.Moves[worker.Starts[i] .. worker.Starts[i + 1]]</c> to vertex
        /// <paramref name="start"/> + i for each i of <paramref name="group"/> (at most <paramref name="chains"/> times
        /// <typeparamref name="TLanes"/>' count), tallying the steps the attractions owe their other ends in the worker's
        /// tally. The group replays as <paramref name="chains"/> vectors of lanes, one after the other in each step: they
        /// share nothing, so the processor overlaps their arithmetic, and a lane's bits stay the same.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Replay<TLanes, TDensity>(in LayoutContext context, int start, ReadOnlySpan<int> group, LayoutWorker worker, in TDensity density, int chains = 1)
            where TLanes : struct, ILanes<TLanes>
            where TDensity : struct, IDensityTerm
        {
            int lanes = TLanes.Count * chains, dim = context.Dim;
            Span<int> vertices = stackalloc int[lanes];
            Span<int> edges = stackalloc int[lanes];
            var (longest, pullCount) = Interleave(in context, start, group, worker, vertices, edges);
            worker.ReserveReplay(lanes, dim, longest);
            Run<TLanes, TDensity>(in context, worker, vertices, edges, longest, in density);
            LandPulls(in context, worker, lanes, pullCount);
            var axes = worker.Axes;
            for (int l = 0; l < group.Length; l++)
            {
                for (int d = 0; d < dim; d++)
                    context.Positions[vertices[l] * dim + d] = axes[d * lanes + l];
            }
        }

        /// <summary>
        /// Copies the lanes' move lists into one interleaved list (step s of lane l at s·lanes + l), so that each step is
        /// one load, with beside it the vertex each move measures against, and notes each attraction (where its steps
        /// will be and its other end). Lanes past the group's end repeat its first vertex, never move and are never
        /// written back. Returns the longest list's length and the number of attractions.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe (int Longest, int Pulls) Interleave(in LayoutContext context, int start, ReadOnlySpan<int> group, LayoutWorker worker, Span<int> vertices, Span<int> edges)
        {
            var starts = worker.Starts;
            int lanes = vertices.Length, longest = 0;
            for (int l = 0; l < lanes; l++)
            {
                int i = group[l < group.Length ? l : 0];
                vertices[l] = start + i;
                edges[l] = context.Offsets[start + i];
                longest = Math.Max(longest, starts[i + 1] - starts[i]);
            }
            worker.ReserveInterleaved(longest * lanes);

            int dim = context.Dim, pullCount = 0, pullStride = dim * lanes;
            // Pointers: the copy is a few loads and stores per move, and bounds checks and reloads of the worker's
            // arrays would be as many again.
            fixed (int* moveBase = worker.Moves)
            fixed (int* interleavedBase = worker.Interleaved)
            fixed (int* otherBase = worker.Others)
            fixed (int* pullBase = worker.Pulls)
            fixed (int* columnBase = context.Columns)
            {
                for (int l = 0; l < lanes; l++)
                {
                    int i = group[l < group.Length ? l : 0];
                    int count = l < group.Length ? starts[i + 1] - starts[i] : 0;
                    int* moves = moveBase + starts[i];
                    int* tails = columnBase + edges[l];
                    int* interleaved = interleavedBase + l;
                    int* others = otherBase + l;
                    int pullAt = l;
                    for (int s = 0; s < count; s++, interleaved += lanes, others += lanes, pullAt += pullStride)
                    {
                        int move = moves[s];
                        *interleaved = move;
                        // The vertex the move measures against, looked up here once instead of gathered in the replay;
                        // read branch-free (a negative sample reads the first edge's end, unused).
                        int tail = tails[move & ~(move >> 31)];
                        int other = move >= 0 ? tail : ~move;
                        *others = other;
                        // Branch-free append: the slot is overwritten unless the move is an attraction. The step of axis
                        // d will be at steps[first + d·lanes] (Run's layout), so landing it needs no division.
                        pullBase[2 * pullCount] = pullAt;
                        pullBase[2 * pullCount + 1] = other;
                        pullCount += ~move >>> 31;
                    }
                    for (int s = count; s < longest; s++, interleaved += lanes, others += lanes)
                    {
                        *interleaved = Finished;
                        *others = 0;
                    }
                }
            }
            return (longest, pullCount);
        }

        /// <summary>
        /// Steps the lanes through their lists: per step, each lane's distance to its other end, the gradient
        /// (attraction or repulsion, plus densMAP's term), the clipped step per axis, logged for the other ends. The
        /// worker's axes hold the lanes' coordinates (axis d at d·lanes) and differences (after the coordinates).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void Run<TLanes, TDensity>(in LayoutContext context, LayoutWorker worker, Span<int> vertices, Span<int> edges, int longest, in TDensity density)
            where TLanes : struct, ILanes<TLanes>
            where TDensity : struct, IDensityTerm
        {
            int dim = context.Dim, lanes = vertices.Length, width = TLanes.Count;
            var finished = TLanes.CreateInt(Finished);
            var clip = TLanes.Create(UmapGradient.Clip);
            var rate = TLanes.Create(context.Alpha);
            ref readonly var gradient = ref context.Gradient;
            var power = gradient.PowerB;

            fixed (float* positionBase = context.Positions)
            fixed (float* snapshotBase = context.Snapshot)
            fixed (int* moveBase = worker.Interleaved)
            fixed (int* otherBase = worker.Others)
            fixed (float* stepBase = worker.Steps)
            fixed (float* axes = worker.Axes)
            {
                float* position = axes;
                float* difference = axes + dim * lanes;
                for (int c = 0; c < lanes; c += width)
                {
                    var rowStart = TLanes.MultiplyInts(TLanes.LoadInts(ref vertices[c], 0), TLanes.CreateInt(dim));
                    for (int d = 0; d < dim; d++)
                        TLanes.Store(TLanes.Gather(positionBase + d, rowStart), ref position[d * lanes + c], 0);
                }

                for (int s = 0; s < longest; s++)
                {
                    if (s + PrefetchSteps < longest && Prefetch.IsSupported)
                        PrefetchOthers(otherBase + (s + PrefetchSteps) * lanes, lanes, snapshotBase, dim);
                    for (int c = 0; c < lanes; c += width)
                    {
                        var self = TLanes.LoadInts(ref vertices[c], 0);
                        var move = TLanes.LoadInts(ref moveBase[s * lanes + c], 0);
                        var active = ~TLanes.EqualInts(move, finished);
                        var attraction = ~TLanes.LessThanInts(move, TLanes.Zero);
                        var edge = TLanes.AddInts(TLanes.LoadInts(ref edges[c], 0), move);
                        var other = TLanes.LoadInts(ref otherBase[s * lanes + c], 0);

                        var distanceSquared = TLanes.Zero;
                        for (int d = 0; d < dim; d++)
                        {
                            var diff = TLanes.Load(ref position[d * lanes + c], 0) - TLanes.GatherRows(snapshotBase + d, otherBase + s * lanes + c, dim);
                            TLanes.Store(diff, ref difference[d * lanes + c], 0);
                            distanceSquared += diff * diff;
                        }

                        var powB = power.Of(distanceSquared);
                        var coefficient = gradient.Coefficient(distanceSquared, powB, attraction);
                        // umap-learn: a distinct sample at exactly the same place pushes +4 along every axis.
                        var coincident = ~attraction & TLanes.Equal(distanceSquared, TLanes.Zero) & ~TLanes.EqualInts(other, self);
                        // densMAP's term rides on the attraction, clipped on its own as in umap-learn.
                        var correction = density.Coefficient(self, other, edge, distanceSquared, powB, attraction);
                        for (int d = 0; d < dim; d++)
                        {
                            var diff = TLanes.Load(ref difference[d * lanes + c], 0);
                            var clipped = UmapGradient.ClipComponents(coefficient * diff);
                            if (density.Acts)
                                clipped += UmapGradient.ClipComponents(correction * diff);
                            var step = TLanes.Select(coincident, clip, clipped);
                            TLanes.Store(step, ref stepBase[(s * dim + d) * lanes + c], 0);
                            var at = TLanes.Load(ref position[d * lanes + c], 0);
                            TLanes.Store(TLanes.Select(active, at + rate * step, at), ref position[d * lanes + c], 0);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Asks for the positions of the vertices a step ahead will measure against: its negative samples, uniform over
        /// all vertices, and its attractions' other ends, spread over the graph, so that past a few hundred thousand
        /// vertices nearly every one misses the caches; the step's own arithmetic is a long dependent chain, time enough
        /// for the loads to arrive. Reads nothing, changes nothing.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void PrefetchOthers(int* others, int lanes, float* snapshot, int dim)
        {
            // Finished lanes name vertex 0: a harmless hint.
            for (int l = 0; l < lanes; l++)
                Prefetch.ToNearestCache(snapshot + (long)others[l] * dim);
        }

        /// <summary>The other ends of the attractions get the same steps back, tallied to land when the block ends.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void LandPulls(in LayoutContext context, LayoutWorker worker, int lanes, int pullCount)
        {
            int dim = context.Dim;
            fixed (long* values = worker.Tally.Values)
            fixed (float* steps = worker.Steps)
            fixed (int* pulls = worker.Pulls)
            {
                for (int p = 0; p < pullCount; p++)
                {
                    // The other ends are scattered over the tally: ask for the one a few pulls ahead.
                    if (p + PrefetchPulls < pullCount)
                        Prefetch.ToNearestCache(values + (long)pulls[2 * (p + PrefetchPulls) + 1] * dim);
                    float* step = steps + pulls[2 * p];
                    long* tally = values + (long)pulls[2 * p + 1] * dim;
                    for (int d = 0; d < dim; d++)
                        tally[d] += OtherEndAttraction.Tally.ToFixed(step[d * lanes]);
                }
            }
        }

        /// <summary>
        /// Applies one move to <paramref name="current"/>, the coordinates of vertex <paramref name="self"/>: what a lane of
        /// <see cref="Replay"/> does in one step, written plainly (a new row's moves one after the other, and the
        /// reference the tests hold the lanes to).
        /// </summary>
        /// <param name="context">The epoch: the other vertices' positions (its snapshot), the gradient and the rate.</param>
        /// <param name="move">The move, as written by <see cref="MoveSchedule.Build"/>.</param>
        /// <param name="current">The vertex's coordinates, updated in place.</param>
        /// <param name="self">The vertex's index among the context's vertices (never its own negative sample), or −1.</param>
        /// <param name="tails">The other ends of the vertex's edges.</param>
        /// <param name="firstEdge">Position of the vertex's first edge in the graph.</param>
        /// <param name="density">densMAP's term, or <see cref="WithoutDensity"/>.</param>
        /// <param name="otherEnds">Where the attraction's pull on the other end goes.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<TDensity, TOtherEnds>(
            in LayoutContext context, int move, Span<float> current, int self, ReadOnlySpan<int> tails, int firstEdge, in TDensity density, in TOtherEnds otherEnds)
            where TDensity : struct, IDensityTerm
            where TOtherEnds : struct, IOtherEnds
        {
            int dim = context.Dim;
            if (move < 0)
            {
                Repel(current, self, ~move, context.Snapshot, dim, in context.Gradient, context.Alpha);
                return;
            }

            int k = tails[move];
            var other = new ReadOnlySpan<float>(context.Snapshot, k * dim, dim);
            float distanceSquared = UmapGradient.SquaredDistance(current, other);
            float coefficient = context.Gradient.Attraction(distanceSquared);
            float correction = density.Coefficient(self, k, firstEdge + move, distanceSquared);
            for (int d = 0; d < dim; d++)
            {
                float difference = current[d] - other[d];
                float step = UmapGradient.ClipComponent(coefficient * difference);
                // umap-learn clips the density term on its own and adds it to the clipped attraction.
                if (density.Acts)
                    step += UmapGradient.ClipComponent(correction * difference);
                current[d] += context.Alpha * step;
                otherEnds.Add(k, d, step);
            }
        }

        /// <summary>
        /// Moves <paramref name="position"/> away from sample <paramref name="sample"/>, as umap-learn applies one negative
        /// sample: the gradient measured from where the point is now and clipped to ±4 per axis, and a distinct point at
        /// exactly the same place pushing +4 along every axis.
        /// </summary>
        /// <param name="position">The moving point, <paramref name="dim"/> coordinates, updated in place.</param>
        /// <param name="self">The moving point's own index among <paramref name="others"/> (no push if sampled), or −1.</param>
        /// <param name="sample">Index of the sampled point.</param>
        /// <param name="others">All sampled-from positions, row-major, <paramref name="dim"/> per point.</param>
        /// <param name="dim">Embedding dimension.</param>
        /// <param name="gradient">The gradient coefficients.</param>
        /// <param name="alpha">Learning rate of this epoch.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Repel(Span<float> position, int self, int sample, float[] others, int dim, in UmapGradient gradient, float alpha)
        {
            var negative = new ReadOnlySpan<float>(others, sample * dim, dim);
            float distanceSquared = UmapGradient.SquaredDistance(position, negative);
            if (distanceSquared > 0f)
            {
                float repulsion = gradient.Repulsion(distanceSquared);
                for (int d = 0; d < dim; d++)
                    position[d] += alpha * UmapGradient.ClipComponent(repulsion * (position[d] - negative[d]));
            }
            else if (sample != self)
            {
                for (int d = 0; d < dim; d++)
                    position[d] += alpha * UmapGradient.Clip;
            }
        }
    }
}
