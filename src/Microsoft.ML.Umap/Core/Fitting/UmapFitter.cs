using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Initialization;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>
    /// Runs the UMAP stages on a matrix of finite values: nearest neighbours → fuzzy simplicial set →
    /// initial layout → layout optimisation, and returns the fitted model.
    /// </summary>
    internal static class UmapFitter
    {
        /// <summary>Embeds the rows of <paramref name="data"/>. Values must be finite (the caller validates them).</summary>
        public static UmapFit Fit(RowMatrix data, UmapParameters parameters, FitMonitor monitor, SupervisionTarget? target = null) =>
            Fit(new DenseVectorSet(data), parameters, monitor, target);

        /// <summary>
        /// Embeds the rows of <paramref name="data"/>, dense or sparse (values must be finite), steered by
        /// <paramref name="target"/> labels when given.
        /// </summary>
        /// <param name="data">The rows to embed.</param>
        /// <param name="parameters">The settings.</param>
        /// <param name="monitor">Progress, messages and cancellation.</param>
        /// <param name="target">Labels of a supervised fit.</param>
        /// <param name="precomputedNeighbors">The rows' k-NN graph (k = <see cref="NeighborsUsed"/>), validated, used instead of a search.</param>
        public static UmapFit Fit(VectorSet data, UmapParameters parameters, FitMonitor monitor, SupervisionTarget? target = null, KnnGraph? precomputedNeighbors = null)
        {
            CheckInputs(data, parameters, target);
            var (a, b) = parameters.A is double givenA && parameters.B is double givenB ? (givenA, givenB) : FitCurve(parameters);
            int k = NeighborsUsed(data.Count, parameters, monitor);
            int epochs = parameters.EpochsFor(data.Count);
            if (precomputedNeighbors != null && (precomputedNeighbors.PointCount != data.Count || precomputedNeighbors.NeighborCount != k))
                throw new ArgumentException($"The precomputed neighbour graph is {precomputedNeighbors.PointCount} × {precomputedNeighbors.NeighborCount}; the fit needs {data.Count} × {k}.", nameof(precomputedNeighbors));

            var search = NeighborSearchFactory.Create(data, parameters);
            StageGarbage.Collect(data.Count);
            var (knn, graphNeighbors) = FindNeighbors(data, parameters, search, k, target, precomputedNeighbors, monitor);
            StageGarbage.Collect(data.Count);
            var (fuzzy, graph) = BuildGraph(data.Count, graphNeighbors, parameters, epochs, target, monitor);
            StageGarbage.Collect(data.Count);
            var (embedding, initialization) = InitializeLayout(data, graph, parameters, search, monitor);
            StageGarbage.Collect(data.Count);
            OptimizeLayout(embedding, graph, graphNeighbors, parameters, a, b, epochs, monitor);

            var summary = new FitSummary(a, b, epochs, k, initialization);
            var model = new UmapModel(parameters, summary, data, embedding, knn);
            return new UmapFit(model, fuzzy, monitor.Durations());
        }

        /// <summary>(a, b) from MinimumDistance and Spread, unless both are given.</summary>
        public static (double A, double B) FitCurve(UmapParameters parameters)
        {
            var (a, b) = CurveFit.FindAB(parameters.Spread, parameters.MinimumDistance);
            return (parameters.A ?? a, parameters.B ?? b);
        }

        private static void CheckInputs(VectorSet data, UmapParameters parameters, SupervisionTarget? target)
        {
            parameters.Validate();
            if (data.Count == 0)
                throw new InvalidOperationException("UMAP needs at least one row to fit; the input has none.");
            if (parameters.Metric == UmapMetric.Custom && data.IsSparse && data.Dimension > UmapLimits.MaximumCustomDistanceSparseWidth)
                throw new NotSupportedException($"A custom distance takes dense vectors, so on this sparse column of {data.Dimension:N0} slots every distance would expand both rows to {data.Dimension:N0} values. Custom distances work on sparse columns of up to {UmapLimits.MaximumCustomDistanceSparseWidth:N0} slots; use a built-in metric (they read only the non-zeros) or reduce the column's width.");
            if (target != null && target.Count != data.Count)
                throw new ArgumentException($"There are {target.Count} labels for {data.Count} rows.", nameof(target));
            if (parameters.Metric == UmapMetric.Precomputed && PrecomputedDistanceSearch.Violation(data) is string violation)
                throw new InvalidOperationException("The distance matrix" + violation + ".");
            if (parameters.Metric == UmapMetric.Precomputed && parameters.NeighborsWithinLabel)
                throw new NotSupportedException("NeighborsWithinLabel searches each label's rows among themselves, which a precomputed distance matrix over all rows does not support; drop one of the two.");
            if (parameters.NeighborsWithinLabel && target?.Classes is null)
                throw new ArgumentException("NeighborsWithinLabel needs categorical labels.", nameof(target));
        }

        /// <summary>NumberOfNeighbors, or every row when there are fewer (with a warning).</summary>
        private static int NeighborsUsed(int n, UmapParameters parameters, FitMonitor monitor)
        {
            int k = parameters.NumberOfNeighbors;
            if (n >= k)
                return k;
            monitor.Warning($"NumberOfNeighbors ({k}) is larger than the number of rows ({n}); every row's neighbourhood is the whole data set (k = {n}).");
            return n;
        }

        /// <summary>
        /// Each row's k nearest neighbours (kept by the model, which searches new rows among them), and the neighbours
        /// the graph is built from: the same, or within labels for <see cref="UmapParameters.NeighborsWithinLabel"/>.
        /// </summary>
        private static (KnnGraph Knn, KnnGraph GraphNeighbors) FindNeighbors(
            VectorSet data, UmapParameters parameters, INearestNeighborSearch search, int k, SupervisionTarget? target, KnnGraph? precomputed, FitMonitor monitor)
        {
            int n = data.Count;
            string method = precomputed != null ? "precomputed" : parameters.UsesExactSearch(n) ? "exact search" : "NN-descent";
            KnnGraph knn;
            using (monitor.Stage(UmapStage.Neighbors, $"Finding the {k - 1} nearest neighbours of {n} rows ({method})"))
            {
                knn = precomputed ?? search.ComputeGraph(k, monitor);
                Disconnect(knn, search.DisconnectionDistance, monitor);
                monitor.Finish(UmapStage.Neighbors); // NN-descent may converge before its last round
            }
            if (!parameters.NeighborsWithinLabel)
                return (knn, knn);

            using (monitor.Stage(UmapStage.Neighbors, "Finding each labelled row's nearest neighbours within its label"))
            {
                var within = SameLabelNeighbors.Restrict(data, knn, target!.Classes!, parameters, monitor); // checked by CheckInputs
                Disconnect(within, search.DisconnectionDistance, monitor);
                return (knn, within);
            }
        }

        /// <summary>The fuzzy simplicial set, intersected with the labels' graph when supervised, and pruned for the epochs.</summary>
        private static (FuzzySimplicialSet Fuzzy, CsrMatrix Graph) BuildGraph(
            int n, KnnGraph neighbors, UmapParameters parameters, int epochs, SupervisionTarget? target, FitMonitor monitor)
        {
            using (monitor.Stage(UmapStage.Graph, "Building the fuzzy simplicial set"))
            {
                monitor.Report(UmapStage.Graph, 0, 1);
                monitor.ThrowIfCancellationRequested();
                int threads = parameters.NumberOfThreads;
                var fuzzy = FuzzySimplicialSet.Build(neighbors, parameters.LocalConnectivity, parameters.SetOperationMixRatio, threads);
                var graph = fuzzy.Graph;
                if (target != null)
                {
                    graph = target.Classes != null
                        ? TargetGraph.IntersectCategorical(graph, target.Classes, parameters.TargetWeight)
                        : TargetGraph.IntersectNumeric(graph, target.Values!, parameters.TargetNumberOfNeighbors ?? parameters.NumberOfNeighbors, parameters.TargetWeight, threads, monitor);
                }
                graph = EdgeSchedule.Prune(graph, epochs, parameters.DefaultEpochsFor(n));
                monitor.Finish(UmapStage.Graph);
                return (fuzzy, graph);
            }
        }

        private static (RowMatrix Layout, UmapInitialization Used) InitializeLayout(
            VectorSet data, CsrMatrix graph, UmapParameters parameters, INearestNeighborSearch search, FitMonitor monitor)
        {
            using (monitor.Stage(UmapStage.Initialization, $"Initialising the layout ({parameters.Initialization})"))
            {
                monitor.Report(UmapStage.Initialization, 0, 1);
                var (embedding, used) = Initialize(data, graph, parameters, search, monitor);
                FiniteLayout.Check(embedding, UmapStage.Initialization);
                monitor.Finish(UmapStage.Initialization);
                return (embedding, used);
            }
        }

        internal static void OptimizeLayout(
            RowMatrix embedding, CsrMatrix graph, KnnGraph neighbors, UmapParameters parameters, double a, double b, int epochs, FitMonitor monitor)
        {
            using (monitor.Stage(UmapStage.Layout, $"Optimising the layout for {epochs} epochs{(parameters.Density is null ? "" : " with densMAP")}"))
            {
                monitor.Report(UmapStage.Layout, 0, epochs);
                var settings = new LayoutSettings
                {
                    Epochs = epochs,
                    A = a,
                    B = b,
                    RepulsionStrength = parameters.RepulsionStrength,
                    LearningRate = parameters.LearningRate,
                    NegativeSampleRate = parameters.NegativeSampleRate,
                    Seed = parameters.Seed,
                    Threads = parameters.NumberOfThreads,
                    Density = parameters.Density is null ? null : DensityRegularization.Create(graph, neighbors, parameters.Density, a, b, parameters.NumberOfThreads),
                };
                LayoutOptimizer.Optimize(embedding, graph, settings, monitor);
                FiniteLayout.Check(embedding, UmapStage.Layout);
                monitor.Finish(UmapStage.Layout);
            }
        }

        /// <summary>
        /// Drops neighbours at or beyond the metric's disconnection distance (bounded metrics only), as umap-learn
        /// does: at the metric's maximum two points share nothing, and an edge between them would only add noise.
        /// </summary>
        internal static void Disconnect(KnnGraph knn, float disconnectionDistance, FitMonitor monitor)
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
            RowMatrix? layout = parameters.Initialization switch
            {
                UmapInitialization.Spectral => SpectralLayout(data, graph, parameters, search, monitor),
                UmapInitialization.Pca => LayoutScaling.ExpandWithNoise(PcaInitializer.Layout(data, dim, parameters.Seed, parameters.NumberOfThreads), n, dim, parameters.Seed),
                UmapInitialization.Custom => CustomLayout(n, parameters),
                _ => null,
            };
            var used = parameters.Initialization;
            if (layout is null)
            {
                used = UmapInitialization.Random;
                layout = RandomInitializer.Uniform(n, dim, parameters.Seed);
            }
            LayoutScaling.RescaleToBox(layout);
            return (layout, used);
        }

        /// <summary>The spectral layout, or null (random) on too few rows or a failed eigensolve.</summary>
        private static RowMatrix? SpectralLayout(VectorSet data, CsrMatrix graph, UmapParameters parameters, INearestNeighborSearch search, FitMonitor monitor)
        {
            int n = data.Count;
            int dim = parameters.NumberOfComponents;
            // As umap-learn does for tiny components: too few points for dim non-trivial eigenvectors.
            if (n < 2 * dim || n <= dim + 1)
            {
                monitor.Info($"Too few rows ({n}) for a {dim}-dimensional spectral layout; using a random layout.");
                return null;
            }
            var spectral = new SpectralInitializer(dim, parameters.Seed, parameters.NumberOfThreads, monitor);
            var raw = spectral.Layout(graph, data, parameters.Metric == UmapMetric.Precomputed ? null : (x, y) => search.Measure(x, y));
            return raw is null ? null : LayoutScaling.ExpandWithNoise(raw, n, dim, parameters.Seed);
        }

        private static RowMatrix CustomLayout(int n, UmapParameters parameters)
        {
            UmapParameters.Check(parameters.InitialCoordinates != null, nameof(UmapParameters.InitialCoordinates), null, "must be given when Initialization is Custom");
            if (parameters.InitialCoordinates.Rows != n)
                throw new ArgumentException($"InitialCoordinates has {parameters.InitialCoordinates.Rows} rows but the data has {n}.", nameof(parameters));
            return CustomInitializer.Layout(parameters.InitialCoordinates, parameters.Seed, parameters.NumberOfThreads);
        }
    }
}
