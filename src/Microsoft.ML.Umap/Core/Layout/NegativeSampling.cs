using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The repulsion of a batch of negative samples, all measured from one position and summed: each sample's
    /// gradient is clipped to ±4 per axis as in umap-learn, and a distinct point at exactly the same place
    /// pushes +4 along every axis (umap-learn's rule). Independent samples let the CPU (and SIMD lanes) work on
    /// several at once instead of waiting for each step to land.
    /// </summary>
    internal static class NegativeSampling
    {
        /// <summary>Adds the summed clipped repulsion of <paramref name="samples"/> to <paramref name="push"/>.</summary>
        /// <param name="position">The moving point, <paramref name="dim"/> coordinates.</param>
        /// <param name="self">The moving point's own index among <paramref name="others"/> (ignored if sampled), or −1.</param>
        /// <param name="samples">Indices of the sampled points.</param>
        /// <param name="others">All sampled-from positions, row-major, <paramref name="dim"/> per point.</param>
        /// <param name="dim">Embedding dimension.</param>
        /// <param name="gradient">The gradient coefficients.</param>
        /// <param name="push">Accumulator, <paramref name="dim"/> values.</param>
        public static void AccumulateRepulsion(ReadOnlySpan<float> position, int self, ReadOnlySpan<int> samples, float[] others, int dim, in UmapGradient gradient, Span<float> push)
        {
            int done = 0;
#if NET9_0_OR_GREATER
            if (Avx2.IsSupported && samples.Length >= Vector256<int>.Count)
                done = AccumulateVectorized(position, self, samples, others, dim, in gradient, push);
#endif
            for (int s = done; s < samples.Length; s++)
            {
                int k = samples[s];
                var negative = new ReadOnlySpan<float>(others, k * dim, dim);
                float distanceSquared = 0f;
                for (int d = 0; d < dim; d++)
                {
                    float diff = position[d] - negative[d];
                    distanceSquared += diff * diff;
                }

                if (distanceSquared > 0f)
                {
                    float repulsion = gradient.Repulsion(distanceSquared);
                    for (int d = 0; d < dim; d++)
                        push[d] += UmapGradient.ClipComponent(repulsion * (position[d] - negative[d]));
                }
                else if (k != self)
                {
                    for (int d = 0; d < dim; d++)
                        push[d] += UmapGradient.Clip;
                }
            }
        }

#if NET9_0_OR_GREATER
        /// <summary>
        /// Eight samples at a time with gathered coordinates; returns how many it handled (a multiple of eight: a
        /// short tail is cheaper in scalar code than through the vector logarithm and exponential).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe int AccumulateVectorized(ReadOnlySpan<float> position, int self, ReadOnlySpan<int> samples, float[] others, int dim, in UmapGradient gradient, Span<float> push)
        {
            const int Lanes = 8;
            int end = samples.Length - samples.Length % Lanes;
            var clip = Vector256.Create(UmapGradient.Clip);
            var selfIndex = Vector256.Create(self);
            fixed (float* basePointer = others)
            {
                for (int s = 0; s < end; s += Lanes)
                {
                    var indices = Vector256.Create(samples.Slice(s, Lanes));
                    var offsets = indices * dim;
                    var distanceSquared = Vector256<float>.Zero;
                    for (int d = 0; d < dim; d++)
                    {
                        var diff = Vector256.Create(position[d]) - Avx2.GatherVector256(basePointer + d, offsets, sizeof(float));
                        distanceSquared += diff * diff;
                    }

                    var repulsion = gradient.Repulsion(distanceSquared);
                    var coincident = Vector256.Equals(distanceSquared, Vector256<float>.Zero);
                    // Coincident lanes push +4 unless the sample is the point itself.
                    var coincidentPush = clip & ~Vector256.Equals(indices, selfIndex).AsSingle();
                    for (int d = 0; d < dim; d++)
                    {
                        var diff = Vector256.Create(position[d]) - Avx2.GatherVector256(basePointer + d, offsets, sizeof(float));
                        var step = Vector256.ConditionalSelect(coincident, coincidentPush, Vector256.Clamp(repulsion * diff, -clip, clip));
                        push[d] += Vector256.Sum(step);
                    }
                }
            }
            return end;
        }
#endif
    }
}
