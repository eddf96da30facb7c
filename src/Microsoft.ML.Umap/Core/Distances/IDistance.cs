using System;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// A distance between two dense vectors of equal length, written as a struct so that generic search code
    /// is specialised per metric by the JIT (no virtual call in the inner loop).
    /// </summary>
    /// <remarks>
    /// Search ranks points by a <em>reduced</em> distance: any strictly increasing function of the true
    /// distance that is cheaper to compute (for Euclidean, the squared distance). <see cref="ToDistance"/>
    /// turns a reduced distance back into the true one, which is what the fuzzy graph is built from.
    /// </remarks>
    internal interface IDistance
    {
        /// <summary>The reduced distance between <paramref name="x"/> and <paramref name="y"/>.</summary>
        float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

        /// <summary>The true distance for a reduced one.</summary>
        float ToDistance(float reduced);
    }
}
