using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Umap.Core.Numerics;

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
    /// <see cref="Transform.NewPointEmbedder.MovesTogetherFromRows"/>).
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
        /// repulsions of <paramref name="samples"/> (indices into <paramref name="others"/>), each measured from where
        /// the point is on entry and clipped as in <see cref="Repel"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void RepelTogether(Span<float> position, ReadOnlySpan<int> samples, float[] others, int dim, in UmapGradient gradient, float alpha)
        {
            if (dim == 2)
            {
                RepelTogetherInPlane(position, samples, others, in gradient, alpha, FixedPower.VectorIsSupported);
                return;
            }
            Span<float> push = stackalloc float[dim];
            foreach (int sample in samples)
            {
                var negative = new ReadOnlySpan<float>(others, sample * dim, dim);
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

        /// <summary>
        /// <see cref="RepelTogether"/> in the usual two dimensions: eight samples to a vector where the machine has
        /// AVX2 (<paramref name="vectorized"/>), else one at a time; either way sample s is summed into the s mod 8-th of
        /// eight partial sums, added up in lane order, so both give the same bits.
        /// </summary>
        internal static unsafe void RepelTogetherInPlane(Span<float> position, ReadOnlySpan<int> samples, float[] others, in UmapGradient gradient, float alpha, bool vectorized)
        {
            const int Lanes = 8;
            float x = position[0], y = position[1];
            Span<float> pushX = stackalloc float[Lanes];
            Span<float> pushY = stackalloc float[Lanes];
            int s = 0;
            if (vectorized)
            {
                Vector256<float> sumX, sumY;
                bool subnormal;
                fixed (float* coordinates = others)
                    (sumX, sumY, subnormal) = SumPushes(x, y, samples, coordinates, in gradient, alpha);
                if (subnormal)
                {
                    // A distance too small for the power's fast form (never in practice): the scalar path, same bits.
                    RepelTogetherInPlane(position, samples, others, in gradient, alpha, vectorized: false);
                    return;
                }
                sumX.CopyTo(pushX);
                sumY.CopyTo(pushY);
                s = samples.Length;
            }
            for (; s < samples.Length; s++)
            {
                int at = 2 * samples[s];
                float dx = x - others[at], dy = y - others[at + 1];
                float distanceSquared = dx * dx + dy * dy;
                if (distanceSquared > 0f)
                {
                    float repulsion = gradient.Repulsion(distanceSquared);
                    pushX[s % Lanes] += alpha * UmapGradient.ClipComponent(repulsion * dx);
                    pushY[s % Lanes] += alpha * UmapGradient.ClipComponent(repulsion * dy);
                }
                else
                {
                    pushX[s % Lanes] += alpha * UmapGradient.Clip;
                    pushY[s % Lanes] += alpha * UmapGradient.Clip;
                }
            }
            float totalX = 0f, totalY = 0f;
            for (int lane = 0; lane < Lanes; lane++)
            {
                totalX += pushX[lane];
                totalY += pushY[lane];
            }
            position[0] = x + totalX;
            position[1] = y + totalY;
        }

        /// <summary>
        /// The vector path of <see cref="RepelTogetherInPlane"/>: the eight partial sums of the pushes (at the rate) on the
        /// point (<paramref name="x"/>, <paramref name="y"/>), and whether a sample's squared distance was subnormal,
        /// which the fast power gets wrong. A loop without calls, so the compiler keeps its vectors in registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe (Vector256<float> X, Vector256<float> Y, bool Subnormal) SumPushes(
            float x, float y, ReadOnlySpan<int> samples, float* coordinates, in UmapGradient gradient, float alpha)
        {
            const int Lanes = 8;
            var sumX = Vector256<float>.Zero;
            var sumY = Vector256<float>.Zero;
            var subnormal = Vector256<float>.Zero;
            var point = (X: Vector256.Create(x), Y: Vector256.Create(y));
            var rate = Vector256.Create(alpha);
            int s = 0;
            // Two groups of eight a turn, computed before either is added: each group is a long chain (gathers, the
            // power, a division), and two side by side keep the CPU busy where one leaves it waiting (MNIST: an
            // 4,000 samples in epochs of 40, 17.5 → 14.3 µs). The sums still take the groups in order.
            for (; s <= samples.Length - 2 * Lanes; s += 2 * Lanes)
            {
                var (firstX, firstY, firstTiny) = Push(point, coordinates, Vector256.Create<int>(samples.Slice(s, Lanes)), in gradient);
                var (secondX, secondY, secondTiny) = Push(point, coordinates, Vector256.Create<int>(samples.Slice(s + Lanes, Lanes)), in gradient);
                sumX += rate * firstX;
                sumY += rate * firstY;
                sumX += rate * secondX;
                sumY += rate * secondY;
                subnormal |= firstTiny | secondTiny;
            }
            if (s <= samples.Length - Lanes)
            {
                var (pushedX, pushedY, tiny) = Push(point, coordinates, Vector256.Create<int>(samples.Slice(s, Lanes)), in gradient);
                sumX += rate * pushedX;
                sumY += rate * pushedY;
                subnormal |= tiny;
                s += Lanes;
            }
            if (s < samples.Length)
            {
                // The last few in the first lanes (the others read point 0 and are dropped): lane l still sums
                // samples l, l + 8, ... in order, as the scalar path's partial sum l does.
                var last = Vector256<int>.Zero;
                for (int lane = 0; s + lane < samples.Length; lane++)
                    last = last.WithElement(lane, samples[s + lane]);
                var valid = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(samples.Length - s)).AsSingle();
                var (pushedX, pushedY, tiny) = Push(point, coordinates, last, in gradient);
                sumX = Vector256.ConditionalSelect(valid, sumX + rate * pushedX, sumX);
                sumY = Vector256.ConditionalSelect(valid, sumY + rate * pushedY, sumY);
                subnormal |= tiny & valid;
            }
            return (sumX, sumY, subnormal != Vector256<float>.Zero);
        }

        /// <summary>
        /// The clipped pushes (before the rate) of the eight samples at <paramref name="indices"/> on the point, and the
        /// lanes whose squared distance is subnormal, which the fast power gets wrong.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe (Vector256<float> X, Vector256<float> Y, Vector256<float> Subnormal) Push(
            (Vector256<float> X, Vector256<float> Y) point, float* coordinates, Vector256<int> indices, in UmapGradient gradient)
        {
            var at = indices * 2;
            var dx = point.X - Avx2.GatherVector256(coordinates, at, 4);
            var dy = point.Y - Avx2.GatherVector256(coordinates + 1, at, 4);
            var distanceSquared = dx * dx + dy * dy;
            // A sample at exactly the point's place pushes +4 along every axis, as in Repel.
            var coincident = Vector256.Equals(distanceSquared, Vector256<float>.Zero);
            var subnormal = Vector256.LessThan(distanceSquared, Vector256.Create(FixedPower.SmallestNormal)) & ~coincident;
            var repulsion = gradient.RepulsionOfNormal(distanceSquared);
            var clip = Vector256.Create(UmapGradient.Clip);
            return (Vector256.ConditionalSelect(coincident, clip, UmapGradient.ClipComponents(repulsion * dx)),
                    Vector256.ConditionalSelect(coincident, clip, UmapGradient.ClipComponents(repulsion * dy)),
                    subnormal);
        }
    }
}
