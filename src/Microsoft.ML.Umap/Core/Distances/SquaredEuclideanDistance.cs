using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Squared Euclidean distance Σ(x − y)² (umap-learn / pynndescent "sqeuclidean").</summary>
    internal readonly struct SquaredEuclideanDistance : IDistance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.SquaredEuclidean(x, y);

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension) =>
            default(EuclideanDistance).Reduced(xIndices, xValues, yIndices, yValues, dimension);

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;
    }
}
