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

        /// <summary>Writes the sketch of <paramref name="vector"/> (dense or sparse) into <paramref name="destination"/>.</summary>
        public void Project(VectorView vector, Span<float> destination)
        {
            if (!vector.IsSparse)
            {
                for (int j = 0; j < OutputDimension; j++)
                    destination[j] = TensorPrimitives.Dot(vector.Values, new ReadOnlySpan<float>(_projection, j * _inputDimension, _inputDimension));
                return;
            }

            // Sparse: only the non-zero positions contribute, nnz × m work.
            destination.Slice(0, OutputDimension).Clear();
            var indices = vector.Indices;
            var values = vector.Values;
            for (int j = 0; j < OutputDimension; j++)
            {
                int row = j * _inputDimension;
                float sum = 0f;
                for (int p = 0; p < indices.Length; p++)
                    sum += values[p] * _projection[row + indices[p]];
                destination[j] = sum;
            }
        }

        /// <summary>The sketch of every row of <paramref name="data"/>.</summary>
        public RowMatrix Project(VectorSet data, int threads)
        {
            var sketch = new RowMatrix(data.Count, OutputDimension);
            ParallelRange.For(data.Count, 256, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                    Project(data[i], sketch.Row(i));
            });
            return sketch;
        }

        /// <summary>
        /// The rows as a dense matrix the trees can split: the sketch for wide or sparse data, the rows themselves
        /// when they are dense and no wider than <paramref name="dimension"/>.
        /// </summary>
        public static RowMatrix Project(VectorSet data, int dimension, ulong seed, int threads)
        {
            if (data is DenseVectorSet dense && data.Dimension <= dimension)
                return dense.Matrix;
            return new RandomSketch(data.Dimension, Math.Min(dimension, data.Dimension), seed).Project(data, threads);
        }

        /// <summary>The sketch for vectors like <paramref name="data"/>'s, or null when <see cref="Project(VectorSet, int, ulong, int)"/> uses the rows as they are.</summary>
        public static RandomSketch For(VectorSet data, int dimension, ulong seed) =>
            data is DenseVectorSet && data.Dimension <= dimension ? null : new RandomSketch(data.Dimension, Math.Min(dimension, data.Dimension), seed);
    }
}
