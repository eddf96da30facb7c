using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// SIMD distance kernels over dense float vectors. Each has one wide path (512-bit where the hardware
    /// runs it natively, else 256-bit; the 512-bit path is a quarter faster on MNIST-wide rows, see
    /// docs/measurements.md) and a scalar tail; results may differ from a plain loop in the last bits because the
    /// summation order differs.
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

        /// <summary>
        /// Up to three sums of per-element terms of <paramref name="x"/> and <paramref name="y"/> in one pass (256-bit
        /// lanes, then a scalar tail): the shared driver of the dense metrics other than Euclidean.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (float A, float B, float C) Sums<TTerms>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, in TTerms terms)
            where TTerms : struct, IDenseTerms
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length;
            int i = 0;
            float a = 0f, b = 0f, c = 0f;
            if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            {
                var va = Vector256<float>.Zero;
                var vb = Vector256<float>.Zero;
                var vc = Vector256<float>.Zero;
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                    terms.Accumulate(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), ref va, ref vb, ref vc);
                a = Vector256.Sum(va);
                b = Vector256.Sum(vb);
                c = Vector256.Sum(vc);
            }
            for (; i < n; i++)
                terms.Accumulate(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i), ref a, ref b, ref c);
            return (a, b, c);
        }

        /// <summary>max |x_i − y_i| (Chebyshev).</summary>
        public static float MaxAbsoluteDifference(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length;
            int i = 0;
            float max = 0f;
            if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            {
                var vmax = Vector256<float>.Zero;
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                    vmax = Vector256.Max(vmax, Vector256.Abs(Vector256.LoadUnsafe(ref px, (nuint)i) - Vector256.LoadUnsafe(ref py, (nuint)i)));
                for (int lane = 0; lane < Vector256<float>.Count; lane++)
                    max = Math.Max(max, vmax.GetElement(lane));
            }
            for (; i < n; i++)
                max = Math.Max(max, Math.Abs(Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i)));
            return max;
        }

        /// <summary>|v|^p per lane (0 for v = 0, p &gt; 0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> AbsolutePower(Vector256<float> v, float p)
        {
#if NET9_0_OR_GREATER
            return Vector256.Exp(Vector256.Create(p) * Vector256.Log(Vector256.Abs(v)));
#else
            var result = Vector256<float>.Zero;
            for (int lane = 0; lane < Vector256<float>.Count; lane++)
                result = result.WithElement(lane, MathF.Pow(Math.Abs(v.GetElement(lane)), p));
            return result;
#endif
        }

        private static void ThrowLengthMismatch() => throw new ArgumentException("The two vectors must have the same length.");
    }

    /// <summary>The per-element terms of a dense metric, for <see cref="DistanceKernels.Sums"/>; unused sums are left alone.</summary>
    internal interface IDenseTerms
    {
        void Accumulate(Vector256<float> x, Vector256<float> y, ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c);

        void Accumulate(float x, float y, ref float a, ref float b, ref float c);
    }
}
