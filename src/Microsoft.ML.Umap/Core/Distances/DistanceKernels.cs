using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// The dense reductions behind every metric: one generic implementation each, compiled for the widest vectors
    /// the machine runs, adding its terms in <see cref="LaneSums"/>' one order so that every width gives the same bits.
    /// </summary>
    /// <remarks>
    /// Fewer terms than <see cref="LaneSums.Partials"/> are added one by one. From sixteen on, term i goes to partial
    /// sum i mod 16, except the last n mod 16 terms, which are read as the last sixteen values (overlapping the previous
    /// block) with the lanes already counted masked off, so term i goes to partial sum i − (n − 16).
    /// <para>
    /// The lane implementations and the width dispatchers above them are compiled optimised at their first call as
    /// well as inlined where the caller is optimised: the package's precompiled image cannot hold code that depends on
    /// the vector width, and unoptimised it would run a first fit's neighbour search with every lane operation and
    /// every dispatch a call (figures in docs/measurements.md).
    /// </para>
    /// </remarks>
    internal static class DistanceKernels
    {
        private const int Partials = LaneSums.Partials;

        /// <summary>Σ (x_i − y_i)². <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static float SquaredEuclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
            Vector512.IsHardwareAccelerated ? SquaredEuclidean<Lanes512>(x, y)
            : Vector256.IsHardwareAccelerated ? SquaredEuclidean<Lanes256>(x, y)
            : Vector128.IsHardwareAccelerated ? SquaredEuclidean<Lanes128>(x, y)
            : SquaredEuclidean<SoftwareLanes>(x, y);

        /// <summary>
        /// <see cref="SquaredEuclidean(ReadOnlySpan{float}, ReadOnlySpan{float})"/> in lanes of <typeparamref name="TLanes"/>.
        /// Whole blocks of 32 go to two sets of sixteen partial sums (two chains of additions, whose latency would
        /// otherwise bound the widest vectors), added together before the rest.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        internal static float SquaredEuclidean<TLanes>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
            where TLanes : struct, IWideLanes<TLanes>
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length;
            if (n < Partials)
            {
                float sum = 0f;
                for (int j = 0; j < n; j++)
                {
                    float d = Unsafe.Add(ref px, j) - Unsafe.Add(ref py, j);
                    sum += d * d;
                }
                return sum;
            }

            int w = TLanes.Count;
            TLanes a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero, a3 = TLanes.Zero;
            TLanes b0 = TLanes.Zero, b1 = TLanes.Zero, b2 = TLanes.Zero, b3 = TLanes.Zero;
            int i = 0;
            for (; i + 2 * Partials <= n; i += 2 * Partials)
            {
                a0 += Square<TLanes>(ref px, ref py, i);
                b0 += Square<TLanes>(ref px, ref py, i + Partials);
                if (w <= 8)
                {
                    a1 += Square<TLanes>(ref px, ref py, i + w);
                    b1 += Square<TLanes>(ref px, ref py, i + Partials + w);
                }
                if (w == 4)
                {
                    a2 += Square<TLanes>(ref px, ref py, i + 8);
                    a3 += Square<TLanes>(ref px, ref py, i + 12);
                    b2 += Square<TLanes>(ref px, ref py, i + Partials + 8);
                    b3 += Square<TLanes>(ref px, ref py, i + Partials + 12);
                }
            }
            a0 += b0;
            a1 += b1;
            a2 += b2;
            a3 += b3;
            if (i + Partials <= n)
            {
                a0 += Square<TLanes>(ref px, ref py, i);
                if (w <= 8)
                    a1 += Square<TLanes>(ref px, ref py, i + w);
                if (w == 4)
                {
                    a2 += Square<TLanes>(ref px, ref py, i + 8);
                    a3 += Square<TLanes>(ref px, ref py, i + 12);
                }
                i += Partials;
            }
            if (i < n)
            {
                // The last sixteen values, the lanes before firstNew already counted.
                int last = n - Partials, firstNew = i - last;
                a0 += Square<TLanes>(ref px, ref py, last) & LaneSums.NewLanes<TLanes>(0, firstNew);
                if (w <= 8)
                    a1 += Square<TLanes>(ref px, ref py, last + w) & LaneSums.NewLanes<TLanes>(w, firstNew);
                if (w == 4)
                {
                    a2 += Square<TLanes>(ref px, ref py, last + 8) & LaneSums.NewLanes<TLanes>(8, firstNew);
                    a3 += Square<TLanes>(ref px, ref py, last + 12) & LaneSums.NewLanes<TLanes>(12, firstNew);
                }
            }
            return TLanes.Total(a0, a1, a2, a3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TLanes Square<TLanes>(ref float x, ref float y, int at)
            where TLanes : struct, ILanes<TLanes>
        {
            var d = TLanes.Load(ref x, (nuint)at) - TLanes.Load(ref y, (nuint)at);
            return d * d;
        }

        /// <summary>
        /// Up to three sums of per-element terms of <paramref name="x"/> and <paramref name="y"/> in one pass: the shared
        /// driver of the dense metrics other than Euclidean.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static (float A, float B, float C) Sums<TTerms>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, in TTerms terms)
            where TTerms : struct, IDenseTerms =>
            Vector512.IsHardwareAccelerated ? Sums<TTerms, Lanes512>(x, y, in terms)
            : Vector256.IsHardwareAccelerated ? Sums<TTerms, Lanes256>(x, y, in terms)
            : Vector128.IsHardwareAccelerated ? Sums<TTerms, Lanes128>(x, y, in terms)
            : Sums<TTerms, SoftwareLanes>(x, y, in terms);

        /// <summary><see cref="Sums{TTerms}(ReadOnlySpan{float}, ReadOnlySpan{float}, in TTerms)"/> in lanes of <typeparamref name="TLanes"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        internal static (float A, float B, float C) Sums<TTerms, TLanes>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, in TTerms terms)
            where TTerms : struct, IDenseTerms
            where TLanes : struct, IWideLanes<TLanes>
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length;
            if (n < Partials)
            {
                OneLane a = default, b = default, c = default;
                for (int j = 0; j < n; j++)
                    terms.Accumulate(OneLane.Load(ref px, (nuint)j), OneLane.Load(ref py, (nuint)j), ref a, ref b, ref c);
                return (a.Value, b.Value, c.Value);
            }

            int w = TLanes.Count;
            var a0 = default(Three<TLanes>);
            var a1 = default(Three<TLanes>);
            var a2 = default(Three<TLanes>);
            var a3 = default(Three<TLanes>);
            int i = 0;
            for (; i + Partials <= n; i += Partials)
            {
                a0.Add(in terms, ref px, ref py, i);
                if (w <= 8)
                    a1.Add(in terms, ref px, ref py, i + w);
                if (w == 4)
                {
                    a2.Add(in terms, ref px, ref py, i + 8);
                    a3.Add(in terms, ref px, ref py, i + 12);
                }
            }
            if (i < n)
            {
                int last = n - Partials, firstNew = i - last;
                a0.AddMasked(in terms, ref px, ref py, last, LaneSums.NewLanes<TLanes>(0, firstNew));
                if (w <= 8)
                    a1.AddMasked(in terms, ref px, ref py, last + w, LaneSums.NewLanes<TLanes>(w, firstNew));
                if (w == 4)
                {
                    a2.AddMasked(in terms, ref px, ref py, last + 8, LaneSums.NewLanes<TLanes>(8, firstNew));
                    a3.AddMasked(in terms, ref px, ref py, last + 12, LaneSums.NewLanes<TLanes>(12, firstNew));
                }
            }
            // The sums the terms leave alone are not totalled: less code, which keeps the inliner within its budget
            // where the callers are large (docs/measurements.md).
            return (TLanes.Total(a0.A, a1.A, a2.A, a3.A),
                TTerms.SumCount > 1 ? TLanes.Total(a0.B, a1.B, a2.B, a3.B) : 0f,
                TTerms.SumCount > 2 ? TLanes.Total(a0.C, a1.C, a2.C, a3.C) : 0f);
        }

        /// <summary>The three sums of one vector's worth of the sixteen partial sums.</summary>
        private struct Three<TLanes>
            where TLanes : struct, ILanes<TLanes>
        {
            public TLanes A, B, C;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Add<TTerms>(in TTerms terms, ref float x, ref float y, int at)
                where TTerms : struct, IDenseTerms =>
                terms.Accumulate(TLanes.Load(ref x, (nuint)at), TLanes.Load(ref y, (nuint)at), ref A, ref B, ref C);

            /// <summary>Adds the terms of the lanes set in <paramref name="mask"/>, computed apart from zero sums.</summary>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void AddMasked<TTerms>(in TTerms terms, ref float x, ref float y, int at, TLanes mask)
                where TTerms : struct, IDenseTerms
            {
                TLanes a = TLanes.Zero, b = TLanes.Zero, c = TLanes.Zero;
                terms.Accumulate(TLanes.Load(ref x, (nuint)at), TLanes.Load(ref y, (nuint)at), ref a, ref b, ref c);
                A += a & mask;
                if (TTerms.SumCount > 1)
                    B += b & mask;
                if (TTerms.SumCount > 2)
                    C += c & mask;
            }
        }

        /// <summary>Σ x_i y_i.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Sums(x, y, default(DotTerms)).A;

        /// <summary>max |x_i − y_i| (Chebyshev): exact in any order, so only the loop is shared.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static float MaxAbsoluteDifference(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
            Vector512.IsHardwareAccelerated ? MaxAbsoluteDifference<Lanes512>(x, y)
            : Vector256.IsHardwareAccelerated ? MaxAbsoluteDifference<Lanes256>(x, y)
            : Vector128.IsHardwareAccelerated ? MaxAbsoluteDifference<Lanes128>(x, y)
            : MaxAbsoluteDifference<SoftwareLanes>(x, y);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static float MaxAbsoluteDifference<TLanes>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
            where TLanes : struct, ILanes<TLanes>
        {
            if (x.Length != y.Length)
                ThrowLengthMismatch();
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int n = x.Length, w = TLanes.Count;
            float max = 0f;
            if (n >= w)
            {
                var lanes = TLanes.Zero;
                // The last vector overlaps the one before: a value seen twice changes no maximum.
                for (int i = 0; i < n; i += w)
                {
                    int at = Math.Min(i, n - w);
                    lanes = TLanes.Max(lanes, TLanes.Abs(TLanes.Load(ref px, (nuint)at) - TLanes.Load(ref py, (nuint)at)));
                }
                for (int lane = 0; lane < w; lane++)
                    max = Math.Max(max, TLanes.Lane(lanes, lane));
                return max;
            }
            for (int i = 0; i < n; i++)
                max = Math.Max(max, Math.Abs(Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i)));
            return max;
        }

        private static void ThrowLengthMismatch() => throw new ArgumentException("The two vectors must have the same length.");

        internal struct DotTerms : IDenseTerms
        {
            public static int SumCount => 1;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
                where TLanes : struct, ILanes<TLanes> => a += x * y;
        }
    }

    /// <summary>
    /// The per-element terms of a dense metric, for <see cref="DistanceKernels.Sums{TTerms}"/>, written once over lanes;
    /// unused sums are left alone.
    /// </summary>
    internal interface IDenseTerms
    {
        /// <summary>How many of the sums a, b, c (in that order) the terms add to; the others are reported as 0.</summary>
        static abstract int SumCount { get; }

        void Accumulate<TLanes>(TLanes x, TLanes y, ref TLanes a, ref TLanes b, ref TLanes c)
            where TLanes : struct, ILanes<TLanes>;
    }
}
