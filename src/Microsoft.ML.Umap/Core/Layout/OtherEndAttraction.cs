using System;
using System.Numerics;
using System.Runtime.CompilerServices;
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
            if (Vector.IsHardwareAccelerated)
            {
                // Same operations as the scalar loop, a vector of floats at a time: exact integer sums, an exact
                // scaling by a power of two, one rounding to float, then the multiplication by alpha.
                int longs = Vector<long>.Count;
                var scale = new Vector<double>(1.0 / Scale);
                var rate = new Vector<float>(alpha);
                for (; p + 2 * longs <= stop; p += 2 * longs)
                {
                    var low = Vector<long>.Zero;
                    var high = Vector<long>.Zero;
                    foreach (var tally in tallies)
                    {
                        var values = tally.Values.AsSpan(p, 2 * longs);
                        low += new Vector<long>(values);
                        high += new Vector<long>(values[longs..]);
                        values.Clear();
                    }
                    var step = Vector.Narrow(Vector.ConvertToDouble(low) * scale, Vector.ConvertToDouble(high) * scale);
                    var moved = new Vector<float>(positions, p) - rate * step;
                    moved.CopyTo(positions, p);
                    moved.CopyTo(snapshot, p);
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
            public void Add(int vertex, int d, float step) => Values[vertex * _dim + d] += (long)(step * Scale);
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
