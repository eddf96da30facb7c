using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The attraction umap-learn gives the other end of a sampled edge (its <c>move_other</c>): when vertex i pulls
    /// itself along edge (i, j), j is pulled back by the same clipped step. Here each vertex moves only itself, so
    /// i adds the step to j's tally, and j takes its tally when the block of vertices that i belongs to is done.
    /// </summary>
    /// <remarks>
    /// The step is the one i computed from where i stood at that moment, which is what makes this match umap-learn;
    /// a second step that j computes itself, from its own position, gives rounder and larger layouts, and tallies
    /// landing less often than once per block drift towards them (docs/layout-scheme.md). Each worker adds into a
    /// tally of its own (no atomics), in fixed point (2⁻³² units): integer sums do not depend on which worker
    /// added what, or in which order, so neither does the result.
    /// </remarks>
    internal sealed class OtherEndAttraction
    {
        private const double Scale = 4294967296.0;

        private readonly int _length;
        private readonly object _gate = new object();
        // Every tally made; replaced (not mutated) when one is added, so Apply reads it without copying.
        private Tally[] _all = Array.Empty<Tally>();

        public OtherEndAttraction(int vertices, int dim)
        {
            _length = checked(vertices * dim);
            Dim = dim;
        }

        public int Dim { get; }

        /// <summary>A new tally, for one worker: every tally made is summed when the steps land.</summary>
        public Tally CreateTally()
        {
            var tally = new Tally(new long[_length], Dim);
            lock (_gate)
                _all = [.. _all, tally];
            return tally;
        }

        /// <summary>
        /// Moves the vertices in [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="positions"/>
        /// back along the steps tallied for them, at learning rate <paramref name="alpha"/>, clears their tallies and
        /// copies their new positions into <paramref name="snapshot"/>. Runs after every worker has finished its block.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(int start, int end, float[] positions, float[] snapshot, float alpha)
        {
            var tallies = Volatile.Read(ref _all);
            int p = start * Dim, stop = end * Dim;
            // The vector loop reads without bounds checks.
            if (start < 0 || stop > _length || stop > positions.Length || stop > snapshot.Length)
                throw new ArgumentOutOfRangeException(nameof(end));
            if (Vector.IsHardwareAccelerated)
            {
                // Same operations as the scalar loop, a vector of floats at a time: exact integer sums, an exact
                // scaling by a power of two, one rounding to double, one to float, then the multiplication by alpha.
                int longs = Vector<long>.Count;
                var rate = new Vector<float>(alpha);
                ref float position = ref MemoryMarshal.GetArrayDataReference(positions);
                ref float snapshotAt = ref MemoryMarshal.GetArrayDataReference(snapshot);
                for (; p + 2 * longs <= stop; p += 2 * longs)
                {
                    var low = Vector<long>.Zero;
                    var high = Vector<long>.Zero;
                    foreach (var tally in tallies)
                    {
                        ref long values = ref MemoryMarshal.GetArrayDataReference(tally.Values);
                        low += Vector.LoadUnsafe(ref values, (nuint)p);
                        high += Vector.LoadUnsafe(ref values, (nuint)(p + longs));
                        Vector<long>.Zero.StoreUnsafe(ref values, (nuint)p);
                        Vector<long>.Zero.StoreUnsafe(ref values, (nuint)(p + longs));
                    }
                    var step = Vector.Narrow(Scaled(low), Scaled(high));
                    var moved = Vector.LoadUnsafe(ref position, (nuint)p) - rate * step;
                    moved.StoreUnsafe(ref position, (nuint)p);
                    moved.StoreUnsafe(ref snapshotAt, (nuint)p);
                }
            }
            for (; p < stop; p++)
            {
                long sum = 0;
                foreach (var tally in tallies)
                {
                    sum += tally.Values[p];
                    tally.Values[p] = 0;
                }
                positions[p] -= alpha * (float)(sum / Scale);
                snapshot[p] = positions[p];
            }
        }

        /// <summary>
        /// sum / 2³² rounded to double, lane by lane, as <c>(double)sum / Scale</c> gives it: the high and the low
        /// 32 bits are each exact in a double (made from their bits), and their sum is rounded once. Without AVX-512 the
        /// vector conversion from long is emulated element by element, which made this loop twice as slow.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector<double> Scaled(Vector<long> sum)
        {
            // 2⁵² + n has the bits 0x4330000000000000 | n for 0 ≤ n < 2⁵².
            var exponent = new Vector<long>(0x4330000000000000);
            var low = Vector.AsVectorDouble((sum & new Vector<long>(0xFFFFFFFF)) | exponent) - new Vector<double>(4503599627370496.0);
            // The high half, signed, offset by 2³¹ to make it non-negative.
            var high = Vector.AsVectorDouble((Vector.ShiftRightLogical(sum, 32) ^ new Vector<long>(0x80000000)) | exponent)
                - new Vector<double>(4503599627370496.0 + 2147483648.0);
            return high + low * new Vector<double>(1.0 / Scale);
        }

        /// <summary>One worker's fixed-point sums of the steps taken towards each vertex, per axis.</summary>
        internal sealed class Tally
        {
            private readonly int _dim;

            public Tally(long[] values, int dim)
            {
                Values = values;
                _dim = dim;
            }

            public long[] Values { get; }

            /// <summary>Adds the <paramref name="step"/> (before the learning rate) taken towards <paramref name="vertex"/> along axis <paramref name="d"/>.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Add(int vertex, int d, float step) => Values[vertex * _dim + d] += ToFixed(step);

            /// <summary>A step as the tally counts it: in units of 2⁻³², truncated.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static long ToFixed(float step) => (long)(step * Scale);
        }
    }

    /// <summary>What happens to the other end of an edge a vertex pulls itself along (umap-learn's move_other).</summary>
    internal interface IOtherEnds
    {
        /// <summary>Records the <paramref name="step"/> taken towards <paramref name="vertex"/> along axis <paramref name="d"/>.</summary>
        void Add(int vertex, int d, float step);
    }

    /// <summary>In a fit: the step is tallied for the other end, which takes it back when its block ends.</summary>
    internal readonly struct TalliedOtherEnds : IOtherEnds
    {
        private readonly OtherEndAttraction.Tally _tally;

        public TalliedOtherEnds(OtherEndAttraction.Tally tally) => _tally = tally;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int vertex, int d, float step) => _tally.Add(vertex, d, step);
    }

    /// <summary>A new row moving against a fixed embedding: the training rows never move.</summary>
    internal readonly struct FixedOtherEnds : IOtherEnds
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int vertex, int d, float step)
        {
        }
    }
}
