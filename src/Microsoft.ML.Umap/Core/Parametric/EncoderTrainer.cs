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
    /// Work is split into fixed chunks: of rows for the passes along rows (forward through every layer; the gradient back
    /// through every layer), and of one layer's input units for its weight gradient and the Adam update of those weights.
    /// Every value is computed whole inside one chunk by one thread, so a step gives the same bits whatever the thread
    /// count. A step hands work to the threads three times, not once per layer and operation, and to a team of threads
    /// kept for the training (<see cref="ChunkTeam"/>): at a few hundred microseconds a step, each hand-off counts.
    /// </remarks>
    internal sealed class EncoderTrainer : IDisposable
    {
        private const int RowsPerChunk = 32;
        private const int InputsPerChunk = 32;

        private readonly EncoderNetwork _network;
        private readonly VectorSet _data;
        private readonly float _inputScale;
        private readonly ChunkTeam _team;
        private readonly CancellationToken _cancellation;
        private readonly float[][] _activations;
        private readonly float[][] _weightGradients;
        private readonly float[][] _biasGradients;
        private readonly float[][] _transposedWeights;

        /// <summary>Per layer, the loss's gradient with respect to its outputs (before the activation's mask is applied below it).</summary>
        private readonly float[][] _deltas;

        /// <summary>The chunks of the gradients' pass: (layer, first input, end input), or (layer, −1, −1) for the layer's biases.</summary>
        private readonly (int Layer, int Start, int End)[] _gradientChunks;
        private readonly int[] _batchRows;
        private readonly Action<int> _forwardChunk;
        private readonly Action<int> _backwardChunk;
        private readonly Action<int> _gradientChunk;
        private AdamOptimizer _optimizer;

        // The batch in flight, for the chunks: its rows, and the Adam step to take with its gradients (NaN: none).
        private int _batchCount;
        private float _step;

        public EncoderTrainer(EncoderNetwork network, VectorSet data, float inputScale, int batchRows, int threads, CancellationToken cancellation)
        {
            _network = network;
            _data = data;
            _inputScale = inputScale;
            _team = new ChunkTeam(threads);
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
            _deltas = new float[layers][];
            var chunks = new System.Collections.Generic.List<(int, int, int)>();
            for (int l = 0; l < layers; l++)
            {
                _weightGradients[l] = new float[network.Weights[l].Length];
                _biasGradients[l] = new float[network.Biases[l].Length];
                _transposedWeights[l] = l == 0 ? Array.Empty<float>() : new float[network.Weights[l].Length];
                _deltas[l] = new float[checked(batchRows * sizes[l + 1])];
                for (int start = 0; start < sizes[l]; start += InputsPerChunk)
                    chunks.Add((l, start, Math.Min(sizes[l], start + InputsPerChunk)));
                chunks.Add((l, -1, -1));
            }
            _gradientChunks = chunks.ToArray();
            _batchRows = new int[batchRows];
            _forwardChunk = ForwardChunk;
            _backwardChunk = BackwardChunk;
            _gradientChunk = GradientChunk;
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
            rows.CopyTo(_batchRows);
            _batchCount = rows.Length;
            // The chunks past the rows' transpose the weights for the backward pass, which cannot change them before it.
            _team.Run(RowChunks(rows.Length) + _network.LayerCount - 1, _forwardChunk, _cancellation);
        }

        /// <summary>How many rows ahead of the one being loaded a batch's rows are fetched into the cache.</summary>
        private const int RowsFetchedAhead = 4;

        private static unsafe void FetchAhead(ReadOnlySpan<float> values)
        {
            const int FloatsPerLine = 16;
            fixed (float* first = values)
            {
                for (int at = 0; at < values.Length; at += FloatsPerLine)
                    Prefetch.ToNearestCache(first + at);
            }
        }

        private static int RowChunks(int rows) => (rows + RowsPerChunk - 1) / RowsPerChunk;

        /// <summary>
        /// Chunk <paramref name="chunk"/> of the batch's rows, loaded and run through every layer; or, past the rows' chunks,
        /// the transpose of one layer's weights (every layer's but the first) for <see cref="BackwardChunk"/>.
        /// </summary>
        private void ForwardChunk(int chunk)
        {
            int rowChunks = RowChunks(_batchCount);
            if (chunk >= rowChunks)
            {
                int l = chunk - rowChunks + 1;
                DenseKernels.Transpose(_network.Weights[l], _transposedWeights[l], _network.Sizes[l], _network.Sizes[l + 1]);
                return;
            }
            int start = chunk * RowsPerChunk, end = Math.Min(_batchCount, start + RowsPerChunk);
            int count = end - start, d = _network.InputCount;
            var input = _activations[0].AsSpan(start * d, count * d);
            for (int i = 0; i < count; i++)
            {
                // The batch's rows are random rows of the training set, mostly not in cache: ask for a later one's values
                // while this one is copied, or each copy waits for memory in turn.
                if (i + RowsFetchedAhead < count)
                    FetchAhead(_data[_batchRows[start + i + RowsFetchedAhead]].Values);
                var row = input.Slice(i * d, d);
                _data[_batchRows[start + i]].CopyTo(row);
                for (int k = 0; k < row.Length; k++)
                    row[k] *= _inputScale;
            }
            var sizes = _network.Sizes;
            for (int l = 0; l < _network.LayerCount; l++)
            {
                int inputs = sizes[l], outputs = sizes[l + 1];
                var activation = l == _network.LayerCount - 1 ? LayerActivation.Linear : LayerActivation.Relu;
                DenseKernels.Affine(
                    _activations[l].AsSpan(start * inputs, count * inputs), _network.Weights[l], _network.Biases[l],
                    _activations[l + 1].AsSpan(start * outputs, count * outputs), count, inputs, outputs, activation);
            }
        }

        /// <summary>
        /// Backpropagates <paramref name="outputGradient"/> (the loss's gradient with respect to the outputs of the batch
        /// last run forward, rows × outputs) and takes one Adam step of size <paramref name="learningRate"/>.
        /// </summary>
        public void BackwardAndStep(int rows, ReadOnlySpan<float> outputGradient, double learningRate) =>
            BackwardPasses(rows, outputGradient, _optimizer.BeginStep(learningRate));

        /// <summary>The gradient of the loss with respect to layer <paramref name="layer"/>'s weights, from the last <see cref="Backward"/>.</summary>
        public ReadOnlySpan<float> WeightGradient(int layer) => _weightGradients[layer];

        /// <summary>The gradient of the loss with respect to layer <paramref name="layer"/>'s biases, from the last <see cref="Backward"/>.</summary>
        public ReadOnlySpan<float> BiasGradient(int layer) => _biasGradients[layer];

        /// <summary>The gradients of every weight and bias for <paramref name="outputGradient"/> (see <see cref="BackwardAndStep"/>).</summary>
        public void Backward(int rows, ReadOnlySpan<float> outputGradient) => BackwardPasses(rows, outputGradient, float.NaN);

        /// <summary>
        /// Two passes: the gradient back through the layers, row by row; then each layer's weight and bias gradients, and
        /// with a <paramref name="step"/> size (not NaN) Adam's update of the parameters each chunk has just completed.
        /// </summary>
        private void BackwardPasses(int rows, ReadOnlySpan<float> outputGradient, float step)
        {
            int layers = _network.LayerCount;
            if (rows > _batchCount)
                throw new ArgumentException($"The last batch run forward had {_batchCount} rows.", nameof(rows));
            outputGradient.Slice(0, rows * _network.OutputCount).CopyTo(_deltas[layers - 1]);
            _batchCount = rows;
            _step = step;
            _team.Run(RowChunks(rows), _backwardChunk, _cancellation);
            _team.Run(_gradientChunks.Length, _gradientChunk, _cancellation);
        }

        /// <summary>The gradient with respect to every hidden layer's outputs, for chunk <paramref name="chunk"/> of the batch's rows.</summary>
        private void BackwardChunk(int chunk)
        {
            var sizes = _network.Sizes;
            int start = chunk * RowsPerChunk, end = Math.Min(_batchCount, start + RowsPerChunk);
            int count = end - start;
            for (int l = _network.LayerCount - 1; l > 0; l--)
            {
                int inputs = sizes[l], outputs = sizes[l + 1];
                DenseKernels.Affine(
                    _deltas[l].AsSpan(start * outputs, count * outputs), _transposedWeights[l], default,
                    _deltas[l - 1].AsSpan(start * inputs, count * inputs), count, outputs, inputs, LayerActivation.MaskByPositive,
                    _activations[l].AsSpan(start * inputs, count * inputs));
            }
        }

        /// <summary>One chunk of the gradients' pass (<see cref="_gradientChunks"/>), and its parameters' Adam update when a step is due.</summary>
        private void GradientChunk(int chunk)
        {
            var (layer, start, end) = _gradientChunks[chunk];
            int rows = _batchCount, inputs = _network.Sizes[layer], outputs = _network.Sizes[layer + 1];
            if (start < 0)
            {
                DenseKernels.ColumnSums(_deltas[layer], _biasGradients[layer], rows, outputs);
                if (!float.IsNaN(_step))
                    _optimizer.Update(2 * layer + 1, _network.Biases[layer], _biasGradients[layer], _step, 0, outputs);
                return;
            }
            DenseKernels.WeightGradient(_activations[layer], _deltas[layer], _weightGradients[layer], rows, inputs, outputs, start, end);
            if (!float.IsNaN(_step))
                _optimizer.Update(2 * layer, _network.Weights[layer], _weightGradients[layer], _step, start * outputs, end * outputs);
        }

        /// <summary>Ends the team of threads the training ran on.</summary>
        public void Dispose() => _team.Dispose();

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
