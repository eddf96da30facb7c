using System;
using System.Threading;
using Microsoft.ML.Umap.Core.Initialization;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// The training rows' top principal components, as an affine map z = x·P + c from a row x (d values) to its centred
    /// scores z (p values): P holds the principal directions (d × p, row-major, as a layer's weights) and c = −μ·P. The
    /// encoder trains on the scores, whose first layer then costs p instead of d products per unit, and
    /// <see cref="Fold"/> composes the map into that layer afterwards, so the network the model keeps takes the rows
    /// as they are: a plain MLP on the raw feature vector.
    /// </summary>
    internal sealed class InputProjection
    {
        /// <summary>Rows the principal directions are estimated from at most (evenly spaced through the training rows): more changed little and cost time.</summary>
        public const int MaximumSampleRows = 10_000;

        private const int RowsPerChunk = 64;

        public InputProjection(int inputs, int components, float[] weights, float[] bias)
        {
            if (inputs < 1 || components < 1 || weights.Length != (long)inputs * components || bias.Length != components)
                throw new ArgumentException("The projection's weights and bias do not match its sizes.");
            InputCount = inputs;
            ComponentCount = components;
            Weights = weights;
            Bias = bias;
        }

        public int InputCount { get; }

        public int ComponentCount { get; }

        /// <summary>P, InputCount × ComponentCount, row-major.</summary>
        public float[] Weights { get; }

        /// <summary>c = −μ·P.</summary>
        public float[] Bias { get; }

        /// <summary>
        /// The top <paramref name="components"/> principal components of <paramref name="data"/> (at most
        /// <see cref="MaximumSampleRows"/> of its rows, evenly spaced), from <paramref name="seed"/>; the same for a seed
        /// whatever <paramref name="threads"/>.
        /// </summary>
        public static InputProjection Compute(VectorSet data, int components, ulong seed, int threads)
        {
            int d = data.Dimension;
            if (components < 1 || components > d)
                throw new ArgumentOutOfRangeException(nameof(components), components, $"must be between 1 and the {d} input columns");
            var sample = data;
            if (data.Count > MaximumSampleRows)
            {
                var rows = new int[MaximumSampleRows];
                for (int i = 0; i < rows.Length; i++)
                    rows[i] = (int)((long)i * data.Count / rows.Length);
                sample = data.Subset(rows);
            }
            var (mean, directions) = PcaInitializer.PrincipalDirections(sample, components, seed, threads);
            var weights = new float[checked(d * components)];
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (float)directions[i];
            var bias = new float[components];
            for (int c = 0; c < components; c++)
            {
                double sum = 0;
                for (int j = 0; j < d; j++)
                    sum += mean[j] * weights[j * components + c];
                bias[c] = (float)-sum;
            }
            return new InputProjection(d, components, weights, bias);
        }

        /// <summary>The scores of every row of <paramref name="data"/>, dense (rows × <see cref="ComponentCount"/>).</summary>
        public DenseVectorSet Project(VectorSet data, int threads, CancellationToken cancellation)
        {
            if (data.Dimension != InputCount)
                throw new ArgumentException("The rows do not have the projection's input width.", nameof(data));
            int d = InputCount, p = ComponentCount;
            var result = new RowMatrix(data.Count, p);
            ParallelRange.For(data.Count, RowsPerChunk, threads, () => new float[RowsPerChunk * d], (start, end, rows) =>
            {
                int count = end - start;
                for (int i = 0; i < count; i++)
                    data[start + i].CopyTo(rows.AsSpan(i * d, d));
                DenseKernels.Affine(rows, Weights, Bias, result.Values.AsSpan(start * p, count * p), count, d, p, LayerActivation.Linear);
            }, static _ => { }, cancellation);
            return new DenseVectorSet(result);
        }

        /// <summary>
        /// A network on the raw rows that computes what <paramref name="network"/> computes on their scores: its first
        /// layer (W, b) becomes (P·W, c·W + b), the products in double and rounded once; the other layers are shared.
        /// </summary>
        public EncoderNetwork Fold(EncoderNetwork network)
        {
            if (network.InputCount != ComponentCount)
                throw new ArgumentException("The network does not take this projection's scores.", nameof(network));
            int d = InputCount, p = ComponentCount, h = network.Sizes[1];
            var first = network.Weights[0];
            var weights = new float[checked(d * h)];
            var sums = new double[h];
            for (int k = 0; k < d; k++)
            {
                Array.Clear(sums);
                for (int c = 0; c < p; c++)
                {
                    double coefficient = Weights[k * p + c];
                    if (coefficient == 0)
                        continue;
                    for (int j = 0; j < h; j++)
                        sums[j] += coefficient * first[c * h + j];
                }
                for (int j = 0; j < h; j++)
                    weights[k * h + j] = (float)sums[j];
            }
            var bias = new float[h];
            for (int j = 0; j < h; j++)
            {
                double sum = network.Biases[0][j];
                for (int c = 0; c < p; c++)
                    sum += (double)Bias[c] * first[c * h + j];
                bias[j] = (float)sum;
            }
            var sizes = (int[])network.Sizes.Clone();
            sizes[0] = d;
            var allWeights = (float[][])network.Weights.Clone();
            var allBiases = (float[][])network.Biases.Clone();
            allWeights[0] = weights;
            allBiases[0] = bias;
            return new EncoderNetwork(sizes, allWeights, allBiases);
        }
    }
}
