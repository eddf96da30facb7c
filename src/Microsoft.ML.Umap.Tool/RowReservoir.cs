using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// A uniform random sample of at most a fixed number of rows from a stream of unknown length (Algorithm R: after t
    /// rows, each has been kept with probability capacity / t), reproducible for a seed. The caller keeps the rows in
    /// its own slots; the reservoir says which slot a row takes and, at the end, the slots in the rows' file order.
    /// </summary>
    internal sealed class RowReservoir
    {
        // Grows with the rows kept: a capacity beyond the stream's length costs nothing.
        private readonly List<long> _rowOfSlot = new();
        private readonly int _capacity;
        private readonly Random _random;

        public RowReservoir(int capacity, int seed)
        {
            _capacity = capacity;
            _random = new Random(seed);
        }

        /// <summary>Rows offered so far.</summary>
        public long Seen { get; private set; }

        /// <summary>Rows held: all of them until the reservoir is full.</summary>
        public int Kept => _rowOfSlot.Count;

        /// <summary>The slot the next row takes (replacing the row there), or −1 when the row is not kept.</summary>
        public int Offer()
        {
            long row = Seen++;
            if (row < _capacity)
            {
                _rowOfSlot.Add(row);
                return (int)row;
            }
            long slot = _random.NextInt64(row + 1);
            if (slot >= _capacity)
                return -1;
            _rowOfSlot[(int)slot] = row;
            return (int)slot;
        }

        /// <summary>The kept slots ordered by their rows' positions in the stream.</summary>
        public int[] SlotsInFileOrder() => Enumerable.Range(0, Kept).OrderBy(s => _rowOfSlot[s]).ToArray();
    }
}
