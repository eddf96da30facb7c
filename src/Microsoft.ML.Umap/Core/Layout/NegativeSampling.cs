using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The repulsion of one negative sample, as umap-learn applies it: the gradient is measured from where the
    /// point is now and clipped to ±4 per axis, and a distinct point at exactly the same place pushes +4 along
    /// every axis.
    /// </summary>
    /// <remarks>
    /// In a fit, samples are applied one after the other (see <see cref="MoveSchedule"/>): summing a batch measured
    /// from one position instead, which vectorises well, over-pushes a point sitting in a dense spot, where several
    /// clipped ±4 steps add up before it has moved away, and spreads the embedding far beyond umap-learn's
    /// (docs/measurements.md). A new row placed against a fixed training embedding of thousands of rows is
    /// different: it moves at a quarter of the rate through an embedding that has already spread out, a sample rarely
    /// lands near it, and <see cref="RepelTogether"/> measures an epoch's samples from one position, independent
    /// computations the CPU overlaps instead of a chain of dependent ones (see
    /// <see cref="Transform.NewPointEmbedder.SamplesTogetherFromRows"/>).
    /// </remarks>
    internal static class NegativeSampling
    {
        /// <summary>Moves <paramref name="position"/> away from sample <paramref name="sample"/>.</summary>
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
            float distanceSquared = LayoutOptimizer.SquaredDistance(position, negative);
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

        /// <summary>
        /// Moves <paramref name="position"/> (a point that is none of <paramref name="others"/>) by the sum of the
        /// repulsions of the negative samples among <paramref name="moves"/> (the entries ~k &lt; 0, see
        /// <see cref="MoveSchedule.Build"/>), each measured from where the point is on entry and clipped as in
        /// <see cref="Repel"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void RepelTogether(Span<float> position, ReadOnlySpan<int> moves, float[] others, int dim, in UmapGradient gradient, float alpha)
        {
            if (dim == 2)
            {
                RepelTogetherInPlane(position, moves, others, in gradient, alpha);
                return;
            }
            Span<float> push = stackalloc float[dim];
            foreach (int move in moves)
            {
                if (move >= 0)
                    continue;
                var negative = new ReadOnlySpan<float>(others, ~move * dim, dim);
                float distanceSquared = LayoutOptimizer.SquaredDistance(position, negative);
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

        /// <summary><see cref="RepelTogether"/> for the usual two dimensions, the point's coordinates held in registers.</summary>
        private static void RepelTogetherInPlane(Span<float> position, ReadOnlySpan<int> moves, float[] others, in UmapGradient gradient, float alpha)
        {
            float x = position[0], y = position[1];
            float pushX = 0f, pushY = 0f;
            foreach (int move in moves)
            {
                if (move >= 0)
                    continue;
                int at = 2 * ~move;
                float dx = x - others[at], dy = y - others[at + 1];
                float distanceSquared = dx * dx + dy * dy;
                if (distanceSquared > 0f)
                {
                    float repulsion = gradient.Repulsion(distanceSquared);
                    pushX += alpha * UmapGradient.ClipComponent(repulsion * dx);
                    pushY += alpha * UmapGradient.ClipComponent(repulsion * dy);
                }
                else
                {
                    pushX += alpha * UmapGradient.Clip;
                    pushY += alpha * UmapGradient.Clip;
                }
            }
            position[0] = x + pushX;
            position[1] = y + pushY;
        }
    }
}
