using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Graph;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// When each edge fires during the layout, and how many negative samples it takes when it does (umap-learn
    /// <c>make_epochs_per_sample</c> and the counters of its epoch loop). An edge of weight w fires once every max_w / w
    /// epochs (the strongest every epoch, never in epoch 0) and draws NegativeSampleRate negative samples per firing;
    /// edges too weak to fire even once in the whole run are pruned first (<see cref="Prune"/>). Unlike umap-learn's
    /// running counters the schedule is a pure function of (weight, epoch): it needs no per-edge state, so the layout
    /// touches one float per edge per epoch and any thread can process any edge.
    /// </summary>
    internal readonly struct EdgeSchedule
    {
        /// <summary>
        /// With this many epochs or fewer, umap-learn prunes by its default epoch count instead (a handful of epochs
        /// would otherwise drop nearly every edge).
        /// </summary>
        private const int FewestEpochsToPruneBy = 10;

        private readonly float[] _firingRate;
        private readonly double _negativeRate;

        /// <summary>The negative samples of every firing when the rate is a whole number (the usual case), else −1.</summary>
        private readonly int _wholeNegativeRate;

        /// <param name="firingRate">Per edge, w / max_w in (0, 1]: the fraction of epochs in which it fires (<see cref="FiringRates"/>).</param>
        /// <param name="negativeRate">Negative samples per firing (may be fractional).</param>
        public EdgeSchedule(float[] firingRate, double negativeRate)
        {
            _firingRate = firingRate;
            _negativeRate = negativeRate;
            _wholeNegativeRate = negativeRate == Math.Floor(negativeRate) && negativeRate <= int.MaxValue ? (int)negativeRate : -1;
            MostNegativeSamples = (int)Math.Ceiling(negativeRate);
        }

        /// <summary>The most negative samples one firing can owe.</summary>
        public int MostNegativeSamples { get; }

        /// <summary>
        /// Drops edges with weight below max / <paramref name="epochs"/> (umap-learn uses its default epoch
        /// count for this when few epochs are asked for). The graph stays symmetric.
        /// </summary>
        public static CsrMatrix Prune(CsrMatrix graph, int epochs, int defaultEpochs)
        {
            float threshold = Max(graph.Values) / (epochs > FewestEpochsToPruneBy ? epochs : defaultEpochs);
            var offsets = new int[graph.Rows + 1];
            int count = 0;
            foreach (float w in graph.Values)
            {
                if (w >= threshold)
                    count++;
            }
            var columns = new int[count];
            var values = new float[count];
            count = 0;
            for (int i = 0; i < graph.Rows; i++)
            {
                var cols = graph.RowColumns(i);
                var vals = graph.RowValues(i);
                for (int p = 0; p < cols.Length; p++)
                {
                    if (vals[p] >= threshold)
                    {
                        columns[count] = cols[p];
                        values[count] = vals[p];
                        count++;
                    }
                }
                offsets[i + 1] = count;
            }
            return new CsrMatrix(graph.Rows, graph.Columns, offsets, columns, values);
        }

        /// <summary>
        /// Per edge, the fraction of epochs in which it fires: w / max_w (umap-learn's epochs_per_sample is the
        /// inverse, max_w / w).
        /// </summary>
        public static float[] FiringRates(ReadOnlySpan<float> weights)
        {
            float max = Max(weights);
            var result = new float[weights.Length];
            for (int i = 0; i < weights.Length; i++)
                result[i] = weights[i] / max;
            return result;
        }

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

        /// <summary>Negative samples owed at the <paramref name="firing"/>-th firing: the rate's integer steps, so fractional rates average out.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int NegativeSamples(int firing) => _wholeNegativeRate >= 0
            ? _wholeNegativeRate
            : (int)Math.Floor(firing * _negativeRate) - (int)Math.Floor((firing - 1) * _negativeRate);

        /// <summary>Whether an edge of this rate fires in the epoch: when ⌊epoch · rate⌋ steps up.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Fires(float rate, int epoch) => (int)(epoch * rate) > (int)((epoch - 1) * rate);

        private static float Max(ReadOnlySpan<float> weights)
        {
            float max = 0f;
            foreach (float w in weights)
                max = Math.Max(max, w);
            return max;
        }
    }
}
