using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A copy of dense training rows at half a byte or a byte per value for the neighbour walk of a query: value x of
    /// column c is kept as the code q = round((x − min_c) / step_c), step_c = (max_c − min_c) / L with L = 15 or 255
    /// levels, and the squared Euclidean distance of a query to a row is measured against the reconstructions
    /// min_c + step_c·q.
    /// </summary>
    /// <remarks>
    /// A query visits a few hundred random training rows, and at four bytes a value each visit waits on a fetch from
    /// memory, so the walk is bound by the bytes it reads. A byte a value reads a quarter of them; half a byte halves
    /// the copy again for memory rather than speed, as the walk then waits more on each step's latency than on bytes
    /// (figures in docs/measurements.md). The distance is expanded as
    /// |x − min|² − 2·Σ_c (x_c − min_c)·step_c·q_c + |step·q|²: the last term is stored with each row, the first is
    /// the query's, and the middle one is an integer dot product of the codes with the query's weights rounded to
    /// 16 bits (<see cref="CodedQuery"/>), a few instructions per 32 values, exact and the same on every instruction
    /// set. The walk's best candidates are measured again on the exact rows, so only the walk's route is approximate.
    /// Half a byte is used when its rounding is small beside the data's own neighbour distances, else a byte when that
    /// is, else no copy (<see cref="TryBuild"/>).
    /// </remarks>
    internal sealed class QuantizedRows
    {
        /// <summary>
        /// The largest mean relative error of the approximate squared distance from a row to its nearest neighbour
        /// that still lets the walk use the codes: beyond it the codes could steer the walk away from true neighbours.
        /// (docs/measurements.md has the error of real data's codes against it.)
        /// </summary>
        public const double MaximumRelativeError = 0.02;

        /// <summary>Rows sampled (evenly) to measure the rounding error.</summary>
        private const int FidelitySample = 2000;

        /// <summary>
        /// Columns per block: rows are padded to whole blocks (zeros), and at half a byte a block is 16 bytes, the
        /// first 16 columns in the low halves, the next 16 in the high.
        /// </summary>
        private const int BlockColumns = 32;

        /// <summary>Bytes before each row's codes: the float |step·q|², the row's own term of the distance.</summary>
        private const int NormBytes = sizeof(float);

        private const int CacheLine = 64;

        /// <summary>Largest magnitude of a query weight (16 bits), unless the row width needs less to keep the dot product in 32 bits.</summary>
        private const int MaximumWeight = short.MaxValue;

        // Per row, from _origin: the float |step·q|², then the codes of the padded coded columns, then padding to
        // a whole number of cache lines (or an even share of one), so a row never straddles more lines than it fills.
        // The array is pinned, so _origin keeps the rows aligned.
        private readonly byte[] _rows;
        private readonly nint _origin;
        // Per column of the rows.
        private readonly float[] _minimum;
        // Per coded column (padded with zeros): the grid's step, and the column of the rows it codes (null: the same).
        private readonly float[] _step;
        private readonly int[]? _codedColumns;
        private readonly int _columns;
        private readonly int _rowBytes;
        private readonly int _weightLimit;

        private QuantizedRows(byte[] rows, nint origin, float[] minimum, float[] step, int[]? codedColumns, int columns, int levels, int rowBytes)
        {
            _rows = rows;
            _origin = origin;
            _minimum = minimum;
            _step = step;
            _codedColumns = codedColumns;
            _columns = columns;
            Levels = levels;
            _rowBytes = rowBytes;
            // |Σ weight·code| ≤ limit·levels·columns must stay within int: exact in any order of summation.
            _weightLimit = (int)Math.Min(MaximumWeight, int.MaxValue / ((long)levels * Math.Max(1, step.Length)));
        }

        /// <summary>Codes per column less one: 15 (half a byte a value) or 255 (a byte).</summary>
        public int Levels { get; }

        /// <summary>
        /// A byte copy from which <see cref="Reconstruct"/> gives every training row back bit for bit (8-bit pixels,
        /// small counts: columns of integers spanning at most 256 values are coded one to one; this copy, or one kept
        /// beside half-byte codes), or null: the walk's best candidates are re-measured from it instead of from the
        /// rows: a quarter of the bytes for the same distances, for one more byte a value of memory
        /// (docs/measurements.md).
        /// </summary>
        public QuantizedRows? ExactRows { get; private set; }

        /// <summary>Length of a query's weights (the columns padded to whole blocks).</summary>
        public int PaddedColumns => _step.Length;

        /// <summary>
        /// The coded copy of <paramref name="rows"/> at half a byte a value, or else a byte, the first whose rounding
        /// moves a row's squared distance to its nearest neighbour (in <paramref name="knn"/>) by at most
        /// <see cref="MaximumRelativeError"/> on average; null when neither does (a column with a few huge outliers,
        /// say) or a column's range overflows. When a byte copy keeps every value exactly, it is kept as
        /// <see cref="ExactRows"/>.
        /// </summary>
        public static QuantizedRows? TryBuild(RowMatrix rows, KnnGraph knn, int threads)
        {
            if (rows.Rows == 0 || rows.Columns == 0)
                return null;
            var (minimum, maximum, integral) = ColumnRanges(rows);
            // Columns of integers spanning at most 256 values each are kept one to one by a byte: an exact copy
            // (checked, not assumed).
            QuantizedRows? exact = null;
            bool onByteGrid = true;
            for (int c = 0; c < rows.Columns; c++)
                onByteGrid &= integral[c] && maximum[c] - minimum[c] <= 255f;
            if (onByteGrid)
            {
                exact = Code(rows, minimum, maximum, integral, 255, threads, skipConstantColumns: false);
                if (exact != null && !exact.ReconstructsExactly(rows, threads))
                    exact = null;
            }
            foreach (int levels in new[] { 15, 255 })
            {
                var coded = levels == 255 && exact != null ? exact : Code(rows, minimum, maximum, integral, levels, threads, skipConstantColumns: true);
                if (coded == null)
                    return null;
                if (coded.MeanRelativeError(rows, knn) <= MaximumRelativeError)
                {
                    coded.ExactRows = exact;
                    return coded;
                }
            }
            return null;
        }

        /// <summary>
        /// <paramref name="rows"/> coded for the walk at <paramref name="levels"/> (15: half a byte a value; 255: a
        /// byte), or null when there is nothing to code or a column's range overflows.
        /// </summary>
        internal static QuantizedRows? Code(RowMatrix rows, int levels, int threads)
        {
            if (rows.Rows == 0 || rows.Columns == 0)
                return null;
            var (minimum, maximum, integral) = ColumnRanges(rows);
            return Code(rows, minimum, maximum, integral, levels, threads, skipConstantColumns: true);
        }

        /// <summary>Each column's smallest and largest value (at least one row), and whether all its values are integers.</summary>
        private static (float[] Minimum, float[] Maximum, bool[] Integral) ColumnRanges(RowMatrix rows)
        {
            var minimum = rows.ReadOnlyRow(0).ToArray();
            var maximum = rows.ReadOnlyRow(0).ToArray();
            var integral = new bool[rows.Columns];
            integral.AsSpan().Fill(true);
            for (int i = 0; i < rows.Rows; i++)
            {
                var row = rows.ReadOnlyRow(i);
                for (int c = 0; c < row.Length; c++)
                {
                    minimum[c] = Math.Min(minimum[c], row[c]);
                    maximum[c] = Math.Max(maximum[c], row[c]);
                    integral[c] &= Math.Abs(row[c]) < (1 << 24) && row[c] == MathF.Round(row[c]);
                }
            }
            return (minimum, maximum, integral);
        }

        /// <summary>
        /// The rows coded at <paramref name="levels"/>. With <paramref name="skipConstantColumns"/> a column holding one
        /// value in every row is left out (its codes would all be 0, adding nothing to any distance but bytes to every
        /// visit: blank image borders, unused slots); an exact copy keeps every column, to give rows back.
        /// </summary>
        private static unsafe QuantizedRows? Code(RowMatrix rows, float[] minimum, float[] maximum, bool[] integral, int levels, int threads, bool skipConstantColumns)
        {
            int n = rows.Rows, columns = rows.Columns;
            bool halfByte = levels < 16;
            int[]? codedColumns = null;
            if (skipConstantColumns)
            {
                var varying = Enumerable.Range(0, columns).Where(c => maximum[c] != minimum[c] || !float.IsFinite(maximum[c])).ToArray();
                codedColumns = varying.Length < columns ? varying : null;
            }
            int coding = codedColumns?.Length ?? columns;
            int padded = (coding + BlockColumns - 1) / BlockColumns * BlockColumns;
            int rowBytes = LineAligned(NormBytes + (halfByte ? padded / 2 : padded));
            if ((long)n * rowBytes + CacheLine > Array.MaxLength || (long)levels * padded > int.MaxValue)
                return null;
            var step = new float[padded]; // 0 past the columns: the padding adds nothing
            for (int j = 0; j < coding; j++)
            {
                int c = codedColumns?[j] ?? j;
                // float arithmetic of a range beyond float.MaxValue overflows: such a column cannot be coded.
                float range = maximum[c] - minimum[c];
                if (!float.IsFinite(range))
                    return null;
                // A byte keeps a column of integers one to one when they span at most 256 values (a finer grid than
                // range / 255, and exact); a wider or fractional column is spread over the levels.
                step[j] = !halfByte && integral[c] && range > 0f && range <= levels ? 1f : range / levels;
            }

            var coded = GC.AllocateArray<byte>(checked((int)((long)n * rowBytes + CacheLine)), pinned: true);
            nint origin;
            fixed (byte* start = coded)
                origin = (CacheLine - (nint)((nuint)start % CacheLine)) % CacheLine;
            ParallelRange.For(n, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = rows.ReadOnlyRow(i);
                    var code = coded.AsSpan((int)(origin + (nint)i * rowBytes) + NormBytes, rowBytes - NormBytes);
                    double norm = 0;
                    for (int j = 0; j < coding; j++)
                    {
                        int c = codedColumns?[j] ?? j;
                        byte q = step[j] > 0f ? (byte)Math.Clamp(MathF.Round((row[c] - minimum[c]) / step[j]), 0f, levels) : (byte)0;
                        double reconstructed = (double)step[j] * q;
                        norm += reconstructed * reconstructed;
                        if (!halfByte)
                            code[j] = q;
                        else if (j % BlockColumns < BlockColumns / 2)
                            code[j / BlockColumns * (BlockColumns / 2) + j % BlockColumns] |= q;
                        else
                            code[j / BlockColumns * (BlockColumns / 2) + j % BlockColumns - BlockColumns / 2] |= (byte)(q << 4);
                    }
                    MemoryMarshal.Write(coded.AsSpan((int)(origin + (nint)i * rowBytes), NormBytes), (float)norm);
                }
            });
            return new QuantizedRows(coded, origin, minimum, step, codedColumns, columns, levels, rowBytes);
        }

        /// <summary>A row's bytes padded so that rows sit on cache-line boundaries: to whole lines, or to a power of two below one.</summary>
        private static int LineAligned(int bytes) =>
            bytes >= CacheLine ? (bytes + CacheLine - 1) / CacheLine * CacheLine : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)bytes);

        /// <summary>
        /// Whether every row comes back bit for bit from its codes (a column of integers with a non-integer value
        /// does not, and nor does any column spread over the levels unless its values sit on the grid).
        /// </summary>
        private bool ReconstructsExactly(RowMatrix rows, int threads)
        {
            if (Levels < 16)
                return false;
            int mismatched = 0;
            ParallelRange.For(rows.Rows, 1024, threads, (start, end) =>
            {
                var row = new float[_columns];
                for (int i = start; i < end && Volatile.Read(ref mismatched) == 0; i++)
                {
                    Reconstruct(i, row);
                    if (!row.AsSpan().SequenceEqual(rows.ReadOnlyRow(i)))
                        Interlocked.Exchange(ref mismatched, 1);
                }
            });
            return mismatched == 0;
        }

        /// <summary>
        /// Writes row <paramref name="row"/>'s reconstruction min_c + step_c·q into the first values of
        /// <paramref name="destination"/>, one a column (byte codes only). The vector and scalar paths do the same two roundings
        /// per value, so the result does not depend on the instruction set.
        /// </summary>
        public void Reconstruct(int row, Span<float> destination)
        {
            if (_codedColumns != null)
                throw new InvalidOperationException("These codes leave out the constant columns; only an exact copy gives rows back.");
            if (Vector512.IsHardwareAccelerated)
                Reconstruct<Lanes512>(row, destination);
            else if (Vector256.IsHardwareAccelerated)
                Reconstruct<Lanes256>(row, destination);
            else if (Vector128.IsHardwareAccelerated)
                Reconstruct<Lanes128>(row, destination);
            else
                Reconstruct<SoftwareLanes>(row, destination);
        }

        private void Reconstruct<TLanes>(int row, Span<float> destination)
            where TLanes : struct, ILanes<TLanes>
        {
            ref byte codes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rows), RowStart(row) + NormBytes);
            ref float minimum = ref MemoryMarshal.GetArrayDataReference(_minimum);
            ref float step = ref MemoryMarshal.GetArrayDataReference(_step);
            ref float target = ref MemoryMarshal.GetReference(destination[.._columns]);
            int c = 0;
            for (; c + TLanes.Count <= _columns; c += TLanes.Count)
                Reconstruct<TLanes>(ref codes, ref minimum, ref step, ref target, (nuint)c);
            for (; c < _columns; c++)
                Reconstruct<OneLane>(ref codes, ref minimum, ref step, ref target, (nuint)c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Reconstruct<TLanes>(ref byte codes, ref float minimum, ref float step, ref float target, nuint at)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Store(TLanes.Load(ref minimum, at) + TLanes.Load(ref step, at) * TLanes.LoadBytes(ref codes, at), ref target, at);

        /// <summary>
        /// The mean over sampled rows of |d̂² − d²| / d² for the row's nearest other neighbour, d̂² measured from the
        /// exact row to the neighbour's codes (as a query is); 0 when no row has a neighbour at a positive distance.
        /// </summary>
        private double MeanRelativeError(RowMatrix rows, KnnGraph knn)
        {
            int n = rows.Rows;
            int stride = Math.Max(1, n / FidelitySample);
            var query = new CodedQuery(PaddedColumns);
            double total = 0;
            int counted = 0;
            for (int i = 0; i < n; i += stride)
            {
                foreach (int j in knn.RowIndices(i))
                {
                    if (j < 0 || j == i)
                        continue;
                    float exact = DistanceKernels.SquaredEuclidean(rows.ReadOnlyRow(i), rows.ReadOnlyRow(j));
                    if (exact > 0f)
                    {
                        // A training row lies within the columns' ranges: its coded form cannot overflow.
                        Prepare(rows.ReadOnlyRow(i), query);
                        total += Math.Abs(SquaredDistance(query, j) - (double)exact) / exact;
                        counted++;
                    }
                    break;
                }
            }
            return counted == 0 ? 0 : total / counted;
        }

        /// <summary>
        /// Writes <paramref name="query"/> in the form <see cref="SquaredDistance"/> takes into <paramref name="coded"/>;
        /// false when that form overflows float (a query far outside the training range), which the codes then
        /// cannot measure.
        /// </summary>
        public bool Prepare(ReadOnlySpan<float> query, CodedQuery coded)
        {
            double norm = 0;
            for (int c = 0; c < _columns; c++)
            {
                float shifted = query[c] - _minimum[c];
                norm += (double)shifted * shifted;
            }
            int coding = _codedColumns?.Length ?? _columns;
            float largest = 0f;
            for (int j = 0; j < coding; j++)
            {
                int c = _codedColumns?[j] ?? j;
                largest = Math.Max(largest, Math.Abs((query[c] - _minimum[c]) * _step[j]));
            }
            if (!float.IsFinite(largest) || !float.IsFinite((float)norm))
                return false;
            // Weights rounded to integers of at most _weightLimit: each off by at most half of Scale.
            float scale = largest / _weightLimit;
            var weights = coded.Weights;
            for (int j = 0; j < coding; j++)
            {
                int c = _codedColumns?[j] ?? j;
                weights[j] = scale > 0f ? (short)MathF.Round((query[c] - _minimum[c]) * _step[j] / scale) : (short)0;
            }
            weights.AsSpan(coding).Clear();
            coded.Norm = (float)norm;
            coded.Scale = scale;
            return true;
        }

        /// <summary>
        /// |x − min|² − 2·Scale·Σ_c weight_c·q_c + |step·q|²: the squared distance from the prepared query to row
        /// <paramref name="row"/>'s reconstruction, to within the rounding of the weights (Scale·Σ_c q_c) and of float.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float SquaredDistance(CodedQuery query, int row)
        {
            ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rows), RowStart(row));
            ref short weights = ref MemoryMarshal.GetArrayDataReference(query.Weights);
            ref byte codes = ref Unsafe.Add(ref start, NormBytes);
            int dot = Levels < 16 ? HalfByteDot(ref weights, ref codes) : ByteDot(ref weights, ref codes);
            float distance = query.Norm + Unsafe.ReadUnaligned<float>(ref start) - 2f * query.Scale * dot;
            return Math.Max(distance, 0f);
        }

        private int ByteDot(ref short weights, ref byte codes) =>
            CodeDot512.IsSupported ? ByteDot<CodeDot512>(ref weights, ref codes)
            : CodeDot256.IsSupported ? ByteDot<CodeDot256>(ref weights, ref codes)
            : CodeDot128.IsSupported ? ByteDot<CodeDot128>(ref weights, ref codes)
            : ByteDot<CodeDotScalar>(ref weights, ref codes);

        private int HalfByteDot(ref short weights, ref byte codes) =>
            CodeDot512.IsSupported ? HalfByteDot<CodeDot512>(ref weights, ref codes)
            : CodeDot256.IsSupported ? HalfByteDot<CodeDot256>(ref weights, ref codes)
            : CodeDot128.IsSupported ? HalfByteDot<CodeDot128>(ref weights, ref codes)
            : HalfByteDot<CodeDotScalar>(ref weights, ref codes);

        /// <summary>Σ weight_c · code_c over the padded columns, a byte a code.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int ByteDot<TDot>(ref short weights, ref byte codes)
            where TDot : struct, ICodeDot<TDot>
        {
            var sum = default(TDot);
            for (int c = 0; c < _step.Length; c += BlockColumns)
                sum = TDot.Add(sum, Vector128.LoadUnsafe(ref codes, (nuint)c), Vector128.LoadUnsafe(ref codes, (nuint)c + 16), ref weights, (nuint)c);
            return TDot.Total(sum);
        }

        /// <summary>
        /// Σ weight_c · code_c over the padded columns, half a byte a code: a block's 16 bytes hold its first 16 columns
        /// in their low halves and the next 16 in their high halves.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int HalfByteDot<TDot>(ref short weights, ref byte codes)
            where TDot : struct, ICodeDot<TDot>
        {
            var mask = Vector128.Create((byte)0x0F);
            var sum = default(TDot);
            for (int b = 0; b < _step.Length / BlockColumns; b++)
            {
                var packed = Vector128.LoadUnsafe(ref codes, (nuint)(b * BlockColumns / 2));
                var high = Vector128.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & mask;
                sum = TDot.Add(sum, packed & mask, high, ref weights, (nuint)(b * BlockColumns));
            }
            return TDot.Total(sum);
        }

        /// <summary>
        /// Asks the memory system for a row (its term and its codes) ahead of measuring it: into the nearest cache, or
        /// with <paramref name="secondLevel"/> into the second-level one, which keeps more requests in flight.
        /// </summary>
        public unsafe void Prefetch(int row, bool secondLevel = false)
        {
            if (!Numerics.Prefetch.IsSupported)
                return;
            fixed (byte* rows = _rows)
            {
                byte* start = rows + RowStart(row);
                for (int line = 0; line < _rowBytes; line += CacheLine)
                {
                    if (secondLevel)
                        Numerics.Prefetch.ToSecondLevelCache(start + line);
                    else
                        Numerics.Prefetch.ToNearestCache(start + line);
                }
            }
        }

        private nint RowStart(int row) => _origin + (nint)row * _rowBytes;
    }

    /// <summary>
    /// A query in the form <see cref="QuantizedRows.SquaredDistance"/> takes (<see cref="QuantizedRows.Prepare"/>):
    /// the weights (x_c − min_c)·step_c rounded to integers in units of <see cref="Scale"/>, zeros past the columns.
    /// </summary>
    internal sealed class CodedQuery
    {
        public CodedQuery(int paddedColumns) => Weights = new short[paddedColumns];

        public short[] Weights { get; }

        /// <summary>|x − min|², the query's own term of the distance.</summary>
        public float Norm { get; set; }

        /// <summary>The value of one unit of a weight.</summary>
        public float Scale { get; set; }
    }
}
