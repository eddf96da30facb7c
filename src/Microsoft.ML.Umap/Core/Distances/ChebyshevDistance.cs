using System;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>Chebyshev (L∞) distance max|x − y|.</summary>
    internal readonly struct ChebyshevDistance : IDistance
    {
        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.MaxAbsoluteDifference(x, y);

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            var terms = default(Terms);
            SparseKernels.Merge(xIndices, xValues, yIndices, yValues, ref terms);
            return terms.Max;
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        private struct Terms : ISparseTerms
        {
            public float Max;

            public void Both(float x, float y) => Max = Math.Max(Max, Math.Abs(x - y));

            public void OnlyX(float x) => Max = Math.Max(Max, Math.Abs(x));

            public void OnlyY(float y) => Max = Math.Max(Max, Math.Abs(y));
        }
    }
}
