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
        /// Writes the moves of a vertex whose <paramref name="edgeCount"/> edges start at
        /// <paramref name="firstEdge"/> in the schedule of <paramref name="sampler"/> into <paramref name="moves"/>
        /// from position <paramref name="start"/> on (growing the array when needed) and returns the position after
        /// the last. A move e ≥ 0 is the attraction along the vertex's e-th edge; a move ~k &lt; 0 is a negative
        /// sample of vertex k, drawn from <paramref name="tailCount"/>.
        /// </summary>
        public static int Build(int edgeCount, int firstEdge, int tailCount, int epoch, in EdgeSampler sampler, ref FastRandom rng, ref int[] moves, int start = 0)
        {
            int count = start;
            for (int e = 0; e < edgeCount; e++)
            {
                int firing = sampler.Firing(firstEdge + e, epoch);
                if (firing == 0)
                    continue;
                int owed = sampler.NegativeSamples(firing);
                if (count + 1 + owed > moves.Length)
                    Array.Resize(ref moves, Math.Max(2 * moves.Length, count + 1 + owed));
                moves[count++] = e;
                var samples = moves.AsSpan(count, owed);
                rng.FillInts(samples, tailCount);
                foreach (ref int k in samples)
                    k = ~k;
                count += owed;
            }
            return count;
        }

        /// <summary>Applies one move to <paramref name="current"/>, the coordinates of vertex <paramref name="self"/>.</summary>
        /// <param name="move">The move, as written by <see cref="Build"/>.</param>
        /// <param name="current">The vertex's coordinates, updated in place.</param>
        /// <param name="self">The vertex's index among the tails (never its own negative sample), or −1.</param>
        /// <param name="tails">The other ends of the vertex's edges.</param>
        /// <param name="firstEdge">Position of the vertex's first edge in the graph.</param>
        /// <param name="others">Positions of all tail vertices, row-major, read-only here.</param>
        /// <param name="dim">Embedding dimension.</param>
        /// <param name="gradient">The gradient coefficients.</param>
        /// <param name="alpha">Learning rate of this epoch.</param>
        /// <param name="density">The densMAP term when it acts in this epoch, else null.</param>
        /// <param name="otherEnd">Tallies the attraction steps for the edges' other ends, or null (new rows).</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(
            int move, Span<float> current, int self, ReadOnlySpan<int> tails, int firstEdge, float[] others, int dim,
            in UmapGradient gradient, float alpha, DensityRegularization density, OtherEndAttraction.Tally otherEnd)
        {
            if (move >= 0)
            {
                int k = tails[move];
                var other = new ReadOnlySpan<float>(others, k * dim, dim);
                float distanceSquared = LayoutOptimizer.SquaredDistance(current, other);
                float coefficient = gradient.Attraction(distanceSquared);
                float correction = density?.Coefficient(self, k, firstEdge + move, distanceSquared) ?? 0f;
                for (int d = 0; d < dim; d++)
                {
                    float difference = current[d] - other[d];
                    float step = UmapGradient.ClipComponent(coefficient * difference);
                    // umap-learn clips the density term on its own and adds it to the clipped attraction.
                    if (density != null)
                        step += UmapGradient.ClipComponent(correction * difference);
                    current[d] += alpha * step;
                    otherEnd?.Add(k, d, step);
                }
            }
            else
            {
                NegativeSampling.Repel(current, self, ~move, others, dim, in gradient, alpha);
            }
        }
    }
}
