using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// The per-edge sampling schedule of the layout: when each edge next fires, and how many negative samples
    /// it owes when it does (umap-learn's <c>epoch_of_next_sample</c> / <c>epoch_of_next_negative_sample</c>).
    /// A view over arrays shared by all threads; each edge is only touched by the thread owning its head.
    /// </summary>
    internal readonly struct EdgeSampler
    {
        private readonly float[] _epochsPerSample;
        private readonly float[] _nextSample;
        private readonly float[] _nextNegative;
        private readonly float _negativeRate;

        public EdgeSampler(float[] epochsPerSample, float[] nextSample, float[] nextNegative, float negativeRate)
        {
            _epochsPerSample = epochsPerSample;
            _nextSample = nextSample;
            _nextNegative = nextNegative;
            _negativeRate = negativeRate;
        }

        /// <summary>True when <paramref name="edge"/> fires in <paramref name="epoch"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsDue(int edge, int epoch) => _nextSample[edge] <= epoch;

        /// <summary>Advances a fired edge's schedule and returns the number of negative samples it takes now.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int TakeNegativeSamples(int edge, int epoch)
        {
            float epochsPerSample = _epochsPerSample[edge];
            _nextSample[edge] += epochsPerSample;
            float epochsPerNegative = epochsPerSample / _negativeRate;
            int count = (int)((epoch - _nextNegative[edge]) / epochsPerNegative);
            if (count <= 0)
                return 0;
            _nextNegative[edge] += count * epochsPerNegative;
            return count;
        }
    }
}
