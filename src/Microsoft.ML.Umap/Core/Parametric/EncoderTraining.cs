using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// The ways an encoder learns: regression onto an embedding already computed, and the UMAP objective on the fuzzy
    /// graph (ParametricUMAP's), alone or anchored to an embedding. All run mini-batches through an <see cref="EncoderTrainer"/> with Adam, the learning
    /// rate decaying linearly to 0 over the phase, every random draw taken from the seed and the batch's number.
    /// </summary>
    internal static class EncoderTraining
    {
        private const ulong RegressionStream = 0x7265677265737331UL;
        private const ulong ObjectiveStream = 0x6F626A6563746976UL;

        /// <summary>
        /// Trains the network to map each training row to its row of <paramref name="targets"/> (mean squared error), for
        /// <paramref name="epochs"/> passes over the rows in a fresh random order each. The targets are centred and
        /// scaled to unit root mean square for training, and the last layer takes that scaling back at the end, so the
        /// network's outputs are in the targets' units.
        /// </summary>
        public static void Regress(EncoderTrainer trainer, RowMatrix targets, int epochs, int batchSize, double learningRate, ulong seed, Action<long, long> progress)
        {
            int n = targets.Rows, c = targets.Columns;
            var (mean, scale) = Standardization(targets);
            var standardized = new float[targets.Values.Length];
            for (int i = 0; i < standardized.Length; i++)
                standardized[i] = (targets.Values[i] - mean[i % c]) / scale;
            var order = new int[n];
            var gradient = new float[batchSize * c];
            int batches = (n + batchSize - 1) / batchSize;
            long steps = (long)epochs * batches, step = 0;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                Shuffle(order, FastRandom.ForStream(seed, RegressionStream, (ulong)epoch));
                for (int start = 0; start < n; start += batchSize)
                {
                    int rows = Math.Min(batchSize, n - start);
                    var batch = order.AsSpan(start, rows);
                    trainer.Forward(batch);
                    var outputs = trainer.Outputs(rows);
                    float perRow = 1f / rows;
                    for (int r = 0; r < rows; r++)
                    {
                        for (int j = 0; j < c; j++)
                            gradient[r * c + j] = (outputs[r * c + j] - standardized[batch[r] * c + j]) * perRow;
                    }
                    trainer.BackwardAndStep(rows, gradient, Decayed(learningRate, step++, steps));
                }
                progress(epoch + 1, epochs);
            }
            Unstandardize(trainer.Network, mean, scale);
        }

        /// <summary>
        /// Trains the network on the UMAP objective: per epoch, as many edges as there are rows, drawn with probability
        /// proportional to their weight; each edge attracts its two ends' embeddings, and each of its
        /// <paramref name="negativeSampleRate"/> negative samples (another edge's tail in the same batch) repels its
        /// head, with the cross-entropy gradients of the layout (<see cref="UmapGradient"/>, clipped as there) sent back
        /// through both ends. With an <paramref name="anchor"/> (an embedding of the training rows), every row of a batch is
        /// also pulled towards its row of it, the gradient of <see cref="AnchorWeight"/> / 2 times the squared distance
        /// per row, so the network keeps the embedding's arrangement of clusters while the objective shapes the
        /// neighbourhoods.
        /// </summary>
        public static void OptimizeObjective(EncoderTrainer trainer, CsrMatrix graph, UmapGradient curve, int negativeSampleRate, int epochs, int batchSize, double learningRate, ulong seed, Action<long, long> progress, RowMatrix? anchor = null, float anchorWeight = AnchorWeight, float? finalAnchorWeight = null)
        {
            int n = graph.Rows, c = trainer.Network.OutputCount;
            if (graph.Values.Length == 0 || epochs == 0)
            {
                progress(epochs, epochs);
                return;
            }
            var sampler = new WeightedEntrySampler(graph.Values);
            var heads = RowOfEachEntry(graph);
            int edgesPerBatch = Math.Max(1, batchSize / 2);
            var rows = new int[2 * edgesPerBatch];
            var gradient = new float[2 * edgesPerBatch * c];
            Span<float> difference = c <= 64 ? stackalloc float[c] : new float[c];
            int batches = (n + edgesPerBatch - 1) / edgesPerBatch;
            long steps = (long)epochs * batches, step = 0;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                for (int b = 0; b < batches; b++)
                {
                    var random = FastRandom.ForStream(seed, ObjectiveStream, (ulong)step);
                    int edges = Math.Min(edgesPerBatch, n - b * edgesPerBatch);
                    for (int e = 0; e < edges; e++)
                    {
                        int entry = sampler.Sample(random.NextDouble());
                        rows[e] = heads[entry];
                        rows[edges + e] = graph.ColumnIndices[entry];
                    }
                    trainer.Forward(rows.AsSpan(0, 2 * edges));
                    var y = trainer.Outputs(2 * edges);
                    var g = gradient.AsSpan(0, 2 * edges * c);
                    g.Clear();
                    for (int e = 0; e < edges; e++)
                    {
                        Pull(y, g, e, edges + e, c, difference, curve, attract: true);
                        for (int s = 0; s < negativeSampleRate; s++)
                            Pull(y, g, e, edges + random.NextInt(edges), c, difference, curve, attract: false);
                    }
                    float perEdge = 1f / edges;
                    for (int i = 0; i < g.Length; i++)
                        g[i] *= perEdge;
                    if (anchor is not null)
                    {
                        float weight = finalAnchorWeight is float final ? (float)(anchorWeight + (final - anchorWeight) * ((double)step / steps)) : anchorWeight;
                        PullToAnchor(y, g, rows.AsSpan(0, 2 * edges), anchor, weight / (2 * edges));
                    }
                    trainer.BackwardAndStep(2 * edges, g, Decayed(learningRate, step++, steps));
                }
                progress(epoch + 1, epochs);
            }
        }

        /// <summary>
        /// Adds the loss's gradient for the pair (<paramref name="head"/>, <paramref name="other"/>) to both rows of
        /// <paramref name="gradient"/>: the layout's clipped step, negated (the layout moves points down the gradient).
        /// </summary>
        private static void Pull(ReadOnlySpan<float> y, Span<float> gradient, int head, int other, int c, Span<float> difference, UmapGradient curve, bool attract)
        {
            float d2 = 0;
            for (int j = 0; j < c; j++)
            {
                difference[j] = y[head * c + j] - y[other * c + j];
                d2 += difference[j] * difference[j];
            }
            if (!(d2 > 0f))
                return; // coincident: no direction to push along, and the same point as itself for a negative sample
            float coefficient = attract ? curve.Attraction(d2) : curve.Repulsion(d2);
            for (int j = 0; j < c; j++)
            {
                float move = UmapGradient.ClipComponent(coefficient * difference[j]);
                gradient[head * c + j] -= move;
                gradient[other * c + j] += move;
            }
        }

        /// <summary>
        /// The anchor's weight against the objective, in the embedding's units: a smaller one kept fewer test digits'
        /// classes apart on MNIST, a larger one kept fewer of their neighbourhoods (docs/measurements.md).
        /// </summary>
        public const float AnchorWeight = 0.3f;

        /// <summary>Adds <paramref name="weight"/> × (output − anchor row) to each batch row's gradient.</summary>
        private static void PullToAnchor(ReadOnlySpan<float> y, Span<float> gradient, ReadOnlySpan<int> rows, RowMatrix anchor, float weight)
        {
            int c = anchor.Columns;
            for (int r = 0; r < rows.Length; r++)
            {
                var target = anchor.ReadOnlyRow(rows[r]);
                for (int j = 0; j < c; j++)
                    gradient[r * c + j] += weight * (y[r * c + j] - target[j]);
            }
        }

        /// <summary>The learning rate after <paramref name="step"/> of <paramref name="steps"/> steps, decayed linearly towards 0.</summary>
        private static double Decayed(double learningRate, long step, long steps) => learningRate * (1.0 - (double)step / steps);

        /// <summary>Fisher–Yates over 0 … n − 1.</summary>
        private static void Shuffle(int[] order, FastRandom random)
        {
            for (int i = 0; i < order.Length; i++)
                order[i] = i;
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        /// <summary>Per component the mean, and one scale for all: the root mean square of the centred values (1 if 0).</summary>
        private static (float[] Mean, float Scale) Standardization(RowMatrix targets)
        {
            int n = targets.Rows, c = targets.Columns;
            var mean = new double[c];
            for (int i = 0; i < n; i++)
            {
                var row = targets.ReadOnlyRow(i);
                for (int j = 0; j < c; j++)
                    mean[j] += row[j];
            }
            for (int j = 0; j < c; j++)
                mean[j] /= n;
            double squares = 0;
            for (int i = 0; i < n; i++)
            {
                var row = targets.ReadOnlyRow(i);
                for (int j = 0; j < c; j++)
                    squares += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
            double rms = Math.Sqrt(squares / ((double)n * c));
            var floatMean = new float[c];
            for (int j = 0; j < c; j++)
                floatMean[j] = (float)mean[j];
            return (floatMean, rms > 0 && double.IsFinite(rms) ? (float)rms : 1f);
        }

        /// <summary>Makes the last layer output scale × y + mean instead of y.</summary>
        private static void Unstandardize(EncoderNetwork network, float[] mean, float scale)
        {
            int last = network.LayerCount - 1;
            var weights = network.Weights[last];
            for (int i = 0; i < weights.Length; i++)
                weights[i] *= scale;
            var biases = network.Biases[last];
            for (int j = 0; j < biases.Length; j++)
                biases[j] = biases[j] * scale + mean[j];
        }

        private static int[] RowOfEachEntry(CsrMatrix graph)
        {
            var rows = new int[graph.Values.Length];
            for (int i = 0; i < graph.Rows; i++)
            {
                for (int p = graph.RowOffsets[i]; p < graph.RowOffsets[i + 1]; p++)
                    rows[p] = i;
            }
            return rows;
        }
    }
}
