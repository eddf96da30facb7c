using System;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// Draws entries of a weight list with probability proportional to their weight: the entry whose share of the
    /// running total holds a uniform number. A table of where each of a few thousand equal slices of the total starts
    /// narrows each search to a few entries, so a draw reads two or three cache lines of the running totals instead of
    /// twenty (a binary search over a million edges' totals was a tenth of the encoder's training).
    /// </summary>
    internal sealed class WeightedEntrySampler
    {
        private const int MaximumSlices = 1 << 16;

        private readonly double[] _cumulative;
        private readonly double _total;
        private readonly double _sliceWidth;

        /// <summary>Per slice s, the first entry whose running total passes s slices' worth (the last entry if none does).</summary>
        private readonly int[] _sliceStarts;

        /// <param name="weights">The weights; at least one, none negative or NaN.</param>
        public WeightedEntrySampler(ReadOnlySpan<float> weights)
        {
            if (weights.IsEmpty)
                throw new ArgumentException("There is nothing to draw from.", nameof(weights));
            _cumulative = new double[weights.Length];
            double sum = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                _cumulative[i] = sum;
            }
            _total = sum;
            // All weights 0: one slice, and every draw the last entry, as the binary search gives.
            int slices = sum > 0 ? Math.Min(MaximumSlices, weights.Length) : 1;
            _sliceWidth = _total / slices;
            _sliceStarts = new int[slices + 1];
            int entry = 0;
            for (int s = 0; s <= slices; s++)
            {
                double start = SliceStart(s);
                while (entry < _cumulative.Length - 1 && !(_cumulative[entry] > start))
                    entry++;
                _sliceStarts[s] = entry;
            }
        }

        /// <summary>
        /// The first entry whose running total exceeds <paramref name="uniform"/> (in [0, 1)) times the total, or the last
        /// entry if none does: exactly the entry a binary search over the running totals finds.
        /// </summary>
        public int Sample(double uniform)
        {
            double target = uniform * _total;
            int slices = _sliceStarts.Length - 1;
            double position = target / _sliceWidth;
            int slice = position < slices ? (position >= 0 ? (int)position : 0) : slices - 1; // NaN (a zero total) to slice 0
            // The division may round across a slice's edge: step to the slice whose start is at most the target and
            // whose end is above it, so the answer lies between the two slices' first entries.
            while (slice > 0 && SliceStart(slice) > target)
                slice--;
            while (slice + 1 < slices && !(SliceStart(slice + 1) > target))
                slice++;
            int low = _sliceStarts[slice], high = _sliceStarts[slice + 1];
            while (low < high)
            {
                int middle = (low + high) >>> 1;
                if (_cumulative[middle] > target)
                    high = middle;
                else
                    low = middle + 1;
            }
            return low;
        }

        /// <summary>Where slice <paramref name="slice"/> starts; past the last slice, above every total.</summary>
        private double SliceStart(int slice) => slice >= _sliceStarts.Length - 1 ? double.PositiveInfinity : slice * _sliceWidth;
    }
}
