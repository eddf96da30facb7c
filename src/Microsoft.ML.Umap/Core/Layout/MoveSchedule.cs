using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The moves of one vertex in one epoch, in umap-learn's order: for each due edge, the attraction along it,
    /// then the negative samples it owes, each measured from where the previous move left the vertex. (The pull the
    /// edge's other end gets in umap-learn is handled by <see cref="OtherEndAttraction"/>.)
    /// </summary>
    /// <remarks>
    /// The moves of a vertex form one long chain of dependent steps (distance, power, clip, move), so running one
    /// chain at a time leaves the CPU waiting on each step. Written out as a list first (the random draws do not
    /// depend on the positions), the lists of a few vertices can be replayed side by side, their independent chains
    /// overlapping in the CPU, with exactly the same arithmetic per vertex as replaying them one by one.
    /// </remarks>
    internal static class MoveSchedule
    {
        /// <summary>
        /// Writes the moves of a vertex whose <paramref name="edgeCount"/> edges start at <paramref name="firstEdge"/>
        /// in the context's edge schedule, in the context's epoch, into <paramref name="moves"/> from position
        /// <paramref name="start"/> on (growing the array when needed) and returns the position after the last. A move
        /// e ≥ 0 is the attraction along the vertex's e-th edge; a move ~k &lt; 0 is a negative sample of vertex k,
        /// drawn from the context's vertices.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Build(in LayoutContext context, int edgeCount, int firstEdge, ref FastRandom rng, ref int[] moves, int start = 0)
        {
            ref readonly var schedule = ref context.Schedule;
            int most = schedule.MostNegativeSamples;
            // The moves (with room for the padded draws' overrun), then the due edges' list, which the moves never reach.
            int listStart = start + edgeCount * (1 + most) + FastRandom.FillPadding;
            if (listStart + edgeCount > moves.Length)
                Array.Resize(ref moves, Math.Max(2 * moves.Length, listStart + edgeCount));

            var due = moves.AsSpan(listStart, edgeCount);
            int epoch = context.Epoch;
            int dueCount = schedule.DueEdges(firstEdge, epoch, due);
            int count = start;
            for (int j = 0; j < dueCount; j++)
            {
                int e = due[j];
                int owed = schedule.NegativeSamples(schedule.Firing(firstEdge + e, epoch));
                moves[count++] = e;
                rng.FillComplementedIntsPadded(moves.AsSpan(count), owed, context.VertexCount);
                count += owed;
            }
            return count;
        }

        /// <summary>
        /// The same random draws as <see cref="Build"/> for a lone vertex (its edges the first
        /// <paramref name="edgeCount"/>), written as two lists: the positions of the due edges at the start of
        /// <paramref name="moves"/> (<paramref name="dueCount"/> of them), then from position <paramref name="edgeCount"/>
        /// on the vertices of all their negative samples, complemented as in <see cref="Build"/>, in the same order;
        /// returns the number of samples.
        /// </summary>
        public static int BuildApart(in LayoutContext context, int edgeCount, ref FastRandom rng, ref int[] moves, out int dueCount)
        {
            ref readonly var schedule = ref context.Schedule;
            int needed = edgeCount * (1 + schedule.MostNegativeSamples) + FastRandom.FillPadding; // with room for the padded draws' overrun
            if (needed > moves.Length)
                Array.Resize(ref moves, Math.Max(2 * moves.Length, needed));

            int epoch = context.Epoch;
            var due = moves.AsSpan(0, edgeCount);
            dueCount = schedule.DueEdges(0, epoch, due);
            int samples = 0;
            foreach (int e in due[..dueCount])
                samples += schedule.NegativeSamples(schedule.Firing(e, epoch));
            // The stream is counter-based: one draw of them all gives the values the edges' draws in turn would.
            rng.FillComplementedIntsPadded(moves.AsSpan(edgeCount), samples, context.VertexCount);
            return samples;
        }
    }
}
