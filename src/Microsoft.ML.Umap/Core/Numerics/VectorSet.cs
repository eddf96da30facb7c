using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// The input rows of a fit, stored densely (<see cref="DenseVectorSet"/>) or sparsely
    /// (<see cref="SparseVectorSet"/>) as they arrived: a sparse column is never densified into an n × d matrix.
    /// </summary>
    internal abstract class VectorSet
    {
        /// <summary>Number of rows.</summary>
        public abstract int Count { get; }

        /// <summary>Length of every row.</summary>
        public abstract int Dimension { get; }

        public abstract bool IsSparse { get; }

        /// <summary>Row <paramref name="row"/>.</summary>
        public abstract VectorView this[int row] { get; }

        /// <summary>Bytes of vector data held (what a saved model must store).</summary>
        public abstract long StoredBytes { get; }

        /// <summary>A copy of the rows listed in <paramref name="rows"/>, in that order, stored alike.</summary>
        public abstract VectorSet Subset(ReadOnlySpan<int> rows);

        /// <summary>These rows followed by <paramref name="more"/>'s (same dimension), stored as these are.</summary>
        public abstract VectorSet Append(VectorSet more);
    }

    /// <summary>Dense rows in one row-major matrix.</summary>
    internal sealed class DenseVectorSet : VectorSet
    {
        public DenseVectorSet(RowMatrix matrix) => Matrix = matrix ?? throw new ArgumentNullException(nameof(matrix));

        public RowMatrix Matrix { get; }

        public override int Count => Matrix.Rows;

        public override int Dimension => Matrix.Columns;

        public override bool IsSparse => false;

        public override VectorView this[int row] => VectorView.Dense(Matrix.ReadOnlyRow(row));

        public override long StoredBytes => (long)Matrix.Values.Length * sizeof(float);

        public override VectorSet Subset(ReadOnlySpan<int> rows)
        {
            var copy = new RowMatrix(rows.Length, Matrix.Columns);
            for (int i = 0; i < rows.Length; i++)
                Matrix.ReadOnlyRow(rows[i]).CopyTo(copy.Row(i));
            return new DenseVectorSet(copy);
        }

        public override VectorSet Append(VectorSet more)
        {
            if (more.Dimension != Dimension)
                throw new ArgumentException($"Rows of {more.Dimension} values cannot join rows of {Dimension}.", nameof(more));
            var joined = new RowMatrix(checked(Count + more.Count), Dimension);
            Matrix.Values.CopyTo(joined.Values, 0);
            for (int i = 0; i < more.Count; i++)
                more[i].CopyTo(joined.Row(Count + i));
            return new DenseVectorSet(joined);
        }
    }

    /// <summary>Sparse rows in compressed-sparse-row form (positions strictly increasing within a row, no zeros).</summary>
    internal sealed class SparseVectorSet : VectorSet
    {
        private readonly int _dimension;

        public SparseVectorSet(int[] rowOffsets, int[] indices, float[] values, int dimension)
        {
            if (rowOffsets.Length < 1 || rowOffsets[^1] != values.Length || indices.Length != values.Length)
                throw new ArgumentException("Inconsistent sparse rows.");
            RowOffsets = rowOffsets;
            Indices = indices;
            Values = values;
            _dimension = dimension;
        }

        public int[] RowOffsets { get; }

        public int[] Indices { get; }

        public float[] Values { get; }

        public override int Count => RowOffsets.Length - 1;

        public override int Dimension => _dimension;

        public override bool IsSparse => true;

        public override VectorView this[int row]
        {
            get
            {
                int start = RowOffsets[row], length = RowOffsets[row + 1] - start;
                return VectorView.Sparse(Indices.AsSpan(start, length), Values.AsSpan(start, length), _dimension);
            }
        }

        public override long StoredBytes => (long)Values.Length * (sizeof(float) + sizeof(int)) + (long)RowOffsets.Length * sizeof(int);

        public override VectorSet Subset(ReadOnlySpan<int> rows)
        {
            var offsets = new int[rows.Length + 1];
            for (int i = 0; i < rows.Length; i++)
                offsets[i + 1] = offsets[i] + RowOffsets[rows[i] + 1] - RowOffsets[rows[i]];
            var indices = new int[offsets[^1]];
            var values = new float[offsets[^1]];
            for (int i = 0; i < rows.Length; i++)
            {
                int start = RowOffsets[rows[i]], length = offsets[i + 1] - offsets[i];
                Indices.AsSpan(start, length).CopyTo(indices.AsSpan(offsets[i]));
                Values.AsSpan(start, length).CopyTo(values.AsSpan(offsets[i]));
            }
            return new SparseVectorSet(offsets, indices, values, _dimension);
        }

        public override VectorSet Append(VectorSet more)
        {
            if (more.Dimension != Dimension)
                throw new ArgumentException($"Rows of {more.Dimension} values cannot join rows of {Dimension}.", nameof(more));
            var offsets = new int[Count + more.Count + 1];
            RowOffsets.CopyTo(offsets, 0);
            var indices = new System.Collections.Generic.List<int>(Indices);
            var values = new System.Collections.Generic.List<float>(Values);
            for (int i = 0; i < more.Count; i++)
            {
                var row = more[i];
                for (int p = 0; p < row.Values.Length; p++)
                {
                    if (row.Values[p] == 0f)
                        continue;
                    indices.Add(row.IsSparse ? row.Indices[p] : p);
                    values.Add(row.Values[p]);
                }
                offsets[Count + i + 1] = checked(values.Count);
            }
            return new SparseVectorSet(offsets, indices.ToArray(), values.ToArray(), _dimension);
        }
    }
}
