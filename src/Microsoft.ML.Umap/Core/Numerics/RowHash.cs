using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A stable 64-bit hash of a row's values (the same in every process and on every machine), so it can
    /// both index rows and key random streams. +0 and −0 hash alike, since they compare equal.
    /// </summary>
    internal static class RowHash
    {
        public static ulong Compute(ReadOnlySpan<float> row)
        {
            ulong h = 0x243F6A8885A308D3UL ^ (ulong)row.Length;
            foreach (float v in row)
            {
                uint bits = v == 0f ? 0u : BitConverter.SingleToUInt32Bits(v);
                h = FastRandom.Mix(h ^ bits) + 0x9E3779B97F4A7C15UL;
            }
            return h;
        }
    }
}
