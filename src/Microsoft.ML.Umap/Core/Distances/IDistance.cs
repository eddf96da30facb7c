using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>
    /// A distance between two vectors of equal length, dense or sparse, written as a struct so that generic search
    /// code is specialised per metric by the JIT (no virtual call in the inner loop).
    /// </summary>
    /// <remarks>
    /// Search ranks points by a <em>reduced</em> distance: any strictly increasing function of the true distance
    /// that is cheaper to compute (for Euclidean, the squared distance). <see cref="ToDistance"/> turns a reduced
    /// distance back into the true one, which is what the fuzzy graph is built from.
    /// </remarks>
    internal interface IDistance
    {
        /// <summary>The reduced distance between two dense vectors.</summary>
        float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

        /// <summary>The reduced distance between two sparse vectors of <paramref name="dimension"/> values (positions ascending).</summary>
        float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension);

        /// <summary>The true distance for a reduced one.</summary>
        float ToDistance(float reduced);

        /// <summary>
        /// For bounded metrics, the distance at which two points count as unrelated: neighbours that far are
        /// dropped from the graph (umap-learn's disconnection_distance). +∞ for unbounded metrics.
        /// </summary>
        float DisconnectionDistance { get; }

        /// <summary>True when only directions matter (cosine, correlation): trees then split by angle.</summary>
        bool IsAngular { get; }
    }

    /// <summary>Applies an <see cref="IDistance"/> to vector views, dense or sparse.</summary>
    internal static class Distance
    {
        /// <summary>The reduced distance between <paramref name="x"/> and <paramref name="y"/>, both dense or both sparse.</summary>
        /// <remarks>Compiled optimised at its first call, like the kernels it dispatches to (see <see cref="DistanceKernels"/>).</remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static float Reduced<TDistance>(in TDistance metric, VectorView x, VectorView y)
            where TDistance : struct, IDistance
        {
            if (x.IsSparse != y.IsSparse)
                throw new ArgumentException("Both vectors must be stored the same way (dense or sparse).");
            return x.IsSparse
                ? metric.Reduced(x.Indices, x.Values, y.Indices, y.Values, x.Dimension)
                : metric.Reduced(x.Values, y.Values);
        }
    }
}
