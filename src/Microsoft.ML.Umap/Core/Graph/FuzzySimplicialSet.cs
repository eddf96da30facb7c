using Microsoft.ML.Umap.Core.Neighbors;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// The fuzzy simplicial set of the data: the symmetric weighted graph UMAP lays out, with the per-point
    /// sigma and rho it was built from.
    /// </summary>
    internal sealed class FuzzySimplicialSet
    {
        private FuzzySimplicialSet(CsrMatrix graph, float[] sigmas, float[] rhos)
        {
            Graph = graph;
            Sigmas = sigmas;
            Rhos = rhos;
        }

        /// <summary>The symmetric membership graph, n × n, weights in (0, 1], no self-loops.</summary>
        public CsrMatrix Graph { get; }

        /// <summary>Per-point sigma (distance scale) from the smooth-kNN search.</summary>
        public float[] Sigmas { get; }

        /// <summary>Per-point rho (local connectivity radius).</summary>
        public float[] Rhos { get; }

        /// <summary>Builds the set from a k-nearest-neighbour graph (rows start with the point itself).</summary>
        public static FuzzySimplicialSet Build(KnnGraph knn, double localConnectivity, double setOperationMixRatio, int threads)
        {
            var (sigmas, rhos) = SmoothKnnDistances.Compute(knn, localConnectivity, threads);
            var directed = MembershipStrengths.Compute(knn, sigmas, rhos);
            var graph = FuzzySetOperations.Symmetrize(directed, setOperationMixRatio);
            return new FuzzySimplicialSet(graph, sigmas, rhos);
        }
    }
}
