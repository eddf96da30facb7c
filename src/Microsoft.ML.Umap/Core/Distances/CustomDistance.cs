using System;

namespace Microsoft.ML.Umap.Core.Distances
{
    /// <summary>A user's <see cref="UmapDistanceFunction"/> as a metric (reduced distance = distance).</summary>
    internal readonly struct CustomDistance : IDistance
    {
        [ThreadStatic]
        private static float[] t_left;

        [ThreadStatic]
        private static float[] t_right;

        private readonly UmapDistanceFunction _function;

        public CustomDistance(UmapDistanceFunction function) => _function = function ?? throw new ArgumentNullException(nameof(function));

        public float Reduced(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Checked(_function(x, y));

        public float Reduced(ReadOnlySpan<int> xIndices, ReadOnlySpan<float> xValues, ReadOnlySpan<int> yIndices, ReadOnlySpan<float> yValues, int dimension)
        {
            // The function only understands dense vectors: expand both rows into per-thread buffers.
            var left = Buffer(ref t_left, dimension);
            var right = Buffer(ref t_right, dimension);
            Expand(xIndices, xValues, left);
            Expand(yIndices, yValues, right);
            return Checked(_function(left, right));
        }

        public float ToDistance(float reduced) => reduced;

        public float DisconnectionDistance => float.PositiveInfinity;

        public bool IsAngular => false;

        private static float Checked(float distance) =>
            distance >= 0 && float.IsFinite(distance)
                ? distance
                : throw new InvalidOperationException($"The custom distance function returned {distance}; distances must be non-negative finite numbers.");

        private static Span<float> Buffer(ref float[] buffer, int dimension)
        {
            if (buffer is null || buffer.Length < dimension)
                buffer = new float[dimension];
            return buffer.AsSpan(0, dimension);
        }

        private static void Expand(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> dense)
        {
            dense.Clear();
            for (int p = 0; p < indices.Length; p++)
                dense[indices[p]] = values[p];
        }
    }
}
