using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        private Tally[] _all = System.Array.Empty<Tally>();

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
            if (Vector256.IsHardwareAccelerated)
            {
                // Same operations as the scalar loop, eight values at a time: exact integer sums, an exact scaling
                // by a power of two, one rounding to float, then the multiplication by alpha.
                var scale = Vector256.Create(1.0 / Scale);
                var rate = Vector256.Create(alpha);
                for (; p + 8 <= stop; p += 8)
                {
                    var low = Vector256<long>.Zero;
                    var high = Vector256<long>.Zero;
                    foreach (var tally in tallies)
                    {
                        ref long values = ref tally.Values[p];
                        low += Vector256.LoadUnsafe(ref values);
                        high += Vector256.LoadUnsafe(ref values, 4);
                        Vector256<long>.Zero.StoreUnsafe(ref values);
                        Vector256<long>.Zero.StoreUnsafe(ref values, 4);
                    }
                    var step = Vector256.Narrow(Vector256.ConvertToDouble(low) * scale, Vector256.ConvertToDouble(high) * scale);
                    var moved = Vector256.LoadUnsafe(ref positions[p]) - rate * step;
                    moved.StoreUnsafe(ref positions[p]);
                    moved.StoreUnsafe(ref snapshot[p]);
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
}
