using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>What a sparse distance does with each position where at least one of the two vectors is non-zero.</summary>
    internal interface ISparseTerms
    {
        /// <summary>Both vectors are non-zero at this position.</summary>
        void Both(float x, float y);

        /// <summary>Only the first vector is non-zero here (the second is 0).</summary>
        void OnlyX(float x);

        /// <summary>Only the second vector is non-zero here (the first is 0).</summary>
        void OnlyY(float y);
    }

    /// <summary>
    /// The merge that every sparse distance shares: walks the two sorted position lists once, handing each
    /// position to the metric's terms. Positions where both vectors are zero are skipped, so each metric accounts
    /// for them itself when they matter (Hamming, correlation).
    /// </summary>
    internal static class SparseKernels
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Merge<TTerms>(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, ref TTerms terms)
            where TTerms : struct, ISparseTerms
        {
            int i = 0, j = 0;
            while (i < xIndices.Length && j < yIndices.Length)
            {
                int xi = xIndices[i], yi = yIndices[j];
                if (xi == yi)
                    terms.Both(xValues[i++], yValues[j++]);
                else if (xi < yi)
                    terms.OnlyX(xValues[i++]);
                else
                    terms.OnlyY(yValues[j++]);
            }
            for (; i < xIndices.Length; i++)
                terms.OnlyX(xValues[i]);
            for (; j < yIndices.Length; j++)
                terms.OnlyY(yValues[j]);
        }
    }
}
