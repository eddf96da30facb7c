using System.Collections.Generic;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Transform
{
    /// <summary>
    /// Finds a training row equal (value by value) to a given row, so that transforming the training data
    /// returns exactly its training embedding. Rows are bucketed by <see cref="RowHash"/>; duplicates resolve to
    /// the lowest row index.
    /// </summary>
    internal sealed class TrainingRowIndex
    {
        private readonly VectorSet _rows;
        private readonly Dictionary<ulong, int> _first;
        private readonly int[] _next;

        public TrainingRowIndex(VectorSet rows)
        {
            _rows = rows;
            _first = new Dictionary<ulong, int>(rows.Count);
            _next = new int[rows.Count];
            // Inserting from the last row down leaves each chain in increasing row order.
            for (int i = rows.Count - 1; i >= 0; i--)
            {
                ulong hash = RowHash.Compute(rows[i]);
                _next[i] = _first.TryGetValue(hash, out int head) ? head : -1;
                _first[hash] = i;
            }
        }

        /// <summary>The lowest index of a training row equal to <paramref name="row"/>, or −1.</summary>
        public int Find(VectorView row) => Find(row, RowHash.Compute(row));

        /// <summary>As <see cref="Find(VectorView)"/>, with the row's hash already computed.</summary>
        public int Find(VectorView row, ulong hash)
        {
            if (row.Dimension != _rows.Dimension || !_first.TryGetValue(hash, out int i))
                return -1;
            for (; i >= 0; i = _next[i])
            {
                if (RowHash.ValuesEqual(row, _rows[i]))
                    return i;
            }
            return -1;
        }
    }
}
