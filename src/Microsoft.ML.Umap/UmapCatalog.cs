using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.MlNet;

namespace Microsoft.ML
{
    /// <summary>Adds UMAP to <see cref="MLContext.Transforms"/>.</summary>
    public static class UmapCatalog
    {
        /// <summary>
        /// Creates a <see cref="UmapEstimator"/> that embeds the vectors of <paramref name="inputColumnName"/> into
        /// <paramref name="numberOfComponents"/> dimensions with UMAP, writing them to <paramref name="outputColumnName"/>.
        /// </summary>
        /// <param name="catalog">The transforms catalog.</param>
        /// <param name="outputColumnName">Name of the embedding column to add.</param>
        /// <param name="inputColumnName">Name of the feature column (a vector of <see cref="float"/>); null means the same as <paramref name="outputColumnName"/>.</param>
        /// <param name="numberOfComponents">Dimension of the embedding (umap-learn n_components).</param>
        /// <param name="numberOfNeighbors">Size of the local neighbourhood, the point itself included (n_neighbors).</param>
        /// <param name="minimumDistance">Smallest distance between embedded points (min_dist).</param>
        /// <param name="seed">Seed of every random choice (random_state); null takes one from the <see cref="MLContext"/>, so a context created with a seed gives a reproducible fit.</param>
        /// <example>
        /// <code>
        /// var pipeline = mlContext.Transforms.NormalizeMinMax("Features")
        ///     .Append(mlContext.Transforms.Umap("Embedding", "Features"));
        /// var model = pipeline.Fit(data);
        /// var embedded = model.Transform(data);
        /// </code>
        /// </example>
        public static UmapEstimator Umap(
            this TransformsCatalog catalog,
            string outputColumnName,
            string? inputColumnName = null,
            int numberOfComponents = UmapDefaults.NumberOfComponents,
            int numberOfNeighbors = UmapDefaults.NumberOfNeighbors,
            float minimumDistance = (float)UmapDefaults.MinimumDistance,
            int? seed = null)
            => catalog.Umap(new UmapEstimator.Options
            {
                OutputColumnName = outputColumnName,
                InputColumnName = inputColumnName ?? outputColumnName,
                NumberOfComponents = numberOfComponents,
                NumberOfNeighbors = numberOfNeighbors,
                MinimumDistance = minimumDistance,
                Seed = seed,
            });

        /// <summary>Creates a <see cref="UmapEstimator"/> with every setting given by <paramref name="options"/>.</summary>
        /// <param name="catalog">The transforms catalog.</param>
        /// <param name="options">The settings; see <see cref="UmapEstimator.Options"/>.</param>
        public static UmapEstimator Umap(this TransformsCatalog catalog, UmapEstimator.Options options)
        {
            System.ArgumentNullException.ThrowIfNull(catalog);
            return new UmapEstimator(MlNetInternals.Environment(catalog), options);
        }
    }
}
