using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// SIMD distance kernels over dense float vectors. Each has one wide path (512-bit where the hardware
    /// runs it natively, else 256-bit) and a scalar tail; results may differ from a plain loop in the last
    /// bits because the summation order differs.
    /// </summary>
    internal static class DistanceKernels
    {
        /// <summary>Σ (x_i − y_i)². <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float SquaredEuclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();

            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length;
            int i = 0;
            float sum = 0f;

            if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            {
                var acc0 = Vector512<float>.Zero;
                var acc1 = Vector512<float>.Zero;
                // Two accumulators hide the latency of the dependent fused multiply-adds.
                for (; i <= n - 2 * Vector512<float>.Count; i += 2 * Vector512<float>.Count)
                {
                    var d0 = Vector512.LoadUnsafe(ref px, (nuint)i) - Vector512.LoadUnsafe(ref py, (nuint)i);
                    var d1 = Vector512.LoadUnsafe(ref px, (nuint)(i + Vector512<float>.Count)) - Vector512.LoadUnsafe(ref py, (nuint)(i + Vector512<float>.Count));
                    acc0 = Simd.MultiplyAdd(d0, d0, acc0);
                    acc1 = Simd.MultiplyAdd(d1, d1, acc1);
                }
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    var d = Vector512.LoadUnsafe(ref px, (nuint)i) - Vector512.LoadUnsafe(ref py, (nuint)i);
                    acc0 = Simd.MultiplyAdd(d, d, acc0);
                }
                sum = Vector512.Sum(acc0 + acc1);
            }
            else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            {
                var acc0 = Vector256<float>.Zero;
                var acc1 = Vector256<float>.Zero;
                for (; i <= n - 2 * Vector256<float>.Count; i += 2 * Vector256<float>.Count)
                {
                    var d0 = Vector256.LoadUnsafe(ref px, (nuint)i) - Vector256.LoadUnsafe(ref py, (nuint)i);
                    var d1 = Vector256.LoadUnsafe(ref px, (nuint)(i + Vector256<float>.Count)) - Vector256.LoadUnsafe(ref py, (nuint)(i + Vector256<float>.Count));
                    acc0 = Simd.MultiplyAdd(d0, d0, acc0);
                    acc1 = Simd.MultiplyAdd(d1, d1, acc1);
                }
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var d = Vector256.LoadUnsafe(ref px, (nuint)i) - Vector256.LoadUnsafe(ref py, (nuint)i);
                    acc0 = Simd.MultiplyAdd(d, d, acc0);
                }
                sum = Vector256.Sum(acc0 + acc1);
            }

            for (; i < n; i++)
            {
                float d = Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i);
                sum += d * d;
            }
            return sum;
        }

        private static void ThrowLengthMismatch() => throw new ArgumentException("The two vectors must have the same length.");
    }
}
