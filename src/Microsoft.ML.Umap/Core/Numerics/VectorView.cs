using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// One input vector, dense or sparse, without copying: a dense vector has its <see cref="Dimension"/> values
    /// in <see cref="Values"/>; a sparse one lists its non-zero values with their strictly increasing positions in
    /// <see cref="Indices"/>.
    /// </summary>
    internal readonly ref struct VectorView
    {
        private VectorView(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int dimension, bool isSparse)
        {
            Indices = indices;
            Values = values;
            Dimension = dimension;
            IsSparse = isSparse;
        }

        /// <summary>Positions of the non-zero values of a sparse vector (empty for a dense one).</summary>
        public ReadOnlySpan<int> Indices { get; }

        /// <summary>Every value of a dense vector, or the non-zero values of a sparse one.</summary>
        public ReadOnlySpan<float> Values { get; }

        /// <summary>The vector's length (number of features).</summary>
        public int Dimension { get; }

        public bool IsSparse { get; }

        public static VectorView Dense(ReadOnlySpan<float> values) => new VectorView(default, values, values.Length, false);

        public static VectorView Sparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int dimension) =>
            new VectorView(indices, values, dimension, true);

        /// <summary>Writes the vector into a dense buffer of <see cref="Dimension"/> values.</summary>
        public void CopyTo(Span<float> dense)
        {
            if (!IsSparse)
            {
                Values.CopyTo(dense);
                return;
            }
            dense.Slice(0, Dimension).Clear();
            for (int p = 0; p < Indices.Length; p++)
                dense[Indices[p]] = Values[p];
        }
    }
}
