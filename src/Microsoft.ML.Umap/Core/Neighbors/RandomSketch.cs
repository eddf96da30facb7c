using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A Johnson–Lindenstrauss sketch: vectors multiplied by a d × m Gaussian matrix, which keeps Euclidean
    /// neighbourhoods approximately while shrinking each vector from d to m values. Random-projection trees built
    /// on the sketch group the same points as trees on the data, at a fraction of the cost for wide data. The
    /// matrix is a pure function of (d, m, seed), so a saved model need not store it.
    /// </summary>
    /// <remarks>
    /// Entry (j, c) of the matrix is the (j·d + c)-th Gaussian of a counter-based stream, so any entry can be
    /// computed on its own. Dense data keep the whole m × d matrix (small beside the n × d data). Sparse data keep
    /// only the columns their rows use: a hashed text column declares 2^20 to 2^25 slots and uses a few thousand,
    /// and memory must follow the non-zeros, not the declared width. Both give the same values.
    /// </remarks>
    internal sealed class RandomSketch
    {
        private readonly int _inputDimension;
        private readonly FastRandom _stream;
        private readonly float _scale;

        // Dense data: the matrix stored transposed (m rows of d), so each output value is one contiguous dot product.
        private readonly float[] _projection = Array.Empty<float>();

        // Sparse data: the m entries of each used column, contiguous, at the slot the dictionary gives.
        private readonly Dictionary<int, int> _slots = new Dictionary<int, int>();
        private readonly float[] _columns = Array.Empty<float>();

        // Dense data, for queries: the matrix by column as well (d columns of m), made at the first query.
        private float[]? _byColumn;

        private RandomSketch(VectorSet data, int outputDimension, ulong seed)
        {
            _inputDimension = data.Dimension;
            OutputDimension = outputDimension;
            _stream = FastRandom.ForStream(seed, 0x534B4554 /* "SKET" */);
            _scale = 1f / MathF.Sqrt(outputDimension);
            if (data is SparseVectorSet sparse)
            {
                foreach (int column in sparse.Indices)
                    _slots.TryAdd(column, _slots.Count);
                _columns = new float[checked(_slots.Count * outputDimension)];
                foreach (var (column, slot) in _slots)
                    FillColumn(column, _columns.AsSpan(slot * outputDimension, outputDimension));
                return;
            }

            _projection = new float[checked(outputDimension * _inputDimension)];
            var rng = _stream;
            for (int i = 0; i < _projection.Length; i++)
                _projection[i] = (float)rng.NextGaussian() * _scale;
        }

        /// <summary>Values per sketched vector (at most the requested sketch dimension, 64 by default).</summary>
        public int OutputDimension { get; }

        /// <summary>Writes the sketch of <paramref name="vector"/> (stored like the data the sketch was made for) into <paramref name="destination"/>.</summary>
        public void Project(VectorView vector, Span<float> destination)
        {
            if (!vector.IsSparse)
            {
                for (int j = 0; j < OutputDimension; j++)
                    destination[j] = DistanceKernels.Dot(vector.Values, new ReadOnlySpan<float>(_projection, j * _inputDimension, _inputDimension));
                return;
            }

            // Sparse: only the non-zero positions contribute, nnz × m work, each output summing its terms in
            // position order. A column no training row used (a new row's) is computed on the spot.
            var indices = vector.Indices;
            var values = vector.Values;
            int m = OutputDimension;
            var output = destination.Slice(0, m);
            output.Clear();
            Span<float> computed = stackalloc float[m];
            for (int p = 0; p < indices.Length; p++)
            {
                if (_slots.TryGetValue(indices[p], out int slot))
                {
                    Accumulate(values[p], new ReadOnlySpan<float>(_columns, slot * m, m), output);
                }
                else
                {
                    FillColumn(indices[p], computed);
                    Accumulate(values[p], computed, output);
                }
            }
        }

        /// <summary>
        /// The sketch of a query, to route it down trees built on the training rows' sketches. A dense query is summed
        /// as a sparse one is, column after column over its non-zero values only (only the matrix's columns for those
        /// values are read, leaving the cache to the placement; docs/measurements.md): the same values as
        /// <see cref="Project(VectorView, Span{float})"/> to float's rounding, not bit for bit (the terms are added in
        /// another order), so a query within rounding of a split may take the other side, as a tie does.
        /// </summary>
        public void ProjectQuery(VectorView vector, Span<float> destination)
        {
            if (vector.IsSparse)
            {
                Project(vector, destination);
                return;
            }
            int m = OutputDimension;
            var byColumn = LazyInitializer.EnsureInitialized(ref _byColumn, ByColumn);
            var values = vector.Values;
            var output = destination.Slice(0, m);
            output.Clear();
            for (int c = 0; c < values.Length; c++)
            {
                if (values[c] != 0f)
                    Accumulate(values[c], new ReadOnlySpan<float>(byColumn, c * m, m), output);
            }
        }

        /// <summary>The dense matrix stored by column: entry (j, c) at c·m + j.</summary>
        private float[] ByColumn()
        {
            int m = OutputDimension;
            var byColumn = new float[_projection.Length];
            for (int j = 0; j < m; j++)
            {
                for (int c = 0; c < _inputDimension; c++)
                    byColumn[c * m + j] = _projection[j * _inputDimension + c];
            }
            return byColumn;
        }

        /// <summary>output += value · column, element by element (a product, then a sum, each rounded: as a scalar loop).</summary>
        private static void Accumulate(float value, ReadOnlySpan<float> column, Span<float> output) =>
            VectorArithmetic.AddScaled(output, column, value);

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
        public static RowMatrix Project(VectorSet data, int dimension, ulong seed, int threads) =>
            For(data, dimension, seed)?.Project(data, threads) ?? ((DenseVectorSet)data).Matrix;

        /// <summary>The sketch for vectors like <paramref name="data"/>'s, or null when the rows are used as they are (dense, at most <paramref name="dimension"/> wide).</summary>
        public static RandomSketch? For(VectorSet data, int dimension, ulong seed) =>
            data is DenseVectorSet && data.Dimension <= dimension ? null : new RandomSketch(data, Math.Min(dimension, data.Dimension), seed);

        /// <summary>Entries (j, <paramref name="column"/>) for every j: the Gaussians the dense matrix holds at j·d + column.</summary>
        private void FillColumn(int column, Span<float> destination)
        {
            for (int j = 0; j < destination.Length; j++)
            {
                var rng = _stream;
                rng.Skip(2 * ((ulong)j * (ulong)_inputDimension + (ulong)column)); // two draws per Gaussian
                destination[j] = (float)rng.NextGaussian() * _scale;
            }
        }
    }
}
