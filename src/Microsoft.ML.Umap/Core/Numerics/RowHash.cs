using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A stable 64-bit hash of a vector's values (the same in every process and on every machine), so it can both
    /// index rows and key random streams. It hashes the (position, value) pairs of the non-zero values, so a vector
    /// hashes alike stored densely or sparsely, and +0 and −0 alike since they compare equal.
    /// </summary>
    internal static class RowHash
    {
        public static ulong Compute(VectorView vector)
        {
            ulong h = 0x243F6A8885A308D3UL ^ (ulong)vector.Dimension;
            var values = vector.Values;
            for (int p = 0; p < values.Length; p++)
            {
                float v = values[p];
                if (v == 0f)
                    continue;
                int position = vector.IsSparse ? vector.Indices[p] : p;
                h = FastRandom.Mix(h ^ ((ulong)(uint)position << 32 | BitConverter.SingleToUInt32Bits(v))) + FastRandom.GoldenGamma;
            }
            return h;
        }

        /// <summary>True when the two vectors hold the same values at every position, however each is stored.</summary>
        public static bool ValuesEqual(VectorView x, VectorView y)
        {
            if (x.Dimension != y.Dimension)
                return false;
            if (!x.IsSparse && !y.IsSparse)
            {
                for (int d = 0; d < x.Values.Length; d++)
                {
                    if (x.Values[d] != y.Values[d])
                        return false;
                }
                return true;
            }

            // Compare the non-zero (position, value) pairs in order.
            int i = 0, j = 0;
            while (true)
            {
                i = NextNonZero(x, i);
                j = NextNonZero(y, j);
                bool xDone = i >= x.Values.Length, yDone = j >= y.Values.Length;
                if (xDone || yDone)
                    return xDone && yDone;
                if (Position(x, i) != Position(y, j) || x.Values[i] != y.Values[j])
                    return false;
                i++;
                j++;
            }
        }

        private static int NextNonZero(VectorView v, int from)
        {
            while (from < v.Values.Length && v.Values[from] == 0f)
                from++;
            return from;
        }

        private static int Position(VectorView v, int p) => v.IsSparse ? v.Indices[p] : p;
    }
}
