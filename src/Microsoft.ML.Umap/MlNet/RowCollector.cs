using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Gathers the rows of a feature column. Rows are kept dense while every row arrives dense (straight into the
    /// final matrix when the row count is known: fresh memory is costly to touch, so it is written once); the first
    /// sparse row switches the collector to sparse storage, converting what it already holds. At the end the storage
    /// follows the data, not the buffers (see <see cref="SparseBelowDensity"/>).
    /// </summary>
    internal sealed class RowCollector : IDisposable
    {
        private const int ChunkRows = 4096;

        /// <summary>
        /// Rows that came as sparse buffers are stored sparse only when fewer than this share of the column's values
        /// are non-zero (or the dense matrix would not fit in one array). The dense kernels are faster at every
        /// density, so a column that ML.NET hands over partly sparse (NormalizeMinMax keeps zeros implicit) is stored
        /// as if it had come dense, and gives the same embedding; below 5% a dense copy would cost over 10 times the
        /// memory. Figures: docs/measurements.md.
        /// </summary>
        public const double SparseBelowDensity = 0.05;

        private readonly long? _expectedRows;
        private readonly int _threads;
        private float[]? _dense;
        private PageToucher? _toucher;
        private readonly List<float[]> _chunks = new List<float[]>();
        private int _inChunk;
        private long _rows;

        private bool _sparse;
        private long _nonZeros;
        private List<int> _offsets = new List<int>();
        private List<int> _indices = new List<int>();
        private List<float> _values = new List<float>();

        /// <param name="expectedRows">The row count the data view announces, if any.</param>
        /// <param name="threads">Threads the caller allows: with more than one, a known-size matrix's pages are touched
        /// on a spare core while the rows arrive (see <see cref="PageToucher"/>).</param>
        public RowCollector(long? expectedRows, int threads)
        {
            _expectedRows = expectedRows;
            _threads = threads;
        }

        /// <summary>Stops the page-touching helper, if one still runs (reading ended early or failed).</summary>
        public void Dispose() => StopToucher();

        public void Add(in VBuffer<float> row, int width)
        {
            if (!_sparse && !row.IsDense)
                SwitchToSparse(width);
            if (_sparse)
                AddSparse(row);
            else
                row.CopyTo(NextDenseRow(width));
            _rows++;
        }

        /// <summary>True when some rows arrived as sparse buffers (before the storage is settled by <see cref="ToVectorSet"/>).</summary>
        public bool ArrivedSparse => _sparse;

        /// <summary>Share of the values read so far that are non-zero, when the rows arrived sparse.</summary>
        public double Density(int width) => _rows == 0 || width == 0 ? 0 : (double)_nonZeros / ((double)_rows * width);

        public VectorSet ToVectorSet(int width)
        {
            StopToucher();
            if (_sparse)
            {
                var sparse = new SparseVectorSet(_offsets.ToArray(), _indices.ToArray(), _values.ToArray(), width);
                bool fits = _rows * (long)width <= Array.MaxLength;
                return fits && Density(width) >= SparseBelowDensity ? Densify(sparse) : sparse;
            }
            if (_rows * (long)width > Array.MaxLength)
                throw new InvalidOperationException($"{_rows} rows of {width} values are more than one array can hold.");
            if (_dense != null && _rows * width == _dense.Length)
                return new DenseVectorSet(new RowMatrix(_dense, (int)_rows, width));

            var joined = new float[_rows * width];
            long copied = 0;
            if (_dense != null)
            {
                // Fewer rows than announced: keep what was read.
                Array.Copy(_dense, joined, joined.Length);
                copied = joined.Length;
            }
            foreach (var chunk in _chunks)
            {
                long take = Math.Min(chunk.Length, joined.Length - copied);
                Array.Copy(chunk, 0, joined, copied, take);
                copied += take;
            }
            return new DenseVectorSet(new RowMatrix(joined, (int)_rows, width));
        }

        private static DenseVectorSet Densify(SparseVectorSet sparse)
        {
            var matrix = new RowMatrix(sparse.Count, sparse.Dimension);
            for (int i = 0; i < sparse.Count; i++)
                sparse[i].CopyTo(matrix.Row(i));
            return new DenseVectorSet(matrix);
        }

        private Span<float> NextDenseRow(int width)
        {
            if (_expectedRows is long known && known * width <= Array.MaxLength && _chunks.Count == 0)
            {
                if (_dense == null)
                {
                    _dense = GC.AllocateUninitializedArray<float>((int)(known * width));
                    _toucher = PageToucher.Start(_dense, _threads);
                }
                if (_rows >= known)
                    throw new InvalidOperationException($"The data view announced {known} rows but yields more.");
                _toucher?.Reached((int)((_rows + 1) * width));
                return _dense.AsSpan((int)(_rows * width), width);
            }
            if (_chunks.Count == 0 || _inChunk == ChunkRows)
            {
                _chunks.Add(new float[checked(ChunkRows * width)]);
                _inChunk = 0;
            }
            return _chunks[^1].AsSpan(_inChunk++ * width, width);
        }

        private void StopToucher()
        {
            _toucher?.Dispose();
            _toucher = null;
        }

        private void SwitchToSparse(int width)
        {
            var sofar = ToVectorSet(width);
            _sparse = true;
            _offsets = new List<int> { 0 };
            _indices = new List<int>();
            _values = new List<float>();
            for (int i = 0; i < sofar.Count; i++)
            {
                var row = sofar[i];
                for (int p = 0; p < row.Values.Length; p++)
                    Append(p, row.Values[p]);
                _offsets.Add(_indices.Count);
            }
            _dense = null;
            _chunks.Clear();
        }

        private void AddSparse(in VBuffer<float> row)
        {
            var values = row.GetValues();
            var indices = row.IsDense ? default : row.GetIndices();
            for (int p = 0; p < values.Length; p++)
                Append(row.IsDense ? p : indices[p], values[p]);
            _offsets.Add(_indices.Count);
        }

        // Zeros are not stored: a sparse row lists only its non-zero values.
        private void Append(int position, float value)
        {
            if (value == 0f)
                return;
            _indices.Add(position);
            _values.Add(value);
            _nonZeros++;
        }
    }
}
