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
    /// Samples must be applied one after the other (see <see cref="MoveSchedule"/>). Summing a batch measured from
    /// one position instead, which vectorises well, over-pushes a point sitting in a dense spot, where several
    /// clipped ±4 steps add up before it has moved away, and spreads the embedding far beyond umap-learn's
    /// (docs/measurements.md).
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
    }
}
