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

        /// <summary>The negative samples of every firing when the rate is a whole number (the usual case), else −1.</summary>
        private readonly int _wholeNegativeRate;

        /// <param name="firingRate">Per edge, w / max_w in (0, 1]: the fraction of epochs in which it fires.</param>
        /// <param name="negativeRate">Negative samples per firing (may be fractional).</param>
        public EdgeSampler(float[] firingRate, double negativeRate)
        {
            _firingRate = firingRate;
            _negativeRate = negativeRate;
            _wholeNegativeRate = negativeRate == Math.Floor(negativeRate) && negativeRate <= int.MaxValue ? (int)negativeRate : -1;
            MostNegativeSamples = (int)Math.Ceiling(negativeRate);
        }

        /// <summary>The most negative samples one firing can owe.</summary>
        public int MostNegativeSamples { get; }

        /// <summary>
        /// 0 if <paramref name="edge"/> does not fire in <paramref name="epoch"/>; otherwise the 1-based count of
        /// its firings so far: the edge fires whenever ⌊epoch · rate⌋ steps up.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Firing(int edge, int epoch)
        {
            float rate = _firingRate[edge];
            return Fires(rate, epoch) && epoch > 0 ? (int)(epoch * rate) : 0;
        }

        /// <summary>
        /// Writes the positions (from 0) of the edges among the <paramref name="due"/>.Length edges from
        /// <paramref name="firstEdge"/> on that fire in <paramref name="epoch"/> to the start of <paramref name="due"/>,
        /// in order, and returns their number. Branch-free: whether an edge fires is a coin toss no processor predicts.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int DueEdges(int firstEdge, int epoch, Span<int> due)
        {
            if (epoch == 0)
                return 0;
            var rates = new ReadOnlySpan<float>(_firingRate, firstEdge, due.Length);
            int count = 0;
            for (int e = 0; e < rates.Length; e++)
            {
                due[count] = e;
                count += Fires(rates[e], epoch) ? 1 : 0;
            }
            return count;
        }

        /// <summary>Whether an edge of this rate fires in the epoch: when ⌊epoch · rate⌋ steps up.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Fires(float rate, int epoch) => (int)(epoch * rate) > (int)((epoch - 1) * rate);

        /// <summary>Negative samples owed at the <paramref name="firing"/>-th firing: the rate's integer steps, so fractional rates average out.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int NegativeSamples(int firing) => _wholeNegativeRate >= 0
            ? _wholeNegativeRate
            : (int)Math.Floor(firing * _negativeRate) - (int)Math.Floor((firing - 1) * _negativeRate);
    }
}
