using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Euclidean distance √Σ(x − y)²; ranks by the squared distance and takes the root only at the end.</summary>
    internal readonly struct EuclideanDistance : IDistance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.SquaredEuclidean(x, y);

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = new SquaredDifferences();
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return terms.Sum;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float ToDistance(float reduced) => MathF.Sqrt(reduced);

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        /// <summary>Σ(x − y)² over the union of non-zero positions.</summary>
        internal struct SquaredDifferences : ISparseTerms
        {
            public float Sum;

            public void Both(float x, float y) => Sum += (x - y) * (x - y);

            public void OnlyX(float x) => Sum += x * x;

            public void OnlyY(float y) => Sum += y * y;
        }
    }
}
