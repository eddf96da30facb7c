using System;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// The one place where the configured metric becomes a concrete distance type: every search is generic over
    /// the distance, so the JIT compiles a specialised copy of the hot loops per metric.
    /// </summary>
    internal static class NeighborSearchFactory
    {
        /// <summary>
        /// The neighbour search for <paramref name="data"/> under the configured metric and search mode. Given the
        /// data's neighbour graph (a fitted model's), approximate search answers queries from it without
        /// computing it again.
        /// </summary>
        public static INearestNeighborSearch Create(VectorSet data, UmapParameters parameters, KnnGraph? graph = null) => parameters.Metric switch
        {
            UmapMetric.Euclidean => Create(data, parameters, default(EuclideanDistance), graph),
            UmapMetric.SquaredEuclidean => Create(data, parameters, default(SquaredEuclideanDistance), graph),
            UmapMetric.Cosine => Create(data, parameters, default(CosineDistance), graph),
            UmapMetric.Correlation => Create(data, parameters, default(CorrelationDistance), graph),
            UmapMetric.Manhattan => Create(data, parameters, default(ManhattanDistance), graph),
            UmapMetric.Chebyshev => Create(data, parameters, default(ChebyshevDistance), graph),
            UmapMetric.Minkowski => Create(data, parameters, new MinkowskiDistance((float)parameters.MinkowskiP), graph),
            UmapMetric.Canberra => Create(data, parameters, default(CanberraDistance), graph),
            UmapMetric.BrayCurtis => Create(data, parameters, default(BrayCurtisDistance), graph),
            UmapMetric.Hellinger => Create(data, parameters, default(HellingerDistance), graph),
            UmapMetric.Hamming => Create(data, parameters, default(HammingDistance), graph),
            UmapMetric.Jaccard => Create(data, parameters, default(JaccardDistance), graph),
            UmapMetric.Custom => Create(data, parameters, new CustomDistance(parameters.CustomDistance!), graph), // Validate requires it
            UmapMetric.Precomputed => new PrecomputedDistanceSearch(data, parameters.NumberOfThreads),
            _ => throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Metric, "Unknown metric."),
        };

        private static INearestNeighborSearch Create<TDistance>(VectorSet data, UmapParameters parameters, TDistance distance, KnnGraph? graph)
            where TDistance : struct, IDistance
        {
            if (parameters.UsesExactSearch(data.Count))
                return new ExactNearestNeighbors<TDistance>(data, distance, parameters.NumberOfThreads);
            return new NNDescent<TDistance>(data, distance, parameters.NumberOfThreads, new NNDescentSettings { Seed = parameters.Seed }, graph);
        }
    }
}
