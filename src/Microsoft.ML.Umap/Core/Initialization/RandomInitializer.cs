using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>Uniform random coordinates, the umap-learn <c>init="random"</c> layout.</summary>
    internal static class RandomInitializer
    {
        /// <summary>umap-learn draws each coordinate uniformly from [−10, 10].</summary>
        public const float HalfWidth = 10f;

        /// <summary>An n × dim layout with coordinates uniform in [−<paramref name="halfWidth"/>, <paramref name="halfWidth"/>) around <paramref name="center"/> (origin if null).</summary>
        public static RowMatrix Uniform(int n, int dim, ulong seed, float halfWidth = HalfWidth, double[]? center = null)
        {
            var result = new RowMatrix(n, dim);
            var rng = FastRandom.ForStream(seed, 0x52414E44 /* "RAND" */);
            var values = result.Values;
            for (int i = 0; i < values.Length; i++)
            {
                float c = center is null ? 0f : (float)center[i % dim];
                values[i] = c + halfWidth * (2f * rng.NextFloat() - 1f);
            }
            return result;
        }
    }
}
