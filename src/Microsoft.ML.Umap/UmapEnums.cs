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

    /// <summary>How the k nearest neighbours of every row are found.</summary>
    public enum UmapNeighborSearch
    {
        /// <summary>Exact search below 4,096 rows (as umap-learn and uwot do), approximate above.</summary>
        Auto = 0,

        /// <summary>Brute force: exact, O(n² d); practical up to a few tens of thousands of rows.</summary>
        Exact = 1,

        /// <summary>
        /// NN-descent from a random-projection forest (pynndescent's method, which umap-learn uses): about 98%
        /// recall at a small fraction of the cost.
        /// </summary>
        Approximate = 2,
    }
}
