using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// When each edge fires during the layout, and how many negative samples it takes when it does. As in
    /// umap-learn, an edge of weight w fires once every max_w / w epochs (the strongest every epoch, never in
    /// epoch 0) and draws NegativeSampleRate negative samples per firing. Unlike umap-learn's running counters
    /// this is a pure function of (weight, epoch): the schedule needs no per-edge state, so the layout touches
    /// one float per edge per epoch and any thread can process any edge.
    /// </summary>
    internal readonly struct EdgeSampler
    {
        private readonly float[] _firingRate;
        private readonly double _negativeRate;

        /// <param name="firingRate">Per edge, w / max_w in (0, 1]: the fraction of epochs in which it fires.</param>
        /// <param name="negativeRate">Negative samples per firing (may be fractional).</param>
        public EdgeSampler(float[] firingRate, double negativeRate)
        {
            _firingRate = firingRate;
            _negativeRate = negativeRate;
        }

        /// <summary>
        /// 0 if <paramref name="edge"/> does not fire in <paramref name="epoch"/>; otherwise the 1-based count of
        /// its firings so far: the edge fires whenever ⌊epoch · rate⌋ steps up.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Firing(int edge, int epoch)
        {
            float rate = _firingRate[edge];
            int now = (int)(epoch * rate);
            return now > (int)((epoch - 1) * rate) && epoch > 0 ? now : 0;
        }

        /// <summary>Negative samples owed at the <paramref name="firing"/>-th firing: the rate's integer steps, so fractional rates average out.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int NegativeSamples(int firing) =>
            (int)Math.Floor(firing * _negativeRate) - (int)Math.Floor((firing - 1) * _negativeRate);
    }
}
