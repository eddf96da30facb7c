using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Transform;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>
    /// Adds rows to a fitted model (umap-learn's <c>update</c>): the new rows' neighbours are found among all rows
    /// and the old rows' lists take in new rows that come closer (the neighbour graph is extended, not rebuilt), the
    /// fuzzy graph is rebuilt over all rows, the new rows start where <c>Transform</c> starts them (the
    /// membership-weighted mean of their neighbours' positions) and the old ones where they were, and a short
    /// optimisation at a reduced learning rate settles both together. umap-learn stops
    /// after the placement by default (zero epochs), which leaves new rows that the graph now links to the old ones
    /// unrefined; the refinement here costs a fraction of a fit and keeps the old layout's shape.
    /// A model whose map is flat (its rows span fewer dimensions than the embedding has: one row, two rows in 2-D, or
    /// every row at one point or on one line) cannot take new rows this way: they start inside the old map, and the
    /// layout's forces, which act along differences of positions, would keep every row in that flat subspace. Such a
    /// model is fitted again on all rows with its settings (umap-learn places the new rows and stops, collapsed).
    /// </summary>
    internal static class UmapUpdater
    {
        // Keeps the update's random streams apart from the fit's.
        private const ulong StreamSalt = 0x5550444154452121; // "UPDATE!!"

        /// <summary>The refinement runs this fraction of the epochs a fit of all rows would (a quarter: 50 of a 200-epoch fit).</summary>
        private const int EpochFraction = 4;

        /// <summary>...at this fraction of the learning rate, so the old layout is refined rather than redone.</summary>
        private const double LearningRateFraction = 0.25;

        /// <summary>
        /// A map counts as flat along a direction when every row lies within this fraction of the map's extent of a
        /// subspace without it: the refinement could not unfold the new rows from so thin a start.
        /// </summary>
        private const double FlatnessTolerance = 1e-3;

        public static UmapFit Update(UmapModel model, VectorSet newRows, FitMonitor monitor)
        {
            var p = model.Parameters;
            CheckSupported(model, newRows);
            var data = model.TrainingData.Append(newRows);
            int n = data.Count, old = model.TrainingData.Count, dim = model.ComponentCount;
            int spanned = AffineDimension(model.Embedding);
            if (spanned < dim)
            {
                monitor.Warning($"The model's {old} rows span {spanned} of the embedding's {dim} dimensions, too flat a map to place new rows in; fitting all {n} rows again with the model's settings.");
                // Given initial coordinates cover the old rows only; the union starts from the default layout.
                var refit = p.Initialization == UmapInitialization.Custom ? p with { Initialization = UmapInitialization.Spectral, InitialCoordinates = null } : p;
                return UmapFitter.Fit(data, refit, monitor);
            }

            var (starts, startCount, placed) = PlaceNewRows(model, newRows, monitor);
            // A model of fewer rows than NumberOfNeighbors used them all; the union may have the neighbours asked for.
            int k = Math.Min(p.NumberOfNeighbors, n);
            KnnGraph knn;
            using (monitor.Stage(UmapStage.Neighbors, $"Extending the neighbour graph of {old} rows to {n}"))
            {
                var search = NeighborSearchFactory.Create(data, p);
                knn = search.ExtendGraph(model.Neighbors, starts, startCount, k, monitor);
                UmapFitter.Disconnect(knn, search.DisconnectionDistance, monitor);
                monitor.Finish(UmapStage.Neighbors);
            }

            int epochs = Math.Max(1, p.DefaultEpochsFor(n) / EpochFraction);
            FuzzySimplicialSet fuzzy;
            CsrMatrix graph;
            using (monitor.Stage(UmapStage.Graph, "Rebuilding the fuzzy simplicial set over all rows"))
            {
                fuzzy = FuzzySimplicialSet.Build(knn, p.LocalConnectivity, p.SetOperationMixRatio, p.NumberOfThreads);
                graph = EdgeSchedule.Prune(fuzzy.Graph, epochs, p.DefaultEpochsFor(n));
                monitor.Finish(UmapStage.Graph);
            }

            var embedding = new RowMatrix(n, dim);
            model.Embedding.Values.CopyTo(embedding.Values, 0);
            placed.Values.CopyTo(embedding.Values, old * dim);
            // The fit's layout stage, on the fit's settings but a reduced learning rate and a stream of its own.
            var refinement = p with { LearningRate = p.LearningRate * LearningRateFraction, Seed = FastRandom.Mix(p.Seed ^ StreamSalt ^ (ulong)n) };
            UmapFitter.OptimizeLayout(embedding, graph, knn, refinement, model.A, model.B, epochs, monitor);

            var updated = new UmapModel(p, model.Summary with { NeighborsUsed = k }, data, embedding, knn);
            return new UmapFit(updated, fuzzy, monitor.Durations());
        }

        /// <summary>
        /// The dimension of the thinnest affine subspace within <see cref="FlatnessTolerance"/> of the map's extent of
        /// every row (0 for one point, 1 for a line): rows that leave the span of those before them by more than the
        /// tolerance extend an orthonormal basis, until it has as many directions as the map has dimensions.
        /// </summary>
        private static int AffineDimension(RowMatrix points)
        {
            int n = points.Rows, dim = points.Columns;
            var origin = points.ReadOnlyRow(0);
            double extent = 0;
            for (int i = 1; i < n; i++)
            {
                var row = points.ReadOnlyRow(i);
                for (int d = 0; d < dim; d++)
                    extent = Math.Max(extent, Math.Abs((double)row[d] - origin[d]));
            }
            var basis = new System.Collections.Generic.List<double[]>(dim);
            for (int i = 1; i < n && basis.Count < dim; i++)
            {
                var row = points.ReadOnlyRow(i);
                var residual = new double[dim];
                for (int d = 0; d < dim; d++)
                    residual[d] = (double)row[d] - origin[d];
                // Twice, so the residual is orthogonal to the basis to working precision.
                for (int pass = 0; pass < 2; pass++)
                {
                    foreach (var direction in basis)
                    {
                        double dot = 0;
                        for (int d = 0; d < dim; d++)
                            dot += residual[d] * direction[d];
                        for (int d = 0; d < dim; d++)
                            residual[d] -= dot * direction[d];
                    }
                }
                double norm = 0;
                foreach (double r in residual)
                    norm += r * r;
                norm = Math.Sqrt(norm);
                if (norm > FlatnessTolerance * extent)
                {
                    for (int d = 0; d < dim; d++)
                        residual[d] /= norm;
                    basis.Add(residual);
                }
            }
            return basis.Count;
        }

        private static void CheckSupported(UmapModel model, VectorSet newRows)
        {
            var p = model.Parameters;
            if (p.LabelColumnName != null)
                throw new NotSupportedException("Update adds rows to an unsupervised model; this one was fitted with labels, which new rows do not carry (umap-learn refuses too). Fit again with all rows and their labels.");
            if (p.Density != null)
                throw new NotSupportedException("Update is not available for densMAP models: their density terms cover the training rows only.");
            if (p.Metric == UmapMetric.Precomputed)
                throw new NotSupportedException("Update cannot extend a model fitted on precomputed distances: every row would need its distances to the new rows as well (umap-learn refuses too). Fit again on the larger matrix.");
            if (newRows.Dimension != model.FeatureCount)
                throw new ArgumentException($"The new rows have {newRows.Dimension} values; the model's rows have {model.FeatureCount}.", nameof(newRows));
            if (newRows.Count == 0)
                throw new ArgumentException("There are no new rows to add.", nameof(newRows));
        }

        /// <summary>Each new row's nearest old rows (the start of its neighbour list) and where Transform starts it (their membership-weighted mean position).</summary>
        private static (int[] Starts, int StartCount, RowMatrix Placed) PlaceNewRows(UmapModel model, VectorSet newRows, FitMonitor monitor)
        {
            int added = newRows.Count, k = model.NewRowNeighborCount;
            var starts = new int[checked(added * k)];
            var placed = new RowMatrix(added, model.ComponentCount);
            using (monitor.Stage(UmapStage.Initialization, $"Placing {added} new rows where Transform starts them"))
            {
                monitor.Report(UmapStage.Initialization, 0, added);
                ParallelRange.For(added, 64, model.Parameters.NumberOfThreads, () => (Scratch: new NewPointEmbedder.Scratch(), Distances: new float[k]), (start, end, worker) =>
                {
                    for (int r = start; r < end; r++)
                    {
                        var indices = starts.AsSpan(r * k, k);
                        model.QueryTrainingNeighbors(newRows[r], indices, worker.Distances);
                        // Transform's starting position; the joint refinement below does the moving.
                        model.Embed(newRows[r], placed.Row(r), worker.Scratch, indices, worker.Distances, epochs: 0);
                    }
                    monitor.ThrowIfCancellationRequested();
                }, static _ => { }, monitor.Cancellation);
                monitor.Finish(UmapStage.Initialization);
            }
            return (starts, k, placed);
        }
    }
}
