using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Initialization;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core
{
    /// <summary>
    /// Runs the UMAP stages on a matrix of finite values: nearest neighbours → fuzzy simplicial set →
    /// initial layout → layout optimisation.
    /// </summary>
    internal static class UmapFitter
    {
        /// <summary>Embeds the rows of <paramref name="data"/>. Values must be finite (the caller validates them).</summary>
        public static UmapFitResult Fit(RowMatrix data, UmapParameters parameters, FitMonitor monitor, SupervisionTarget target = null) =>
            Fit(new DenseVectorSet(data), parameters, monitor, target);

        /// <summary>
        /// Embeds the rows of <paramref name="data"/>, dense or sparse (values must be finite), steered by
        /// <paramref name="target"/> labels when given.
        /// </summary>
        public static UmapFitResult Fit(VectorSet data, UmapParameters parameters, FitMonitor monitor, SupervisionTarget target = null)
        {
            parameters.Validate();
            int n = data.Count;
            int dim = parameters.NumberOfComponents;
            int threads = parameters.NumberOfThreads;
            if (n == 0)
                throw new InvalidOperationException("UMAP needs at least one row to fit; the input has none.");
            if (parameters.Metric == UmapMetric.Custom && data.IsSparse && data.Dimension > UmapLimits.MaximumCustomDistanceSparseWidth)
                throw new NotSupportedException($"A custom distance takes dense vectors, so on this sparse column of {data.Dimension:N0} slots every distance would expand both rows to {data.Dimension:N0} values. Custom distances work on sparse columns of up to {UmapLimits.MaximumCustomDistanceSparseWidth:N0} slots; use a built-in metric (they read only the non-zeros) or reduce the column's width.");

            var (a, b) = parameters.A is double givenA && parameters.B is double givenB
                ? (givenA, givenB)
                : FitCurve(parameters);

            int k = parameters.NumberOfNeighbors;
            if (n < k)
            {
                monitor.Warning($"NumberOfNeighbors ({k}) is larger than the number of rows ({n}); every row's neighbourhood is the whole data set (k = {n}).");
                k = n;
            }

            KnnGraph knn;
            INearestNeighborSearch search = NeighborSearchFactory.Create(data, parameters);
            string method = parameters.UsesExactSearch(n) ? "exact search" : "NN-descent";
            using (monitor.Stage(UmapStage.Neighbors, $"Finding the {k - 1} nearest neighbours of {n} rows ({method})"))
            {
                knn = search.ComputeGraph(k, monitor);
                Disconnect(knn, search.DisconnectionDistance, monitor);
                monitor.Finish(UmapStage.Neighbors); // NN-descent may converge before its last round
            }

            if (target != null && target.Count != n)
                throw new ArgumentException($"There are {target.Count} labels for {n} rows.", nameof(target));
            // The graph is built from these; the model keeps the unconstrained ones, which new rows are searched in.
            KnnGraph graphNeighbors = knn;
            if (parameters.NeighborsWithinLabel)
            {
                if (target?.Classes is null)
                    throw new ArgumentException("NeighborsWithinLabel needs categorical labels.", nameof(target));
                using (monitor.Stage(UmapStage.Neighbors, "Finding each labelled row's nearest neighbours within its label"))
                {
                    graphNeighbors = SameLabelNeighbors.Restrict(data, knn, target.Classes, parameters, monitor);
                    Disconnect(graphNeighbors, search.DisconnectionDistance, monitor);
                }
            }

            FuzzySimplicialSet fuzzy;
            CsrMatrix graph;
            int epochs = parameters.EpochsFor(n);
            using (monitor.Stage(UmapStage.Graph, "Building the fuzzy simplicial set"))
            {
                monitor.Report(UmapStage.Graph, 0, 1);
                monitor.ThrowIfCancellationRequested();
                fuzzy = FuzzySimplicialSet.Build(graphNeighbors, parameters.LocalConnectivity, parameters.SetOperationMixRatio, threads);
                graph = fuzzy.Graph;
                if (target != null)
                {
                    graph = target.Classes != null
                        ? TargetGraph.IntersectCategorical(graph, target.Classes, parameters.TargetWeight)
                        : TargetGraph.IntersectNumeric(graph, target.Values, parameters.TargetNumberOfNeighbors ?? parameters.NumberOfNeighbors, parameters.TargetWeight, threads, monitor);
                }
                graph = EdgeSampling.Prune(graph, epochs, parameters.DefaultEpochsFor(n));
                monitor.Finish(UmapStage.Graph);
            }

            RowMatrix embedding;
            UmapInitialization initialization;
            using (monitor.Stage(UmapStage.Initialization, $"Initialising the layout ({parameters.Initialization})"))
            {
                monitor.Report(UmapStage.Initialization, 0, 1);
                (embedding, initialization) = Initialize(data, graph, parameters, search, monitor);
                FiniteLayout.Check(embedding, UmapStage.Initialization);
                monitor.Finish(UmapStage.Initialization);
            }

            using (monitor.Stage(UmapStage.Layout, $"Optimising the layout for {epochs} epochs{(parameters.Density is null ? "" : " with densMAP")}"))
            {
                monitor.Report(UmapStage.Layout, 0, epochs);
                var density = parameters.Density is null ? null : DensityRegularization.Create(graph, graphNeighbors, parameters.Density, a, b, threads);
                var settings = new LayoutSettings
                {
                    Epochs = epochs,
                    A = a,
                    B = b,
                    RepulsionStrength = parameters.RepulsionStrength,
                    LearningRate = parameters.LearningRate,
                    NegativeSampleRate = parameters.NegativeSampleRate,
                    Seed = parameters.Seed,
                    Threads = threads,
                    Density = density,
                };
                LayoutOptimizer.Optimize(embedding, graph, settings, monitor);
                FiniteLayout.Check(embedding, UmapStage.Layout);
                monitor.Finish(UmapStage.Layout);
            }

            var durations = new TimeSpan[Enum.GetValues<UmapStage>().Length];
            foreach (UmapStage stage in Enum.GetValues<UmapStage>())
                durations[(int)stage] = monitor.Duration(stage);
            return new UmapFitResult
            {
                Embedding = embedding,
                A = a,
                B = b,
                Epochs = epochs,
                NeighborsUsed = k,
                InitializationUsed = initialization,
                Neighbors = knn,
                FuzzySet = fuzzy,
                StageDurations = durations,
            };
        }

        /// <summary>(a, b) from MinimumDistance and Spread, unless both are given.</summary>
        public static (double A, double B) FitCurve(UmapParameters parameters)
        {
            var (a, b) = CurveFit.FindAB(parameters.Spread, parameters.MinimumDistance);
            return (parameters.A ?? a, parameters.B ?? b);
        }

        /// <summary>
        /// Drops neighbours at or beyond the metric's disconnection distance (bounded metrics only), as umap-learn
        /// does: at the metric's maximum two points share nothing, and an edge between them would only add noise.
        /// </summary>
        private static void Disconnect(KnnGraph knn, float disconnectionDistance, FitMonitor monitor)
        {
            if (float.IsPositiveInfinity(disconnectionDistance))
                return;
            long dropped = 0;
            for (int i = 0; i < knn.Indices.Length; i++)
            {
                if (knn.Indices[i] >= 0 && knn.Distances[i] >= disconnectionDistance)
                {
                    knn.Indices[i] = -1;
                    knn.Distances[i] = float.PositiveInfinity;
                    dropped++;
                }
            }
            if (dropped > 0)
                monitor.Warning($"{dropped} nearest-neighbour pairs were at the metric's maximum distance ({disconnectionDistance}) and were disconnected; rows left with no neighbours keep their initial position.");
        }

        private static (RowMatrix Layout, UmapInitialization Used) Initialize(VectorSet data, CsrMatrix graph, UmapParameters parameters, INearestNeighborSearch search, FitMonitor monitor)
        {
            int n = data.Count;
            int dim = parameters.NumberOfComponents;
            RowMatrix layout = null;
            var used = parameters.Initialization;
            switch (used)
            {
                case UmapInitialization.Spectral:
                    // As umap-learn does for tiny components: too few points for dim non-trivial eigenvectors.
                    if (n < 2 * dim || n <= dim + 1)
                    {
                        monitor.Info($"Too few rows ({n}) for a {dim}-dimensional spectral layout; using a random layout.");
                        break;
                    }
                    var spectral = new SpectralInitializer(dim, parameters.Seed, parameters.NumberOfThreads, monitor);
                    var raw = spectral.Layout(graph, data, (x, y) => search.Measure(x, y));
                    if (raw != null)
                        layout = LayoutScaling.ExpandWithNoise(raw, n, dim, parameters.Seed);
                    break;
                case UmapInitialization.Pca:
                    layout = LayoutScaling.ExpandWithNoise(PcaInitializer.Layout(data, dim, parameters.Seed, parameters.NumberOfThreads), n, dim, parameters.Seed);
                    break;
                case UmapInitialization.Custom:
                    if (parameters.InitialCoordinates is null)
                        throw new ArgumentOutOfRangeException(nameof(UmapParameters.InitialCoordinates), "InitialCoordinates must be given when Initialization is Custom.");
                    if (parameters.InitialCoordinates.Rows != n)
                        throw new ArgumentException($"InitialCoordinates has {parameters.InitialCoordinates.Rows} rows but the data has {n}.", nameof(parameters));
                    layout = CustomInitializer.Layout(parameters.InitialCoordinates, parameters.Seed, parameters.NumberOfThreads);
                    break;
            }

            if (layout is null)
            {
                used = UmapInitialization.Random;
                layout = RandomInitializer.Uniform(n, dim, parameters.Seed);
            }

            LayoutScaling.RescaleToBox(layout);
            return (layout, used);
        }

    }
}
