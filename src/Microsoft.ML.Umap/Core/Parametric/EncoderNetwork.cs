using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// The encoder of parametric UMAP: a multilayer perceptron from a feature vector to its embedding, dense layers with
    /// ReLU between them and none after the last. Layer l maps <c>Sizes[l]</c> values to <c>Sizes[l + 1]</c> through
    /// <c>Weights[l]</c> (Sizes[l] × Sizes[l + 1], row-major: row k holds input k's weights to every output) and
    /// <c>Biases[l]</c>. Running it is a pure function of a row: a row's embedding never depends on the other rows
    /// computed with it.
    /// </summary>
    internal sealed class EncoderNetwork
    {
        /// <summary>Rows pushed through the layers together when a whole set of rows is embedded.</summary>
        private const int RowsPerChunk = 64;

        public EncoderNetwork(int[] sizes, float[][] weights, float[][] biases)
        {
            if (sizes.Length < 2 || weights.Length != sizes.Length - 1 || biases.Length != sizes.Length - 1)
                throw new ArgumentException("An encoder needs one weight matrix and one bias vector per layer.");
            for (int l = 0; l < weights.Length; l++)
            {
                if (sizes[l] < 1 || sizes[l + 1] < 1 || weights[l].Length != (long)sizes[l] * sizes[l + 1] || biases[l].Length != sizes[l + 1])
                    throw new ArgumentException($"Layer {l} of the encoder does not match its sizes.");
            }
            Sizes = sizes;
            Weights = weights;
            Biases = biases;
            int widest = 0;
            for (int l = 1; l < sizes.Length; l++)
                widest = Math.Max(widest, sizes[l]);
            WidestLayer = widest;
        }

        /// <summary>Input width, then each layer's output width; the last is the embedding's dimension.</summary>
        public int[] Sizes { get; }

        public float[][] Weights { get; }

        public float[][] Biases { get; }

        public int LayerCount => Weights.Length;

        public int InputCount => Sizes[0];

        public int OutputCount => Sizes[^1];

        /// <summary>The largest output width of any layer (scratch size per row).</summary>
        public int WidestLayer { get; }

        /// <summary>Weights and biases together.</summary>
        public long ParameterCount
        {
            get
            {
                long count = 0;
                for (int l = 0; l < LayerCount; l++)
                    count += Weights[l].Length + Biases[l].Length;
                return count;
            }
        }

        /// <summary>
        /// A network of the given sizes with He-uniform weights (uniform within ±√(6 / inputs), what ReLU layers need to
        /// keep their activations' scale) and zero biases, drawn from <paramref name="seed"/>.
        /// </summary>
        public static EncoderNetwork Initialize(int[] sizes, ulong seed)
        {
            var weights = new float[sizes.Length - 1][];
            var biases = new float[sizes.Length - 1][];
            for (int l = 0; l < weights.Length; l++)
            {
                var random = FastRandom.ForStream(seed, 0x656E636F646572UL, (ulong)l);
                float limit = (float)Math.Sqrt(6.0 / sizes[l]);
                weights[l] = new float[checked(sizes[l] * sizes[l + 1])];
                for (int i = 0; i < weights[l].Length; i++)
                    weights[l][i] = (2f * random.NextFloat() - 1f) * limit;
                biases[l] = new float[sizes[l + 1]];
            }
            return new EncoderNetwork(sizes, weights, biases);
        }

        /// <summary>Scratch for <see cref="Forward"/>: room for <paramref name="rows"/> rows of the widest layer, twice.</summary>
        public Scratch CreateScratch(int rows) => new Scratch(rows * WidestLayer);

        /// <summary>
        /// The embeddings of <paramref name="rows"/> dense rows of <see cref="InputCount"/> values (row-major in
        /// <paramref name="input"/>) into <paramref name="output"/> (rows × <see cref="OutputCount"/>).
        /// </summary>
        public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output, Scratch scratch)
        {
            if (input.Length < rows * InputCount || output.Length < rows * OutputCount || scratch.Capacity < rows * WidestLayer)
                throw new ArgumentException("The buffers are too small for the rows.");
            ReadOnlySpan<float> current = input;
            for (int l = 0; l < LayerCount; l++)
            {
                bool last = l == LayerCount - 1;
                Span<float> next = last ? output : (l % 2 == 0 ? scratch.First : scratch.Second);
                DenseKernels.Affine(current, Weights[l], Biases[l], next, rows, Sizes[l], Sizes[l + 1], last ? LayerActivation.Linear : LayerActivation.Relu);
                current = next;
            }
        }

        /// <summary>The embedding of every row of <paramref name="data"/>, in chunks of rows on <paramref name="threads"/> threads.</summary>
        public RowMatrix Embed(VectorSet data, int threads, System.Threading.CancellationToken cancellation)
        {
            var result = new RowMatrix(data.Count, OutputCount);
            ParallelRange.For(data.Count, RowsPerChunk, threads, () => (Rows: new float[RowsPerChunk * InputCount], Scratch: CreateScratch(RowsPerChunk)), (start, end, worker) =>
            {
                int count = end - start;
                for (int i = 0; i < count; i++)
                    data[start + i].CopyTo(worker.Rows.AsSpan(i * InputCount, InputCount));
                Forward(worker.Rows, count, result.Values.AsSpan(start * OutputCount, count * OutputCount), worker.Scratch);
            }, static _ => { }, cancellation);
            return result;
        }

        /// <summary>Two buffers the hidden layers alternate between.</summary>
        public sealed class Scratch
        {
            private readonly float[] _first;
            private readonly float[] _second;

            public Scratch(int capacity)
            {
                _first = new float[capacity];
                _second = new float[capacity];
            }

            public int Capacity => _first.Length;

            public Span<float> First => _first;

            public Span<float> Second => _second;
        }
    }
}
