using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Euclidean distance; ranks by the squared distance and takes the square root only at the end.</summary>
    internal readonly struct EuclideanDistance : IDistance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.SquaredEuclidean(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float ToDistance(float reduced) => MathF.Sqrt(reduced);
    }
}
