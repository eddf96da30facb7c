using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A copy of dense training rows at half a byte or a byte per value for the neighbour walk of a query: value x of
    /// column c is kept as the code q = round((x − min_c) / step_c), step_c = (max_c − min_c) / L with L = 15 or 255
    /// levels, and the squared Euclidean distance of an unquantised query to a row is measured against the
    /// reconstructions min_c + step_c·q.
    /// </summary>
    /// <remarks>
    /// A query visits a few hundred random training rows; at four bytes a value each visit is a fetch from memory
    /// (about 0.5 µs for a 784-float row). At a byte the copy is a quarter of the size and the MNIST query took about
    /// half the time; half a byte halves the copy again without a measurable further gain in speed, the walk then
    /// waiting more on each step's latency than on bytes (docs/measurements.md). The query itself is never quantised,
    /// and the walk's best candidates are measured again on the exact rows, so only the walk's route is approximate.
    /// Half a byte is used when its rounding is small beside the data's own neighbour distances, else a byte when that
    /// is, else no copy (<see cref="TryBuild"/>).
    /// </remarks>
    internal sealed class QuantizedRows
    {
        /// <summary>
        /// The largest mean relative error of the approximate squared distance from a row to its nearest neighbour
        /// that still lets the walk use the codes: beyond it the codes could steer the walk away from true neighbours.
        /// (MNIST: 1.0% at half a byte, with every true 15 nearest among the codes' 23 nearest.)
        /// </summary>
        public const double MaximumRelativeError = 0.02;

        /// <summary>Rows sampled (evenly) to measure the rounding error.</summary>
        private const int FidelitySample = 2000;

        /// <summary>Columns per block of half-byte codes: 16 bytes, the first 16 columns in the low halves, the next 16 in the high.</summary>
        private const int BlockColumns = 32;

        private readonly byte[] _codes;
        private readonly float[] _minimum;
        private readonly float[] _step;
        private readonly int _columns;
        private readonly int _rowBytes;

        private QuantizedRows(byte[] codes, float[] minimum, float[] step, int columns, int levels, int rowBytes)
        {
            _codes = codes;
            _minimum = minimum;
            _step = step;
            _columns = columns;
            Levels = levels;
            _rowBytes = rowBytes;
        }

        /// <summary>Codes per column less one: 15 (half a byte a value) or 255 (a byte).</summary>
        public int Levels { get; }

        /// <summary>Length of the query form <see cref="Shift"/> writes (the columns, padded to whole blocks at half a byte).</summary>
        public int ShiftedLength => _step.Length;

        /// <summary>
        /// The coded copy of <paramref name="rows"/> at half a byte a value, or else a byte, the first whose rounding
        /// moves a row's squared distance to its nearest neighbour (in <paramref name="knn"/>) by at most
        /// <see cref="MaximumRelativeError"/> on average; null when neither does (a column with a few huge outliers,
        /// say) or a column's range overflows.
        /// </summary>
        public static QuantizedRows? TryBuild(RowMatrix rows, KnnGraph knn, int threads)
        {
            if (rows.Rows == 0 || rows.Columns == 0)
                return null;
            var (minimum, maximum) = ColumnRanges(rows);
            foreach (int levels in new[] { 15, 255 })
            {
                var coded = Code(rows, minimum, maximum, levels, threads);
                if (coded == null)
                    return null;
                if (coded.MeanRelativeError(rows, knn) <= MaximumRelativeError)
                    return coded;
            }
            return null;
        }

        /// <summary>
        /// <paramref name="rows"/> coded at <paramref name="levels"/> (15: half a byte a value; 255: a byte), or null
        /// when there is nothing to code or a column's range overflows.
        /// </summary>
        internal static QuantizedRows? Code(RowMatrix rows, int levels, int threads)
        {
            if (rows.Rows == 0 || rows.Columns == 0)
                return null;
            var (minimum, maximum) = ColumnRanges(rows);
            return Code(rows, minimum, maximum, levels, threads);
        }

        /// <summary>Each column's smallest and largest value (at least one row).</summary>
        private static (float[] Minimum, float[] Maximum) ColumnRanges(RowMatrix rows)
        {
            var minimum = rows.ReadOnlyRow(0).ToArray();
            var maximum = rows.ReadOnlyRow(0).ToArray();
            for (int i = 1; i < rows.Rows; i++)
            {
                var row = rows.ReadOnlyRow(i);
                for (int c = 0; c < row.Length; c++)
                {
                    minimum[c] = Math.Min(minimum[c], row[c]);
                    maximum[c] = Math.Max(maximum[c], row[c]);
                }
            }
            return (minimum, maximum);
        }

        private static QuantizedRows? Code(RowMatrix rows, float[] minimum, float[] maximum, int levels, int threads)
        {
            int n = rows.Rows, columns = rows.Columns;
            bool halfByte = levels < 16;
            int padded = halfByte ? (columns + BlockColumns - 1) / BlockColumns * BlockColumns : columns;
            int rowBytes = halfByte ? padded / 2 : columns;
            if ((long)n * rowBytes > Array.MaxLength)
                return null;
            var step = new float[padded]; // 0 past the columns: the padding adds nothing
            for (int c = 0; c < columns; c++)
            {
                // float arithmetic of a range beyond float.MaxValue overflows: such a column cannot be coded.
                float range = maximum[c] - minimum[c];
                if (!float.IsFinite(range))
                    return null;
                step[c] = range / levels;
            }

            var codes = new byte[(long)n * rowBytes];
            ParallelRange.For(n, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = rows.ReadOnlyRow(i);
                    var code = codes.AsSpan(i * rowBytes, rowBytes);
                    for (int c = 0; c < columns; c++)
                    {
                        byte q = step[c] > 0f ? (byte)Math.Clamp(MathF.Round((row[c] - minimum[c]) / step[c]), 0f, levels) : (byte)0;
                        if (!halfByte)
                            code[c] = q;
                        else if (c % BlockColumns < BlockColumns / 2)
                            code[c / BlockColumns * (BlockColumns / 2) + c % BlockColumns] |= q;
                        else
                            code[c / BlockColumns * (BlockColumns / 2) + c % BlockColumns - BlockColumns / 2] |= (byte)(q << 4);
                    }
                }
            });
            return new QuantizedRows(codes, minimum, step, columns, levels, rowBytes);
        }

        /// <summary>
        /// The mean over sampled rows of |d̂² − d²| / d² for the row's nearest other neighbour, d̂² measured from the
        /// exact row to the neighbour's codes (as a query is); 0 when no row has a neighbour at a positive distance.
        /// </summary>
        private double MeanRelativeError(RowMatrix rows, KnnGraph knn)
        {
            int n = rows.Rows;
            int stride = Math.Max(1, n / FidelitySample);
            var shifted = new float[ShiftedLength];
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
                        Shift(rows.ReadOnlyRow(i), shifted);
                        total += Math.Abs(SquaredDistance(shifted, j) - (double)exact) / exact;
                        counted++;
                    }
                    break;
                }
            }
            return counted == 0 ? 0 : total / counted;
        }

        /// <summary>
        /// Writes the query minus the columns' minima into <paramref name="shifted"/> (<see cref="ShiftedLength"/>
        /// values, zeros past the columns), the form <see cref="SquaredDistance"/> takes.
        /// </summary>
        public void Shift(ReadOnlySpan<float> query, Span<float> shifted)
        {
            for (int c = 0; c < _columns; c++)
                shifted[c] = query[c] - _minimum[c];
            shifted[_columns..].Clear();
        }

        /// <summary>Σ_c (shifted_c − step_c·q_c)²: the squared distance from the query to row <paramref name="row"/>'s reconstruction.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float SquaredDistance(ReadOnlySpan<float> shifted, int row)
        {
            ref byte code = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), (nint)row * _rowBytes);
            ref float x = ref MemoryMarshal.GetReference(shifted);
            ref float step = ref MemoryMarshal.GetArrayDataReference(_step);
            return Levels < 16 ? HalfByteDistance(ref x, ref step, ref code) : ByteDistance(ref x, ref step, ref code);
        }

        private float ByteDistance(ref float x, ref float step, ref byte code)
        {
            int n = _columns;
            int c = 0;
            float sum = 0f;
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && n >= Vector512<float>.Count)
            {
                var acc0 = Vector512<float>.Zero;
                var acc1 = Vector512<float>.Zero;
                for (; c <= n - 2 * Vector512<float>.Count; c += 2 * Vector512<float>.Count)
                {
                    acc0 = Term(ref x, ref step, Vector128.LoadUnsafe(ref code, (nuint)c), c, acc0);
                    acc1 = Term(ref x, ref step, Vector128.LoadUnsafe(ref code, (nuint)(c + Vector512<float>.Count)), c + Vector512<float>.Count, acc1);
                }
                for (; c <= n - Vector512<float>.Count; c += Vector512<float>.Count)
                    acc0 = Term(ref x, ref step, Vector128.LoadUnsafe(ref code, (nuint)c), c, acc0);
                sum = Vector512.Sum(acc0 + acc1);
            }
            else if (Avx2.IsSupported && n >= Vector256<float>.Count)
            {
                var acc0 = Vector256<float>.Zero;
                var acc1 = Vector256<float>.Zero;
                for (; c <= n - 2 * Vector256<float>.Count; c += 2 * Vector256<float>.Count)
                {
                    acc0 = Term(ref x, ref step, EightCodes(ref code, c), c, acc0);
                    acc1 = Term(ref x, ref step, EightCodes(ref code, c + Vector256<float>.Count), c + Vector256<float>.Count, acc1);
                }
                for (; c <= n - Vector256<float>.Count; c += Vector256<float>.Count)
                    acc0 = Term(ref x, ref step, EightCodes(ref code, c), c, acc0);
                sum = Vector256.Sum(acc0 + acc1);
            }
            for (; c < n; c++)
            {
                float d = Unsafe.Add(ref x, c) - Unsafe.Add(ref step, c) * Unsafe.Add(ref code, c);
                sum += d * d;
            }
            return sum;
        }

        private float HalfByteDistance(ref float x, ref float step, ref byte code)
        {
            int blocks = _step.Length / BlockColumns;
            const int Half = BlockColumns / 2;
            var lowMask = Vector128.Create((byte)0x0F);
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            {
                var acc0 = Vector512<float>.Zero;
                var acc1 = Vector512<float>.Zero;
                for (int b = 0; b < blocks; b++)
                {
                    var packed = Vector128.LoadUnsafe(ref code, (nuint)(b * Half));
                    acc0 = Term(ref x, ref step, packed & lowMask, b * BlockColumns, acc0);
                    acc1 = Term(ref x, ref step, Vector128.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & lowMask, b * BlockColumns + Half, acc1);
                }
                return Vector512.Sum(acc0 + acc1);
            }
            if (Avx2.IsSupported)
            {
                var acc0 = Vector256<float>.Zero;
                var acc1 = Vector256<float>.Zero;
                for (int b = 0; b < blocks; b++)
                {
                    var packed = Vector128.LoadUnsafe(ref code, (nuint)(b * Half));
                    var low = packed & lowMask;
                    var high = Vector128.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & lowMask;
                    int c = b * BlockColumns;
                    acc0 = Term(ref x, ref step, low, c, acc0);
                    acc1 = Term(ref x, ref step, Sse2.ShiftRightLogical128BitLane(low, 8), c + 8, acc1);
                    acc0 = Term(ref x, ref step, high, c + Half, acc0);
                    acc1 = Term(ref x, ref step, Sse2.ShiftRightLogical128BitLane(high, 8), c + Half + 8, acc1);
                }
                return Vector256.Sum(acc0 + acc1);
            }
            float sum = 0f;
            for (int c = 0; c < _step.Length; c++)
            {
                int within = c % BlockColumns;
                byte packed = Unsafe.Add(ref code, c / BlockColumns * Half + within % Half);
                int q = within < Half ? packed & 0x0F : packed >> 4;
                float d = Unsafe.Add(ref x, c) - Unsafe.Add(ref step, c) * q;
                sum += d * d;
            }
            return sum;
        }

        /// <summary>Asks the memory system for a row's codes ahead of measuring it.</summary>
        public unsafe void Prefetch(int row)
        {
            if (!Sse.IsSupported)
                return;
            fixed (byte* codes = _codes)
            {
                byte* start = codes + (long)row * _rowBytes;
                for (int offset = 0; offset < _rowBytes; offset += 64)
                    Sse.Prefetch0(start + offset);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<byte> EightCodes(ref byte code, int c) =>
            Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref code, c))).AsByte();

        /// <summary>Adds (x − step·q)² of the 16 columns from <paramref name="c"/> on, whose codes are <paramref name="codes"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Term(ref float x, ref float step, Vector128<byte> codes, int c, Vector512<float> acc)
        {
            var q = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(codes));
            var d = Vector512.LoadUnsafe(ref x, (nuint)c) - Vector512.LoadUnsafe(ref step, (nuint)c) * q;
            return Simd.MultiplyAdd(d, d, acc);
        }

        /// <summary>Adds (x − step·q)² of the 8 columns from <paramref name="c"/> on, whose codes are the low 8 bytes of <paramref name="codes"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Term(ref float x, ref float step, Vector128<byte> codes, int c, Vector256<float> acc)
        {
            var q = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(codes));
            var d = Vector256.LoadUnsafe(ref x, (nuint)c) - Vector256.LoadUnsafe(ref step, (nuint)c) * q;
            return Simd.MultiplyAdd(d, d, acc);
        }
    }
}
