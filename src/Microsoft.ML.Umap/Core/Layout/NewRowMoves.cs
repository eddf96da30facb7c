using System;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// How a new row (one that is not in the graph) moves in an epoch against the fixed training embedding: its due
    /// edges' attractions and their negative samples, from the same random draws as a fit's vertex (see
    /// <see cref="MoveSchedule"/>), either one after the other as umap-learn's transform does (each move is
    /// <see cref="MoveReplay.Apply"/>, a fit's move for one vertex) or measured together from one position.
    /// </summary>
    /// <remarks>
    /// In a fit, negative samples are applied one after the other: summing a batch measured from one position instead,
    /// which vectorises well, over-pushes a point sitting in a dense spot, where several clipped ±4 steps add up before
    /// it has moved away, and spreads the embedding far beyond umap-learn's (docs/measurements.md). A new row placed
    /// against a fixed training embedding of thousands of rows is different: it moves at a quarter of the rate through
    /// an embedding that has already spread out, a sample rarely lands near it, and <see cref="RepelTogether"/>
    /// measures an epoch's samples from one position, independent computations the CPU overlaps instead of a chain of
    /// dependent ones (see <see cref="Transform.NewPointEmbedder.MovesTogetherFromRows"/>).
    /// </remarks>
    internal static class NewRowMoves
    {
        /// <summary>
        /// Applies every edge of a new row (outside the graph) due in the context's epoch, moving only
        /// <paramref name="current"/>: the attraction towards the training point, then the repulsion of the negative
        /// samples the edge owes, one move after the other as umap-learn's transform does; or, with
        /// <paramref name="together"/>, the epoch's attractions measured from where the row stands and summed
        /// (<see cref="AttractTogether"/>), then all its negative samples measured from where they left the row
        /// (<see cref="RepelTogether"/>). Both take the same random draws.
        /// </summary>
        /// <param name="context">A new-row context (<see cref="LayoutContext.ForNewRow"/>) in the current epoch.</param>
        /// <param name="current">The row's coordinates, updated in place.</param>
        /// <param name="tails">The training rows the row's edges lead to.</param>
        /// <param name="rng">The row's random stream for this epoch.</param>
        /// <param name="moves">Scratch for the epoch's moves, grown when needed.</param>
        /// <param name="together">Whether the attractions, then the negative samples, move the row together.</param>
        internal static void Step(in LayoutContext context, Span<float> current, ReadOnlySpan<int> tails, ref FastRandom rng, ref int[] moves, bool together)
        {
            var density = default(WithoutDensity);
            var otherEnds = default(FixedOtherEnds);
            if (!together)
            {
                int count = MoveSchedule.Build(in context, tails.Length, 0, ref rng, ref moves);
                var epochMoves = moves.AsSpan(0, count);
                Prefetch(epochMoves, tails, context.Snapshot, context.Dim);
                foreach (int move in epochMoves)
                    MoveReplay.Apply(in context, move, current, -1, tails, 0, in density, in otherEnds);
                return;
            }
            // The same draws as one list, taken as two: the due edges, and the samples behind them; each group
            // measured from one position (the epoch's start, then where the attractions left the row).
            int samples = MoveSchedule.BuildApart(in context, tails.Length, ref rng, ref moves, out int dueCount);
            var due = moves.AsSpan(0, dueCount);
            Prefetch(due, tails, context.Snapshot, context.Dim);
            AttractTogether(current, due, tails, context.Snapshot, context.Dim, in context.Gradient, context.Alpha);
            var sampled = moves.AsSpan(tails.Length, samples);
            TensorPrimitives.OnesComplement<int>(sampled, sampled);
            RepelTogether(current, sampled, context.Snapshot, context.Dim, in context.Gradient, context.Alpha);
        }

        /// <summary>
        /// The attractions along the <paramref name="due"/> edges of a lone vertex at <paramref name="position"/>, all
        /// measured from that position, each clipped per axis as one move of umap-learn's is, summed, and applied at
        /// the rate <paramref name="alpha"/>: independent computations, where moving after each would chain them.
        /// </summary>
        internal static void AttractTogether(Span<float> position, ReadOnlySpan<int> due, ReadOnlySpan<int> tails, float[] others, int dim, in UmapGradient gradient, float alpha)
        {
            Span<float> pull = stackalloc float[dim];
            pull.Clear();
            foreach (int edge in due)
            {
                var other = new ReadOnlySpan<float>(others, tails[edge] * dim, dim);
                float coefficient = gradient.Attraction(UmapGradient.SquaredDistance(position, other));
                for (int d = 0; d < dim; d++)
                    pull[d] += UmapGradient.ClipComponent(coefficient * (position[d] - other[d]));
            }
            for (int d = 0; d < dim; d++)
                position[d] += alpha * pull[d];
        }

        /// <summary>
        /// Asks for the coordinates the moves will read before they start: a lone vertex (a new row being placed)
        /// runs one dependent chain, so without this each point that left the cache (the neighbour search just swept
        /// the training data through it) would stall the chain for a whole memory round trip. (Negative samples
        /// measured together do not depend on each other, and their misses overlap by themselves.)
        /// </summary>
        private static unsafe void Prefetch(ReadOnlySpan<int> moves, ReadOnlySpan<int> tails, float[] others, int dim)
        {
            fixed (float* basePointer = others)
            {
                foreach (int move in moves)
                    Numerics.Prefetch.ToNearestCache(basePointer + (move >= 0 ? tails[move] : ~move) * dim);
            }
        }

        /// <summary>
        /// Moves <paramref name="position"/> (a point that is none of <paramref name="others"/>) by the sum of the
        /// repulsions of <paramref name="samples"/> (indices into <paramref name="others"/>), each measured from where
        /// the point is on entry and clipped as in <see cref="MoveReplay.Repel"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void RepelTogether(Span<float> position, ReadOnlySpan<int> samples, float[] others, int dim, in UmapGradient gradient, float alpha)
        {
            if (dim == 2)
            {
                RepelTogetherInPlane(position, samples, others, in gradient, alpha);
                return;
            }
            Span<float> push = stackalloc float[dim];
            foreach (int sample in samples)
            {
                var negative = new ReadOnlySpan<float>(others, sample * dim, dim);
                float distanceSquared = UmapGradient.SquaredDistance(position, negative);
                if (distanceSquared > 0f)
                {
                    float repulsion = gradient.Repulsion(distanceSquared);
                    for (int d = 0; d < dim; d++)
                        push[d] += alpha * UmapGradient.ClipComponent(repulsion * (position[d] - negative[d]));
                }
                else
                {
                    for (int d = 0; d < dim; d++)
                        push[d] += alpha * UmapGradient.Clip;
                }
            }
            for (int d = 0; d < dim; d++)
                position[d] += push[d];
        }

        /// <summary>
        /// <see cref="RepelTogether"/> in the usual two dimensions, on the widest vectors the machine runs: the pushes
        /// are summed in <see cref="LaneSums"/>' one order (one by one below sixteen samples; from sixteen on, sample
        /// s into partial sum s mod 16, the last few read as the last sixteen with the samples already counted masked
        /// off), so every width gives the same bits.
        /// </summary>
        internal static void RepelTogetherInPlane(Span<float> position, ReadOnlySpan<int> samples, float[] others, in UmapGradient gradient, float alpha)
        {
            if (Vector512.IsHardwareAccelerated)
                RepelTogetherInPlane<Lanes512>(position, samples, others, in gradient, alpha);
            else if (Vector256.IsHardwareAccelerated)
                RepelTogetherInPlane<Lanes256>(position, samples, others, in gradient, alpha);
            else if (Vector128.IsHardwareAccelerated)
                RepelTogetherInPlane<Lanes128>(position, samples, others, in gradient, alpha);
            else
                RepelTogetherInPlane<SoftwareLanes>(position, samples, others, in gradient, alpha);
        }

        /// <summary>
        /// <see cref="RepelTogetherInPlane(Span{float}, ReadOnlySpan{int}, float[], in UmapGradient, float)"/> in lanes of
        /// <typeparamref name="TLanes"/>: each vector's samples are independent chains (gathers, the power, a division),
        /// which the processor overlaps. A loop without calls, so the compiler keeps its vectors in registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static unsafe void RepelTogetherInPlane<TLanes>(Span<float> position, ReadOnlySpan<int> samples, float[] others, in UmapGradient gradient, float alpha)
            where TLanes : struct, IWideLanes<TLanes>
        {
            float x = position[0], y = position[1];
            int count = samples.Length, w = TLanes.Count;
            fixed (float* coordinates = others)
            fixed (int* indices = samples)
            {
                if (count < LaneSums.Partials)
                {
                    float sumX = 0f, sumY = 0f;
                    var rate = new OneLane(alpha);
                    for (int s = 0; s < count; s++)
                    {
                        var (pushX, pushY) = Push(new OneLane(x), new OneLane(y), coordinates, OneLane.CreateInt(indices[s]), in gradient);
                        sumX += (rate * pushX).Value;
                        sumY += (rate * pushY).Value;
                    }
                    position[0] = x + sumX;
                    position[1] = y + sumY;
                    return;
                }

                var point = (X: TLanes.Create(x), Y: TLanes.Create(y));
                var lanesRate = TLanes.Create(alpha);
                TLanes x0 = TLanes.Zero, x1 = TLanes.Zero, x2 = TLanes.Zero, x3 = TLanes.Zero;
                TLanes y0 = TLanes.Zero, y1 = TLanes.Zero, y2 = TLanes.Zero, y3 = TLanes.Zero;
                int i = 0;
                for (; i + LaneSums.Partials <= count; i += LaneSums.Partials)
                {
                    AddPushes(ref x0, ref y0, point, coordinates, indices + i, in gradient, lanesRate, TLanes.CreateInt(-1));
                    if (w <= 8)
                        AddPushes(ref x1, ref y1, point, coordinates, indices + i + w, in gradient, lanesRate, TLanes.CreateInt(-1));
                    if (w == 4)
                    {
                        AddPushes(ref x2, ref y2, point, coordinates, indices + i + 8, in gradient, lanesRate, TLanes.CreateInt(-1));
                        AddPushes(ref x3, ref y3, point, coordinates, indices + i + 12, in gradient, lanesRate, TLanes.CreateInt(-1));
                    }
                }
                if (i < count)
                {
                    int last = count - LaneSums.Partials, firstNew = i - last;
                    int* tail = indices + last;
                    AddPushes(ref x0, ref y0, point, coordinates, tail, in gradient, lanesRate, LaneSums.NewLanes<TLanes>(0, firstNew));
                    if (w <= 8)
                        AddPushes(ref x1, ref y1, point, coordinates, tail + w, in gradient, lanesRate, LaneSums.NewLanes<TLanes>(w, firstNew));
                    if (w == 4)
                    {
                        AddPushes(ref x2, ref y2, point, coordinates, tail + 8, in gradient, lanesRate, LaneSums.NewLanes<TLanes>(8, firstNew));
                        AddPushes(ref x3, ref y3, point, coordinates, tail + 12, in gradient, lanesRate, LaneSums.NewLanes<TLanes>(12, firstNew));
                    }
                }
                position[0] = x + TLanes.Total(x0, x1, x2, x3);
                position[1] = y + TLanes.Total(y0, y1, y2, y3);
            }
        }

        /// <summary>Adds the pushes (at the rate) of the samples at <paramref name="indices"/> in the lanes set in <paramref name="lanes"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void AddPushes<TLanes>(
            ref TLanes sumX, ref TLanes sumY, (TLanes X, TLanes Y) point, float* coordinates, int* indices, in UmapGradient gradient, TLanes rate, TLanes lanes)
            where TLanes : struct, ILanes<TLanes>
        {
            var (pushX, pushY) = Push(point.X, point.Y, coordinates, TLanes.LoadInts(ref *indices, 0), in gradient);
            sumX += rate * pushX & lanes;
            sumY += rate * pushY & lanes;
        }

        /// <summary>
        /// The clipped pushes (before the rate) of the samples at <paramref name="indices"/> on the point: a sample at
        /// exactly the point's place pushes +4 along every axis, as in <see cref="MoveReplay.Repel"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe (TLanes X, TLanes Y) Push<TLanes>(TLanes x, TLanes y, float* coordinates, TLanes indices, in UmapGradient gradient)
            where TLanes : struct, ILanes<TLanes>
        {
            var at = TLanes.AddInts(indices, indices);
            var dx = x - TLanes.Gather(coordinates, at);
            var dy = y - TLanes.Gather(coordinates + 1, at);
            var distanceSquared = dx * dx + dy * dy;
            var coincident = TLanes.Equal(distanceSquared, TLanes.Zero);
            var repulsion = gradient.Repulsion(distanceSquared, gradient.PowerB.Of(distanceSquared));
            var clip = TLanes.Create(UmapGradient.Clip);
            return (TLanes.Select(coincident, clip, UmapGradient.ClipComponents(repulsion * dx)),
                    TLanes.Select(coincident, clip, UmapGradient.ClipComponents(repulsion * dy)));
        }
    }
}
