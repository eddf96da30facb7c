using System;
using System.Runtime.CompilerServices;
using System.Numerics;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A small, fast, splittable pseudo-random generator (SplitMix64). It is a value type so hot loops keep
    /// it in registers, and streams are derived from a seed plus integer keys (epoch, vertex, row …) so that
    /// results never depend on which thread processed which item.
    /// </summary>
    internal struct FastRandom
    {
        /// <summary>2^64 / φ, odd: SplitMix64's increment, and the step that spreads consecutive keys across the 64-bit space.</summary>
        public const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;
        private ulong _state;

        /// <summary>Creates a generator from a raw 64-bit state.</summary>
        public FastRandom(ulong state) => _state = state;

        /// <summary>
        /// A generator for the stream identified by <paramref name="seed"/> and the keys. Different key
        /// tuples give statistically independent streams.
        /// </summary>
        public static FastRandom ForStream(ulong seed, ulong key1 = 0, ulong key2 = 0)
        {
            ulong s = Mix(seed + GoldenGamma);
            s = Mix(s ^ (key1 + 0x632BE59BD9B4E019UL));
            s = Mix(s ^ (key2 + 0x85157AF5UL));
            return new FastRandom(s);
        }

        /// <summary>The SplitMix64 finaliser: a bijective 64-bit hash with good avalanche.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Next 64 random bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong NextUInt64()
        {
            _state += GoldenGamma;
            return Mix(_state);
        }

        /// <summary>Moves the stream on by <paramref name="draws"/> 64-bit draws at once (the stream is counter-based).</summary>
        public void Skip(ulong draws) => _state += unchecked(draws * GoldenGamma);

        /// <summary>Next 32 random bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint NextUInt32() => (uint)(NextUInt64() >> 32);

        /// <summary>An integer uniform in [0, <paramref name="exclusiveMax"/>) by Lemire's multiply-shift (no division).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int NextInt(int exclusiveMax) => (int)(((ulong)NextUInt32() * (uint)exclusiveMax) >> 32);

        /// <summary>How far past its count <see cref="FillComplementedIntsPadded"/> may write.</summary>
        public const int FillPadding = 16;

        /// <summary>
        /// Writes <paramref name="count"/> integers uniform in [0, <paramref name="exclusiveMax"/>), bitwise complemented,
        /// at the start of <paramref name="room"/>: the complements of what successive <see cref="NextInt"/> calls would
        /// return. Two vectors of draws at a time where the hardware multiplies 64-bit lanes natively (SplitMix64 is
        /// counter-based, so the outputs are independent and exact integers: the same on every path), so it may write
        /// up to <see cref="FillPadding"/> − 1 values past <paramref name="count"/>, which <paramref name="room"/> must hold.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void FillComplementedIntsPadded(Span<int> room, int count, int exclusiveMax)
        {
            int lanes = Vector<ulong>.Count;
            // Four 64-bit lanes or more: 128-bit vectors have no native 64-bit multiply, and emulating it loses to scalar.
            if (Vector.IsHardwareAccelerated && lanes >= 4 && 2 * lanes <= FillPadding)
            {
                var max = new Vector<ulong>((ulong)(uint)exclusiveMax);
                var first = new Vector<ulong>(_state) + FirstDraws;
                var second = new Vector<ulong>(_state) + SecondDraws;
                var stride = new Vector<ulong>(unchecked(GoldenGamma * (ulong)(2 * lanes)));
                for (int i = 0; i < count; i += 2 * lanes)
                {
                    var draws = Vector.Narrow(Scaled(first, max), Scaled(second, max));
                    (~Vector.AsVectorInt32(draws)).CopyTo(room.Slice(i));
                    first += stride;
                    second += stride;
                }
                _state += unchecked((ulong)count * GoldenGamma);
                return;
            }
            for (int i = 0; i < count; i++)
                room[i] = ~NextInt(exclusiveMax);
        }

        /// <summary>The counter steps of the fill's first two vectors of draws: lane l of the pair holds (l + 1)·γ.</summary>
        private static readonly Vector<ulong> FirstDraws = DrawSteps(0), SecondDraws = DrawSteps(Vector<ulong>.Count);

        private static Vector<ulong> DrawSteps(int first)
        {
            var steps = new ulong[Vector<ulong>.Count];
            for (int l = 0; l < steps.Length; l++)
                steps[l] = unchecked((ulong)(first + l + 1) * GoldenGamma);
            return new Vector<ulong>(steps);
        }

        /// <summary><see cref="Mix"/> of each counter, scaled to [0, max) as <see cref="NextInt"/> does.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector<ulong> Scaled(Vector<ulong> counters, Vector<ulong> max)
        {
            var z = counters;
            z = (z ^ (z >> 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9UL);
            z = (z ^ (z >> 27)) * new Vector<ulong>(0x94D049BB133111EBUL);
            z ^= z >> 31;
            return ((z >> 32) * max) >> 32;
        }

        /// <summary>A float uniform in [0, 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float NextFloat() => (NextUInt32() >> 8) * (1.0f / (1 << 24));

        /// <summary>A double uniform in [0, 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).</summary>
        public double NextGaussian()
        {
            double u1 = 1.0 - NextDouble(); // in (0, 1], so the log is finite
            double u2 = NextDouble();
            return Math.Sqrt(-2.0 * PortableMath.Log(u1)) * PortableMath.CosTurns(u2);
        }
    }
}
