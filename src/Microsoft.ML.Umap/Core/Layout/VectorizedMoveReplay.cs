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
    /// negative sample, branch-free, with the
    /// lanes' coordinates kept in registers. The arithmetic of a lane does not depend on the other lanes, so a
    /// vertex's result is the same whichever vertices share its group.
    /// </summary>
    internal static class VectorizedMoveReplay
    {
        public const int Lanes = 8;

        /// <summary>Marks the steps after a lane's last move.</summary>
        private const int Finished = int.MinValue;

        [ThreadStatic]
        private static int[] t_interleaved;

        /// <summary>Positions in the interleaved lists of the attraction moves, whose steps the other ends take back.</summary>
        [ThreadStatic]
        private static int[] t_pulls;

        /// <summary>Every step's eight lanes' steps, per axis, kept for the other ends.</summary>
        [ThreadStatic]
        private static float[] t_steps;

        [ThreadStatic]
        private static Vector256<float>[] t_axes;

        public static bool IsSupported => Avx2.IsSupported;

        /// <summary>
        /// Applies the moves <paramref name="moves"/>[<paramref name="starts"/>[i] .. <paramref name="starts"/>[i + 1])
        /// to vertex <paramref name="start"/> + i for each i of <paramref name="group"/> (at most eight).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Replay(
            int start, ReadOnlySpan<int> group, int[] moves, int[] starts, float[] positions, float[] snapshot,
            int[] offsets, int[] columns, int dim, in UmapGradient gradient, float alpha, DensityRegularization density, OtherEndAttraction.Tally otherEnd)
        {
            // Lane-interleaved copy of the lists so that each step is one load; lanes past the group's end repeat
            // its first vertex, never move and are never written back.
            int lanes = group.Length;
            Span<int> vertices = stackalloc int[Lanes];
            Span<int> edges = stackalloc int[Lanes];
            int longest = 0;
            for (int l = 0; l < Lanes; l++)
            {
                int i = group[l < lanes ? l : 0];
                vertices[l] = start + i;
                edges[l] = offsets[start + i];
                longest = Math.Max(longest, starts[i + 1] - starts[i]);
            }
            int length = longest * Lanes;
            var interleaved = t_interleaved;
            if (interleaved is null || interleaved.Length < length)
                t_interleaved = interleaved = new int[Math.Max(length, 4096)];
            int[] pulls = null;
            float[] stepLog = null;
            if (otherEnd != null)
            {
                pulls = t_pulls;
                stepLog = t_steps;
                if (pulls is null || pulls.Length < length || stepLog.Length < length * dim)
                {
                    t_pulls = pulls = new int[Math.Max(length, 4096)];
                    t_steps = stepLog = new float[Math.Max(length, 4096) * dim];
                }
            }
            int pullCount = 0;
            for (int l = 0; l < Lanes; l++)
            {
                int i = group[l < lanes ? l : 0];
                int count = l < lanes ? starts[i + 1] - starts[i] : 0;
                for (int s = 0; s < count; s++)
                {
                    int move = moves[starts[i] + s];
                    interleaved[s * Lanes + l] = move;
                    if (otherEnd != null)
                    {
                        // Branch-free append: the slot is overwritten unless the move is an attraction.
                        pulls[pullCount] = s * Lanes + l;
                        pullCount += move >= 0 ? 1 : 0;
                    }
                }
                for (int s = count; s < longest; s++)
                    interleaved[s * Lanes + l] = Finished;
            }

            var self = Vector256.Create<int>(vertices);
            var firstEdge = Vector256.Create<int>(edges);
            var finished = Vector256.Create(Finished);
            var clip = Vector256.Create(UmapGradient.Clip);
            var rate = Vector256.Create(alpha);
            // Per axis, the lanes' coordinates and their differences to the other ends: on the heap, since the
            // embedding's dimension is the user's to choose.
            var axes = t_axes;
            if (axes is null || axes.Length < 2 * dim)
                t_axes = axes = new Vector256<float>[Math.Max(2 * dim, 32)];
            var position = axes.AsSpan(0, dim);
            var difference = axes.AsSpan(dim, dim);

            fixed (float* positionBase = positions)
            fixed (float* snapshotBase = snapshot)
            fixed (int* columnBase = columns)
            fixed (int* moveBase = interleaved)
            fixed (float* stepBase = stepLog)
            {
                var rowStart = self * dim;
                for (int d = 0; d < dim; d++)
                    position[d] = Avx2.GatherVector256(positionBase + d, rowStart, sizeof(float));

                for (int s = 0; s < longest; s++)
                {
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

                    var isAttraction = attraction.AsSingle();
                    var powB = gradient.PowerB(distanceSquared);
                    var coefficient = gradient.Coefficient(distanceSquared, powB, isAttraction);
                    // umap-learn: a distinct sample at exactly the same place pushes +4 along every axis.
                    var coincident = (~attraction & Vector256.Equals(distanceSquared, Vector256<float>.Zero).AsInt32() & ~Vector256.Equals(other, self)).AsSingle();
                    var moving = active.AsSingle();
                    // densMAP's term rides on the attraction, clipped on its own as in umap-learn.
                    var correction = density is null ? Vector256<float>.Zero : density.Coefficient(self, other, firstEdge + move, distanceSquared, powB, attraction);
                    for (int d = 0; d < dim; d++)
                    {
                        var clipped = Vector256.Clamp(coefficient * difference[d], -clip, clip);
                        if (density != null)
                            clipped += Vector256.Clamp(correction * difference[d], -clip, clip);
                        var step = Vector256.ConditionalSelect(coincident, clip, clipped);
                        if (stepBase != null)
                            Vector256.Store(step, stepBase + (s * dim + d) * Lanes);
                        position[d] = Vector256.ConditionalSelect(moving, position[d] + rate * step, position[d]);
                    }
                }

                // The other ends of the attractions get the same steps back, tallied to land when the block ends.
                for (int p = 0; p < pullCount; p++)
                {
                    int at = pulls[p];
                    int l = at % Lanes;
                    int other = columnBase[edges[l] + moveBase[at]];
                    for (int d = 0; d < dim; d++)
                        otherEnd.Add(other, d, stepBase[((at / Lanes) * dim + d) * Lanes + l]);
                }

                for (int l = 0; l < lanes; l++)
                {
                    for (int d = 0; d < dim; d++)
                        positionBase[vertices[l] * dim + d] = position[d].GetElement(l);
                }
            }
        }
    }
}
#endif
