using System;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// A user-supplied distance between two dense vectors of equal length (<see cref="UmapMetric.Custom"/>). It must
    /// be non-negative, zero for identical vectors, symmetric, deterministic and safe to call from several threads
    /// at once. Sparse input is handed to it densified, two rows at a time.
    /// </summary>
    public delegate float UmapDistanceFunction(ReadOnlySpan<float> x, ReadOnlySpan<float> y);
}
