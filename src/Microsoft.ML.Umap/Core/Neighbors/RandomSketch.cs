using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A Johnson–Lindenstrauss sketch: the rows multiplied by a d × m Gaussian matrix, which keeps Euclidean
    /// neighbourhoods approximately while shrinking each row from d to m values. Random-projection trees built on
    /// the sketch group the same points as trees on the data, at a fraction of the cost for wide data.
    /// </summary>
    internal static class RandomSketch
    {
        /// <summary>
        /// The n × min(d, <paramref name="dimension"/>) sketch of <paramref name="data"/>, or the data itself when it
        /// is already that narrow.
        /// </summary>
        public static RowMatrix Project(RowMatrix data, int dimension, ulong seed, int threads)
        {
            int d = data.Columns;
            if (d <= dimension)
                return data;

            // The projection matrix stored transposed (m rows of d) so each output value is one contiguous dot product.
            var projection = new float[dimension * d];
            var rng = FastRandom.ForStream(seed, 0x534B4554 /* "SKET" */);
            float scale = 1f / MathF.Sqrt(dimension);
            for (int i = 0; i < projection.Length; i++)
                projection[i] = (float)rng.NextGaussian() * scale;

            var sketch = new RowMatrix(data.Rows, dimension);
            ParallelRange.For(data.Rows, 256, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = data.ReadOnlyRow(i);
                    var output = sketch.Row(i);
                    for (int j = 0; j < dimension; j++)
                        output[j] = System.Numerics.Tensors.TensorPrimitives.Dot(row, projection.AsSpan(j * d, d));
                }
            });
            return sketch;
        }
    }
}
