using System;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// The fuzzy simplicial set of a model's training rows (umap-learn's <c>graph_</c>), as a sparse matrix in CSR
    /// form: row <c>i</c>'s edges are <c>ColumnIndices[RowOffsets[i] .. RowOffsets[i + 1]]</c> with the matching
    /// <see cref="Weights"/>. It is symmetric (the edge i–j appears in both rows with the same weight), has no
    /// self-loops, keeps each row's columns in ascending order, and holds membership strengths in (0, 1]. Feed it to
    /// graph clustering (Leiden, Louvain) or inspect it; it is a copy the caller owns.
    /// </summary>
    public sealed class UmapGraph
    {
        internal UmapGraph(int rowCount, int[] rowOffsets, int[] columnIndices, float[] weights)
        {
            RowCount = rowCount;
            RowOffsets = rowOffsets;
            ColumnIndices = columnIndices;
            Weights = weights;
        }

        /// <summary>Number of rows (and columns): the training rows.</summary>
        public int RowCount { get; }

        /// <summary>Where each row's edges start, <see cref="RowCount"/> + 1 entries; the last is <see cref="EdgeCount"/>.</summary>
        public int[] RowOffsets { get; }

        /// <summary>The other end of each edge, ascending within a row.</summary>
        public int[] ColumnIndices { get; }

        /// <summary>Each edge's membership strength, in (0, 1].</summary>
        public float[] Weights { get; }

        /// <summary>Number of stored entries (each undirected edge counts twice, once per end).</summary>
        public int EdgeCount => Weights.Length;

        /// <summary>The weight of the edge between two rows, 0 when there is none.</summary>
        public float this[int row, int column]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(row);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
                ArgumentOutOfRangeException.ThrowIfNegative(column);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, RowCount);
                int start = RowOffsets[row];
                int found = Array.BinarySearch(ColumnIndices, start, RowOffsets[row + 1] - start, column);
                return found >= 0 ? Weights[found] : 0f;
            }
        }
    }
}
