using System;
using System.Buffers;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>A user's <see cref="UmapDistanceFunction"/> as a metric (reduced distance = distance).</summary>
    internal readonly struct CustomDistance : IDistance
    {
        private readonly UmapDistanceFunction _function;

        public CustomDistance(UmapDistanceFunction function) => _function = function ?? throw new ArgumentNullException(nameof(function));

        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Checked(_function(x, y));

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            // The function only understands dense vectors: both rows are expanded into pooled buffers for the call.
            var left = ArrayPool<float>.Shared.Rent(dimension);
            var right = ArrayPool<float>.Shared.Rent(dimension);
            try
            {
                Expand(xIndices, xValues, left.AsSpan(0, dimension));
                Expand(yIndices, yValues, right.AsSpan(0, dimension));
                return Checked(_function(left.AsSpan(0, dimension), right.AsSpan(0, dimension)));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(left);
                ArrayPool<float>.Shared.Return(right);
            }
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        private static float Checked(float distance) =>
            distance >= 0 && float.IsFinite(distance)
                ? distance
                : throw new InvalidOperationException($"The custom distance function returned {distance}; distances must be non-negative finite numbers.");

        private static void Expand(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> dense)
        {
            dense.Clear();
            for (int p = 0; p < indices.Length; p++)
                dense[indices[p]] = values[p];
        }
    }
}
