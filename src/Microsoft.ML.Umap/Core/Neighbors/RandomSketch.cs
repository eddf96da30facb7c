using System;
using System.Numerics.Tensors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A Johnson–Lindenstrauss sketch: vectors multiplied by a d × m Gaussian matrix, which keeps Euclidean
    /// neighbourhoods approximately while shrinking each vector from d to m values. Random-projection trees built
    /// on the sketch group the same points as trees on the data, at a fraction of the cost for wide data. The
    /// matrix is a pure function of (d, m, seed), so a saved model need not store it.
    /// </summary>
    internal sealed class RandomSketch
    {
        // Stored transposed (m rows of d) so each output value is one contiguous dot product.
        private readonly float[] _projection;
        private readonly int _inputDimension;

        private RandomSketch(int inputDimension, int outputDimension, ulong seed)
        {
            _inputDimension = inputDimension;
            OutputDimension = outputDimension;
            _projection = new float[outputDimension * inputDimension];
            var rng = FastRandom.ForStream(seed, 0x534B4554 /* "SKET" */);
            float scale = 1f / MathF.Sqrt(outputDimension);
            for (int i = 0; i < _projection.Length; i++)
                _projection[i] = (float)rng.NextGaussian() * scale;
        }

        /// <summary>Values per sketched vector.</summary>
        public int OutputDimension { get; }

        /// <summary>The sketch for vectors of <paramref name="inputDimension"/> values, or null when they are no wider than <paramref name="dimension"/> (use them as they are).</summary>
        public static RandomSketch Create(int inputDimension, int dimension, ulong seed) =>
            inputDimension <= dimension ? null : new RandomSketch(inputDimension, dimension, seed);

        /// <summary>Writes the sketch of <paramref name="vector"/> into <paramref name="destination"/>.</summary>
        public void Project(ReadOnlySpan<float> vector, Span<float> destination)
        {
            for (int j = 0; j < OutputDimension; j++)
                destination[j] = TensorPrimitives.Dot(vector, new ReadOnlySpan<float>(_projection, j * _inputDimension, _inputDimension));
        }

        /// <summary>The sketch of every row of <paramref name="data"/>.</summary>
        public RowMatrix Project(RowMatrix data, int threads)
        {
            var sketch = new RowMatrix(data.Rows, OutputDimension);
            ParallelRange.For(data.Rows, 256, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                    Project(data.ReadOnlyRow(i), sketch.Row(i));
            });
            return sketch;
        }

        /// <summary>The sketch of <paramref name="data"/>, or the data itself when it is already no wider than <paramref name="dimension"/>.</summary>
        public static RowMatrix Project(RowMatrix data, int dimension, ulong seed, int threads) =>
            Create(data.Columns, dimension, seed)?.Project(data, threads) ?? data;
    }
}
