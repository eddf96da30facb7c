using System;
using System.Threading;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// Backpropagation and Adam for an <see cref="EncoderNetwork"/> on batches of training rows: load a batch, run it
    /// forward (keeping every layer's activations), hand back the gradient of the loss with respect to the outputs, and
    /// step. The rows are multiplied by a fixed input scale as they are loaded, so the network trains on inputs of about
    /// unit size whatever the data's units; <see cref="FoldInputScale"/> moves the scale into the first layer at the end.
    /// </summary>
    /// <remarks>
    /// Work is split into fixed chunks (of rows for the products along rows, of input units for the weight gradients, of
    /// parameters for Adam). Every value is computed whole inside one chunk by one thread, so a step gives the same bits
    /// whatever the thread count.
    /// </remarks>
    internal sealed class EncoderTrainer
    {
        private const int RowsPerChunk = 32;
        private const int InputsPerChunk = 32;
        private const int ParametersPerChunk = 16_384;

        private readonly EncoderNetwork _network;
        private readonly VectorSet _data;
        private readonly float _inputScale;
        private readonly int _threads;
        private readonly CancellationToken _cancellation;
        private readonly float[][] _activations;
        private readonly float[][] _weightGradients;
        private readonly float[][] _biasGradients;
        private readonly float[][] _transposedWeights;
        private float[] _delta;
        private float[] _previousDelta;
        private AdamOptimizer _optimizer;

        public EncoderTrainer(EncoderNetwork network, VectorSet data, float inputScale, int batchRows, int threads, CancellationToken cancellation)
        {
            _network = network;
            _data = data;
            _inputScale = inputScale;
            _threads = threads;
            _cancellation = cancellation;
            Capacity = batchRows;
            var sizes = network.Sizes;
            int layers = network.LayerCount;
            _activations = new float[layers + 1][];
            for (int l = 0; l <= layers; l++)
                _activations[l] = new float[checked(batchRows * sizes[l])];
            _weightGradients = new float[layers][];
            _biasGradients = new float[layers][];
            _transposedWeights = new float[layers][];
            for (int l = 0; l < layers; l++)
            {
                _weightGradients[l] = new float[network.Weights[l].Length];
                _biasGradients[l] = new float[network.Biases[l].Length];
                _transposedWeights[l] = l == 0 ? Array.Empty<float>() : new float[network.Weights[l].Length];
            }
            _delta = new float[batchRows * network.WidestLayer];
            _previousDelta = new float[batchRows * network.WidestLayer];
            _optimizer = NewOptimizer();
        }

        /// <summary>Most rows a batch may hold.</summary>
        public int Capacity { get; }

        public EncoderNetwork Network => _network;

        /// <summary>The outputs of the batch last run forward (rows × outputs).</summary>
        public ReadOnlySpan<float> Outputs(int rows) => _activations[^1].AsSpan(0, rows * _network.OutputCount);

        /// <summary>Forgets Adam's running moments, for a new phase of training whose gradients differ in scale.</summary>
        public void ResetOptimizer() => _optimizer = NewOptimizer();

        private AdamOptimizer NewOptimizer()
        {
            var sizes = new int[2 * _network.LayerCount];
            for (int l = 0; l < _network.LayerCount; l++)
            {
                sizes[2 * l] = _network.Weights[l].Length;
                sizes[2 * l + 1] = _network.Biases[l].Length;
            }
            return new AdamOptimizer(sizes);
        }

        /// <summary>Loads the training rows <paramref name="rows"/>, scaled, as the batch's inputs, and runs them forward.</summary>
        public void Forward(ReadOnlySpan<int> rows)
        {
            if (rows.Length > Capacity)
                throw new ArgumentException($"A batch holds at most {Capacity} rows.", nameof(rows));
            int count = rows.Length, d = _network.InputCount;
            var indices = rows.ToArray();
            var input = _activations[0];
            float scale = _inputScale;
            ParallelRange.For(count, RowsPerChunk, _threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = input.AsSpan(i * d, d);
                    _data[indices[i]].CopyTo(row);
                    for (int k = 0; k < row.Length; k++)
                        row[k] *= scale;
                }
            }, _cancellation);

            var sizes = _network.Sizes;
            for (int l = 0; l < _network.LayerCount; l++)
            {
                int layer = l, inputs = sizes[l], outputs = sizes[l + 1];
                var activation = l == _network.LayerCount - 1 ? LayerActivation.Linear : LayerActivation.Relu;
                ParallelRange.For(count, RowsPerChunk, _threads, (start, end) =>
                    DenseKernels.Affine(
                        _activations[layer].AsSpan(start * inputs, (end - start) * inputs), _network.Weights[layer], _network.Biases[layer],
                        _activations[layer + 1].AsSpan(start * outputs, (end - start) * outputs), end - start, inputs, outputs, activation),
                    _cancellation);
            }
        }

        /// <summary>
        /// Backpropagates <paramref name="outputGradient"/> (the loss's gradient with respect to the outputs of the batch
        /// last run forward, rows × outputs) and takes one Adam step of size <paramref name="learningRate"/>.
        /// </summary>
        public void BackwardAndStep(int rows, ReadOnlySpan<float> outputGradient, double learningRate)
        {
            Backward(rows, outputGradient);
            float step = _optimizer.BeginStep(learningRate);
            for (int l = 0; l < _network.LayerCount; l++)
            {
                Update(2 * l, _network.Weights[l], _weightGradients[l], step);
                Update(2 * l + 1, _network.Biases[l], _biasGradients[l], step);
            }
        }

        /// <summary>The gradient of the loss with respect to layer <paramref name="layer"/>'s weights, from the last <see cref="Backward"/>.</summary>
        public ReadOnlySpan<float> WeightGradient(int layer) => _weightGradients[layer];

        /// <summary>The gradient of the loss with respect to layer <paramref name="layer"/>'s biases, from the last <see cref="Backward"/>.</summary>
        public ReadOnlySpan<float> BiasGradient(int layer) => _biasGradients[layer];

        /// <summary>The gradients of every weight and bias for <paramref name="outputGradient"/> (see <see cref="BackwardAndStep"/>).</summary>
        public void Backward(int rows, ReadOnlySpan<float> outputGradient)
        {
            var sizes = _network.Sizes;
            outputGradient.Slice(0, rows * _network.OutputCount).CopyTo(_delta);
            for (int l = _network.LayerCount - 1; l >= 0; l--)
            {
                int layer = l, inputs = sizes[l], outputs = sizes[l + 1];
                var delta = _delta;
                ParallelRange.For(inputs, InputsPerChunk, _threads, (start, end) =>
                    DenseKernels.WeightGradient(_activations[layer], delta, _weightGradients[layer], rows, inputs, outputs, start, end), _cancellation);
                DenseKernels.ColumnSums(delta, _biasGradients[layer], rows, outputs);
                if (l == 0)
                    break;
                DenseKernels.Transpose(_network.Weights[l], _transposedWeights[l], inputs, outputs);
                var previous = _previousDelta;
                ParallelRange.For(rows, RowsPerChunk, _threads, (start, end) =>
                    DenseKernels.Affine(
                        delta.AsSpan(start * outputs, (end - start) * outputs), _transposedWeights[layer], default,
                        previous.AsSpan(start * inputs, (end - start) * inputs), end - start, outputs, inputs, LayerActivation.MaskByPositive,
                        _activations[layer].AsSpan(start * inputs, (end - start) * inputs)),
                    _cancellation);
                (_delta, _previousDelta) = (_previousDelta, _delta);
            }
        }

        private void Update(int index, float[] parameters, float[] gradient, float step) =>
            ParallelRange.For(parameters.Length, ParametersPerChunk, _threads, (start, end) =>
                _optimizer.Update(index, parameters, gradient, step, start, end), _cancellation);

        /// <summary>Multiplies the first layer's weights by the input scale, so the network takes the rows as they are.</summary>
        /// <exception cref="InvalidOperationException">A weight or bias is not finite: the training diverged.</exception>
        public void FoldInputScale()
        {
            var first = _network.Weights[0];
            for (int i = 0; i < first.Length; i++)
                first[i] *= _inputScale;
            for (int l = 0; l < _network.LayerCount; l++)
            {
                if (!IsFinite(_network.Weights[l]) || !IsFinite(_network.Biases[l]))
                    throw new InvalidOperationException($"Training the encoder diverged: layer {l} has weights that are not finite. Lower Parametric.LearningRate, or scale the features.");
            }

            static bool IsFinite(float[] values)
            {
                foreach (float v in values)
                {
                    if (!float.IsFinite(v))
                        return false;
                }
                return true;
            }
        }

        /// <summary>
        /// Largest input scale: folded into the first layer, a larger one could overflow its weights. Rows whose values
        /// are all below about 1e-20 reach the network smaller than unit size, and the network learns a nearly constant map.
        /// </summary>
        public const double MaximumInputScale = 1e20;

        /// <summary>
        /// A scale that brings the rows' values to a root mean square of about 1 (1 / the root mean square of every
        /// value, zeros included), so the initial weights suit them; 1 for rows that are all zero; at most
        /// <see cref="MaximumInputScale"/>.
        /// </summary>
        public static float InputScale(VectorSet data)
        {
            double sum = 0;
            for (int i = 0; i < data.Count; i++)
            {
                double row = 0;
                foreach (float v in data[i].Values)
                    row += (double)v * v;
                sum += row;
            }
            double meanSquare = sum / ((double)data.Count * data.Dimension);
            return meanSquare > 0 && double.IsFinite(meanSquare) ? (float)Math.Min(1 / Math.Sqrt(meanSquare), MaximumInputScale) : 1f;
        }
    }
}
