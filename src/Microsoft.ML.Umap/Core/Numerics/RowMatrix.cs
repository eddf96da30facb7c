using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A dense row-major matrix of <see cref="float"/> held in one flat array: row <c>i</c> occupies
    /// <c>Values[i * Columns .. (i + 1) * Columns]</c>. Flat storage keeps rows contiguous for SIMD kernels
    /// and avoids one object per row.
    /// </summary>
    internal sealed class RowMatrix
    {
        /// <summary>Wraps <paramref name="values"/> (length <paramref name="rows"/> × <paramref name="columns"/>) without copying.</summary>
        public RowMatrix(float[] values, int rows, int columns)
        {
            ArgumentNullException.ThrowIfNull(values);
            ArgumentOutOfRangeException.ThrowIfNegative(rows);
            ArgumentOutOfRangeException.ThrowIfNegative(columns);
            if ((long)rows * columns != values.Length)
                throw new ArgumentException($"Expected {(long)rows * columns} values for a {rows} x {columns} matrix, got {values.Length}.", nameof(values));
            Values = values;
            Rows = rows;
            Columns = columns;
        }

        /// <summary>Allocates a zero matrix.</summary>
        public RowMatrix(int rows, int columns)
            : this(new float[checked(rows * columns)], rows, columns)
        {
        }

        /// <summary>The backing array, row-major.</summary>
        public float[] Values { get; }

        /// <summary>Number of rows (points).</summary>
        public int Rows { get; }

        /// <summary>Number of columns (dimensions).</summary>
        public int Columns { get; }

        /// <summary>Row <paramref name="row"/> as a writable span.</summary>
        public Span<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

        /// <summary>Row <paramref name="row"/> as a read-only span.</summary>
        public ReadOnlySpan<float> ReadOnlyRow(int row) => new ReadOnlySpan<float>(Values, row * Columns, Columns);

        /// <summary>
        /// Asks the processor for the cache lines of row <paramref name="row"/> (the first <paramref name="lines"/> of
        /// them at most) ahead of its use; nothing where prefetching is not available.
        /// </summary>
        public unsafe void PrefetchRow(int row, int lines = int.MaxValue)
        {
            if (!Prefetch.IsSupported)
                return;
            fixed (float* values = Values)
            {
                byte* start = (byte*)(values + (long)row * Columns);
                byte* end = start + Math.Min((long)Columns * sizeof(float), (long)lines * 64);
                for (byte* line = (byte*)((nint)start & ~(nint)63); line < end; line += 64)
                    Prefetch.ToNearestCache(line);
            }
        }

        /// <summary>A deep copy.</summary>
        public RowMatrix Clone() => new RowMatrix((float[])Values.Clone(), Rows, Columns);
    }
}
