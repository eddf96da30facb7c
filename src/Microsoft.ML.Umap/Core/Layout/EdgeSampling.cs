using System;
using Microsoft.ML.Umap.Core.Graph;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// How often each edge is sampled during layout (umap-learn <c>make_epochs_per_sample</c>): an edge of
    /// weight w fires every max_w / w epochs, so the strongest edges fire every epoch; edges too weak to fire
    /// even once in the whole run are pruned first. <see cref="EdgeSampler"/> turns the rates into a schedule.
    /// </summary>
    internal static class EdgeSampling
    {
        /// <summary>
        /// With this many epochs or fewer, umap-learn prunes by its default epoch count instead (a handful of epochs
        /// would otherwise drop nearly every edge).
        /// </summary>
        private const int FewestEpochsToPruneBy = 10;

        /// <summary>
        /// Drops edges with weight below max / <paramref name="epochs"/> (umap-learn uses its default epoch
        /// count for this when few epochs are asked for). The graph stays symmetric.
        /// </summary>
        public static CsrMatrix Prune(CsrMatrix graph, int epochs, int defaultEpochs)
        {
            float max = MaxWeight(graph);
            float threshold = max / (epochs > FewestEpochsToPruneBy ? epochs : defaultEpochs);
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
            float max = 0f;
            foreach (float w in weights)
                max = Math.Max(max, w);
            var result = new float[weights.Length];
            for (int i = 0; i < weights.Length; i++)
                result[i] = weights[i] / max;
            return result;
        }

        /// <summary>The largest weight of the graph.</summary>
        public static float MaxWeight(CsrMatrix graph)
        {
            float max = 0f;
            foreach (float w in graph.Values)
                max = Math.Max(max, w);
            return max;
        }
    }
}
