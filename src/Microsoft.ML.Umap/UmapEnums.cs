namespace Microsoft.ML.Umap
{
    /// <summary>The distance measured between input rows (umap-learn's names in brackets).</summary>
    public enum UmapMetric
    {
        /// <summary>Euclidean (L2) distance ["euclidean"].</summary>
        Euclidean = 0,

        /// <summary>Squared Euclidean distance ["sqeuclidean"].</summary>
        SquaredEuclidean = 1,

        /// <summary>1 − cosine similarity ["cosine"]; for text embeddings and other directional data. Bounded by 2.</summary>
        Cosine = 2,

        /// <summary>1 − Pearson correlation of the two vectors' values ["correlation"]. Bounded by 2.</summary>
        Correlation = 3,

        /// <summary>Sum of absolute differences (L1) ["manhattan"].</summary>
        Manhattan = 4,

        /// <summary>Largest absolute difference (L∞) ["chebyshev"].</summary>
        Chebyshev = 5,

        /// <summary>(Σ|x − y|^p)^(1/p) with p = MinkowskiP ["minkowski"].</summary>
        Minkowski = 6,

        /// <summary>Σ|x − y| / (|x| + |y|) ["canberra"].</summary>
        Canberra = 7,

        /// <summary>Σ|x − y| / Σ|x + y| ["braycurtis"].</summary>
        BrayCurtis = 8,

        /// <summary>Hellinger distance between non-negative vectors such as distributions or counts ["hellinger"]. Bounded by 1.</summary>
        Hellinger = 9,

        /// <summary>Fraction of positions that differ ["hamming"].</summary>
        Hamming = 10,

        /// <summary>Jaccard distance between the sets of non-zero positions ["jaccard"]; for binary fingerprints. Bounded by 1.</summary>
        Jaccard = 11,

        /// <summary>The function given as CustomDistance.</summary>
        Custom = 12,

        /// <summary>
        /// The input column already holds distances ["precomputed"]: each training row its distances to every
        /// training row in row order (an n × n matrix: zero diagonal, non-negative, finite), and each row to transform
        /// its distances to the n training rows. Neighbours are read off exactly. For distances no metric here
        /// computes, such as edit distances between strings or distances from a domain model.
        /// </summary>
        Precomputed = 13,
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

        /// <summary>
        /// The rows' top principal components (umap-learn's <c>"pca"</c>), by randomised SVD: fast and
        /// deterministic, and it never densifies sparse data.
        /// </summary>
        Pca = 2,

        /// <summary>Coordinates given as InitialCoordinates (umap-learn's array <c>init</c>).</summary>
        Custom = 3,
    }

    /// <summary>How the k nearest neighbours of every row are found.</summary>
    public enum UmapNeighborSearch
    {
        /// <summary>Exact search below 4,096 rows (as umap-learn and uwot do), approximate above.</summary>
        Auto = 0,

        /// <summary>Brute force: exact, O(n² d); practical up to a few tens of thousands of rows.</summary>
        Exact = 1,

        /// <summary>
        /// NN-descent from a random-projection forest (pynndescent's method, which umap-learn uses): nearly all of the
        /// exact neighbours at a small fraction of the cost (recall in the repository's docs/measurements.md).
        /// </summary>
        Approximate = 2,
    }

    /// <summary>How the labels of a supervised fit are compared (umap-learn's target_metric).</summary>
    public enum UmapTargetMetric
    {
        /// <summary>Labels are classes ["categorical"]; a missing label marks an unlabelled row (semi-supervised).</summary>
        Categorical = 0,

        /// <summary>Labels are numbers compared by distance ["l2"], for regression targets.</summary>
        Euclidean = 1,
    }
}
