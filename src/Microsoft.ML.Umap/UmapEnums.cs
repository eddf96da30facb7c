namespace Microsoft.ML.Umap
{
    /// <summary>The distance measured between input rows.</summary>
    public enum UmapMetric
    {
        /// <summary>Euclidean (L2) distance, umap-learn's <c>"euclidean"</c>.</summary>
        Euclidean = 0,
    }

    /// <summary>How the layout is initialised before optimisation.</summary>
    public enum UmapInitialization
    {
        /// <summary>
        /// Eigenvectors of the normalised Laplacian of the fuzzy graph (umap-learn's default
        /// <c>"spectral"</c>); disconnected graphs are laid out per component.
        /// </summary>
        Spectral = 0,

        /// <summary>Uniform random coordinates (umap-learn's <c>"random"</c>).</summary>
        Random = 1,
    }
}
