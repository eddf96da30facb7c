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
    /// A one-byte-per-value copy of dense training rows for the neighbour walk of a query: value x of column c is kept
    /// as the code q = round((x − min_c) / step_c), step_c = (max_c − min_c) / 255, and the squared Euclidean distance
    /// of an unquantised query to a row is measured against the reconstructions min_c + step_c·q.
    /// </summary>
    /// <remarks>
    /// A query visits a few hundred random training rows; at four bytes a value each visit is a fetch from memory
    /// (about 0.5 µs for a 784-float row), at one byte the copy is a quarter of the size, mostly stays in the cache
    /// and the walk runs several times faster (docs/measurements.md). The query itself is never quantised, and the
    /// walk's best candidates are measured again on the exact rows, so only the walk's route is approximate.
    /// Built only when the rounding is small beside the data's own neighbour distances (<see cref="TryBuild"/>).
    /// </remarks>
    internal sealed class QuantizedRows
    {
        /// <summary>Codes per column.</summary>
        private const int Levels = 255;

        /// <summary>
        /// The largest mean relative error of the approximate squared distance from a row to its nearest neighbour
        /// that still lets the walk use the codes: beyond it the codes could steer the walk away from true neighbours.
        /// </summary>
        public const double MaximumRelativeError = 0.01;

        /// <summary>Rows sampled (evenly) to measure the rounding error.</summary>
        private const int FidelitySample = 2000;

        private readonly byte[] _codes;
        private readonly float[] _minimum;
        private readonly float[] _step;
        private readonly int _columns;

        private QuantizedRows(byte[] codes, float[] minimum, float[] step, int columns)
        {
            _codes = codes;
            _minimum = minimum;
            _step = step;
            _columns = columns;
        }

        /// <summary>Columns per row.</summary>
        public int Columns => _columns;

        /// <summary>
        /// The quantised copy of <paramref name="rows"/>, or null when its rounding would move a row's squared
        /// distance to its nearest neighbour (in <paramref name="knn"/>) by more than
        /// <see cref="MaximumRelativeError"/> on average (a column with a few huge outliers, say).
        /// </summary>
        public static QuantizedRows? TryBuild(RowMatrix rows, KnnGraph knn, int threads)
        {
            int n = rows.Rows, columns = rows.Columns;
            if (n == 0 || columns == 0)
                return null;
            var minimum = new float[columns];
            var maximum = new float[columns];
            rows.ReadOnlyRow(0).CopyTo(minimum);
            rows.ReadOnlyRow(0).CopyTo(maximum);
            for (int i = 1; i < n; i++)
            {
                var row = rows.ReadOnlyRow(i);
                for (int c = 0; c < columns; c++)
                {
                    minimum[c] = Math.Min(minimum[c], row[c]);
                    maximum[c] = Math.Max(maximum[c], row[c]);
                }
            }
            var step = new float[columns];
            for (int c = 0; c < columns; c++)
            {
                // float arithmetic of a range beyond float.MaxValue overflows: such a column cannot be coded.
                float range = maximum[c] - minimum[c];
                if (!float.IsFinite(range))
                    return null;
                step[c] = range / Levels;
            }

            var codes = new byte[(long)n * columns];
            ParallelRange.For(n, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = rows.ReadOnlyRow(i);
                    var code = codes.AsSpan(i * columns, columns);
                    for (int c = 0; c < columns; c++)
                        code[c] = step[c] > 0f ? (byte)Math.Clamp(MathF.Round((row[c] - minimum[c]) / step[c]), 0f, Levels) : (byte)0;
                }
            });
            var quantized = new QuantizedRows(codes, minimum, step, columns);
            return quantized.MeanRelativeError(rows, knn) <= MaximumRelativeError ? quantized : null;
        }

        /// <summary>
        /// The mean over sampled rows of |d̂² − d²| / d² for the row's nearest other neighbour, d̂² measured from the
        /// exact row to the neighbour's codes (as a query is); 0 when no row has a neighbour at a positive distance.
        /// </summary>
        private double MeanRelativeError(RowMatrix rows, KnnGraph knn)
        {
            int n = rows.Rows;
            int stride = Math.Max(1, n / FidelitySample);
            var shifted = new float[_columns];
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

        /// <summary>Writes the query minus the columns' minima, the form <see cref="SquaredDistance"/> takes.</summary>
        public void Shift(ReadOnlySpan<float> query, Span<float> shifted)
        {
            for (int c = 0; c < _columns; c++)
                shifted[c] = query[c] - _minimum[c];
        }

        /// <summary>Σ_c (shifted_c − step_c·q_c)²: the squared distance from the query to row <paramref name="row"/>'s reconstruction.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float SquaredDistance(ReadOnlySpan<float> shifted, int row)
        {
            ref byte code = ref MemoryMarshal.GetArrayDataReference(_codes);
            code = ref Unsafe.Add(ref code, (nint)row * _columns);
            ref float x = ref MemoryMarshal.GetReference(shifted);
            ref float step = ref MemoryMarshal.GetArrayDataReference(_step);
            int n = _columns;
            int c = 0;
            float sum = 0f;
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && n >= Vector512<float>.Count)
            {
                var acc0 = Vector512<float>.Zero;
                var acc1 = Vector512<float>.Zero;
                for (; c <= n - 2 * Vector512<float>.Count; c += 2 * Vector512<float>.Count)
                {
                    acc0 = Term(ref x, ref step, ref code, c, acc0);
                    acc1 = Term(ref x, ref step, ref code, c + Vector512<float>.Count, acc1);
                }
                for (; c <= n - Vector512<float>.Count; c += Vector512<float>.Count)
                    acc0 = Term(ref x, ref step, ref code, c, acc0);
                sum = Vector512.Sum(acc0 + acc1);
            }
            else if (Avx2.IsSupported && n >= Vector256<float>.Count)
            {
                var acc0 = Vector256<float>.Zero;
                var acc1 = Vector256<float>.Zero;
                for (; c <= n - 2 * Vector256<float>.Count; c += 2 * Vector256<float>.Count)
                {
                    acc0 = Term(ref x, ref step, ref code, c, acc0);
                    acc1 = Term(ref x, ref step, ref code, c + Vector256<float>.Count, acc1);
                }
                for (; c <= n - Vector256<float>.Count; c += Vector256<float>.Count)
                    acc0 = Term(ref x, ref step, ref code, c, acc0);
                sum = Vector256.Sum(acc0 + acc1);
            }
            for (; c < n; c++)
            {
                float d = Unsafe.Add(ref x, c) - Unsafe.Add(ref step, c) * Unsafe.Add(ref code, c);
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
                byte* start = codes + (long)row * _columns;
                for (int offset = 0; offset < _columns; offset += 64)
                    Sse.Prefetch0(start + offset);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Term(ref float x, ref float step, ref byte code, int c, Vector512<float> acc)
        {
            var q = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref code, (nuint)c)));
            var d = Vector512.LoadUnsafe(ref x, (nuint)c) - Vector512.LoadUnsafe(ref step, (nuint)c) * q;
            return Simd.MultiplyAdd(d, d, acc);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Term(ref float x, ref float step, ref byte code, int c, Vector256<float> acc)
        {
            var q = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref code, c))).AsByte()));
            var d = Vector256.LoadUnsafe(ref x, (nuint)c) - Vector256.LoadUnsafe(ref step, (nuint)c) * q;
            return Simd.MultiplyAdd(d, d, acc);
        }
    }
}
