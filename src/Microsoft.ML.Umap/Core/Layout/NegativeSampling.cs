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
                RepelTogetherInPlane(position, samples, others, in gradient, alpha, WidestPlane);
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

        /// <summary>How <see cref="RepelTogetherInPlane"/> runs: one sample at a time, or eight or sixteen to a vector.</summary>
        internal enum PlaneWidth
        {
            Scalar,
            Eight,
            Sixteen,
        }

        /// <summary>The widest <see cref="PlaneWidth"/> this machine runs.</summary>
        internal static PlaneWidth WidestPlane =>
            FixedPower.WideVectorIsSupported ? PlaneWidth.Sixteen : FixedPower.VectorIsSupported ? PlaneWidth.Eight : PlaneWidth.Scalar;

        /// <summary>
        /// <see cref="RepelTogether"/> in the usual two dimensions: sixteen samples to a vector where the machine has
        /// AVX-512, two vectors of eight where it has AVX2, else one at a time (<paramref name="width"/>). Every way,
        /// sample s is summed into the s mod 16-th of sixteen partial sums, and those are added pairwise (l with l + 8,
        /// then l + 4, l + 2, l + 1, as a vector's halves are), so all give the same bits.
        /// </summary>
        internal static unsafe void RepelTogetherInPlane(Span<float> position, ReadOnlySpan<int> samples, float[] others, in UmapGradient gradient, float alpha, PlaneWidth width)
        {
            float x = position[0], y = position[1];
            if (width != PlaneWidth.Scalar)
            {
                // Partial sums l + (l + 8), for l < 8.
                Vector256<float> halvesX, halvesY;
                bool subnormal;
                fixed (float* coordinates = others)
                fixed (int* indices = samples)
                {
                    subnormal = width == PlaneWidth.Sixteen
                        ? SumPushesSixteen(x, y, indices, samples.Length, coordinates, in gradient, alpha, out halvesX, out halvesY)
                        : SumPushesEight(x, y, indices, samples.Length, coordinates, in gradient, alpha, out halvesX, out halvesY);
                }
                if (!subnormal)
                {
                    position[0] = x + Total(halvesX);
                    position[1] = y + Total(halvesY);
                    return;
                }
                // A distance too small for the power's fast form (never in practice): the scalar path, same bits.
            }

            Span<float> pushX = stackalloc float[Partials];
            Span<float> pushY = stackalloc float[Partials];
            pushX.Clear();
            pushY.Clear();
            for (int s = 0; s < samples.Length; s++)
            {
                int at = 2 * samples[s];
                float dx = x - others[at], dy = y - others[at + 1];
                float distanceSquared = dx * dx + dy * dy;
                if (distanceSquared > 0f)
                {
                    float repulsion = gradient.Repulsion(distanceSquared);
                    pushX[s % Partials] += alpha * UmapGradient.ClipComponent(repulsion * dx);
                    pushY[s % Partials] += alpha * UmapGradient.ClipComponent(repulsion * dy);
                }
                else
                {
                    pushX[s % Partials] += alpha * UmapGradient.Clip;
                    pushY[s % Partials] += alpha * UmapGradient.Clip;
                }
            }
            position[0] = x + Total(pushX);
            position[1] = y + Total(pushY);
        }

        /// <summary>Partial sums of <see cref="RepelTogetherInPlane"/>: sample s goes to the s mod 16-th.</summary>
        private const int Partials = 16;

        /// <summary>The sixteen partial sums added pairwise: l with l + 8, then l + 4, l + 2, l + 1 (in place).</summary>
        private static float Total(Span<float> partials)
        {
            for (int width = Partials / 2; width >= 1; width /= 2)
            {
                for (int lane = 0; lane < width; lane++)
                    partials[lane] += partials[lane + width];
            }
            return partials[0];
        }

        /// <summary><see cref="Total(Span{float})"/> from its first step on: <paramref name="halves"/> holds l + (l + 8).</summary>
        private static float Total(Vector256<float> halves)
        {
            var quarters = halves.GetLower() + halves.GetUpper();
            return (quarters.GetElement(0) + quarters.GetElement(2)) + (quarters.GetElement(1) + quarters.GetElement(3));
        }

        /// <summary>
        /// The vector path of <see cref="RepelTogetherInPlane"/> on AVX2: each sixteen samples as two vectors of eight
        /// (partial sums 0–7 and 8–15), both computed before either is summed: each is a long chain (gathers, the
        /// power, a division), and two side by side keep the CPU busy where one leaves it waiting. Gives the partial
        /// sums' halves (see <see cref="Total(Vector256{float})"/>); true when a sample's squared distance was
        /// subnormal, which the fast power gets wrong. A loop without calls, so the compiler keeps its vectors in
        /// registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe bool SumPushesEight(
            float x, float y, int* samples, int count, float* coordinates, in UmapGradient gradient, float alpha, out Vector256<float> halvesX, out Vector256<float> halvesY)
        {
            const int Lanes = 8;
            var low = (X: Vector256<float>.Zero, Y: Vector256<float>.Zero);
            var high = (X: Vector256<float>.Zero, Y: Vector256<float>.Zero);
            var subnormal = Vector256<float>.Zero;
            var point = (X: Vector256.Create(x), Y: Vector256.Create(y));
            var rate = Vector256.Create(alpha);
            int s = 0;
            for (; s <= count - Partials; s += Partials)
            {
                var (lowX, lowY, lowTiny) = Push(point, coordinates, Vector256.Load(samples + s), in gradient);
                var (highX, highY, highTiny) = Push(point, coordinates, Vector256.Load(samples + s + Lanes), in gradient);
                low.X += rate * lowX;
                low.Y += rate * lowY;
                high.X += rate * highX;
                high.Y += rate * highY;
                subnormal |= lowTiny | highTiny;
            }
            if (s < count)
            {
                // The last few in the first lanes; the others read point 0 and are dropped.
                var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                var validLow = Vector256.LessThan(lanes, Vector256.Create(count - s));
                var validHigh = Vector256.LessThan(lanes, Vector256.Create(count - s - Lanes));
                var (lowX, lowY, lowTiny) = Push(point, coordinates, Avx2.MaskLoad(samples + s, validLow), in gradient);
                var (highX, highY, highTiny) = Push(point, coordinates, Avx2.MaskLoad(samples + s + Lanes, validHigh), in gradient);
                low.X = Vector256.ConditionalSelect(validLow.AsSingle(), low.X + rate * lowX, low.X);
                low.Y = Vector256.ConditionalSelect(validLow.AsSingle(), low.Y + rate * lowY, low.Y);
                high.X = Vector256.ConditionalSelect(validHigh.AsSingle(), high.X + rate * highX, high.X);
                high.Y = Vector256.ConditionalSelect(validHigh.AsSingle(), high.Y + rate * highY, high.Y);
                subnormal |= (lowTiny & validLow.AsSingle()) | (highTiny & validHigh.AsSingle());
            }
            halvesX = low.X + high.X;
            halvesY = low.Y + high.Y;
            return subnormal != Vector256<float>.Zero;
        }

        /// <summary>
        /// <see cref="SumPushesEight"/> on AVX-512: sixteen samples to a vector, two vectors computed before either is
        /// summed; the same lanes, the same operations, the same bits, in half the instructions.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe bool SumPushesSixteen(
            float x, float y, int* samples, int count, float* coordinates, in UmapGradient gradient, float alpha, out Vector256<float> halvesX, out Vector256<float> halvesY)
        {
            var sumX = Vector512<float>.Zero;
            var sumY = Vector512<float>.Zero;
            var subnormal = Vector512<float>.Zero;
            var point = (X: Vector512.Create(x), Y: Vector512.Create(y));
            var rate = Vector512.Create(alpha);
            int s = 0;
            for (; s <= count - 2 * Partials; s += 2 * Partials)
            {
                var (firstX, firstY, firstTiny) = Push(point, coordinates, Vector512.Load(samples + s), in gradient);
                var (secondX, secondY, secondTiny) = Push(point, coordinates, Vector512.Load(samples + s + Partials), in gradient);
                sumX += rate * firstX;
                sumY += rate * firstY;
                sumX += rate * secondX;
                sumY += rate * secondY;
                subnormal |= firstTiny | secondTiny;
            }
            for (; s < count; s += Partials)
            {
                // A last whole vector, or the last few in the first lanes (the others read point 0 and are dropped).
                var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                var validLow = Vector256.LessThan(lanes, Vector256.Create(count - s));
                var validHigh = Vector256.LessThan(lanes, Vector256.Create(count - s - 8));
                var valid = Vector512.Create(validLow, validHigh).AsSingle();
                var indices = Vector512.Create(Avx2.MaskLoad(samples + s, validLow), Avx2.MaskLoad(samples + s + 8, validHigh));
                var (pushedX, pushedY, tiny) = Push(point, coordinates, indices, in gradient);
                sumX = Vector512.ConditionalSelect(valid, sumX + rate * pushedX, sumX);
                sumY = Vector512.ConditionalSelect(valid, sumY + rate * pushedY, sumY);
                subnormal |= tiny & valid;
            }
            halvesX = sumX.GetLower() + sumX.GetUpper();
            halvesY = sumY.GetLower() + sumY.GetUpper();
            return subnormal != Vector512<float>.Zero;
        }

        /// <summary>
        /// <see cref="Push(ValueTuple{Vector256{float}, Vector256{float}}, float*, Vector256{int}, in UmapGradient)"/> for
        /// sixteen samples: the same operations lane by lane.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe (Vector512<float> X, Vector512<float> Y, Vector512<float> Subnormal) Push(
            (Vector512<float> X, Vector512<float> Y) point, float* coordinates, Vector512<int> indices, in UmapGradient gradient)
        {
            var at = indices * 2;
            // No 16-lane gather in .NET's intrinsics: two of eight.
            var (low, high) = (at.GetLower(), at.GetUpper());
            var dx = point.X - Vector512.Create(Avx2.GatherVector256(coordinates, low, 4), Avx2.GatherVector256(coordinates, high, 4));
            var dy = point.Y - Vector512.Create(Avx2.GatherVector256(coordinates + 1, low, 4), Avx2.GatherVector256(coordinates + 1, high, 4));
            var distanceSquared = dx * dx + dy * dy;
            var coincident = Vector512.Equals(distanceSquared, Vector512<float>.Zero);
            var subnormal = Vector512.LessThan(distanceSquared, Vector512.Create(FixedPower.SmallestNormal)) & ~coincident;
            var repulsion = gradient.RepulsionOfNormal(distanceSquared);
            var clip = Vector512.Create(UmapGradient.Clip);
            return (Vector512.ConditionalSelect(coincident, clip, UmapGradient.ClipComponents(repulsion * dx)),
                    Vector512.ConditionalSelect(coincident, clip, UmapGradient.ClipComponents(repulsion * dy)),
                    subnormal);
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
