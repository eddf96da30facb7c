using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// Label-constrained neighbourhoods for categorical supervision (<see cref="UmapParameters.NeighborsWithinLabel"/>,
    /// an option umap-learn does not have): a labelled row's nearest neighbours are searched among the rows that
    /// carry its label; an unlabelled row keeps its nearest neighbours among all rows.
    /// </summary>
    /// <remarks>
    /// umap-learn's categorical intersection only reweights the edges of the data's k-NN graph. A labelled row whose
    /// nearest neighbours all carry other labels (an atypical 8 among ones) therefore has no edge to its own class
    /// and is laid out inside the other one. Here every labelled row is tied to its class.
    /// </remarks>
    internal static class SameLabelNeighbors
    {
        /// <summary>
        /// <paramref name="neighbors"/> (the graph of all rows) with each labelled row's list replaced by its nearest
        /// rows of the same class (class −1: unlabelled, kept). A class with fewer than k rows leaves −1 entries.
        /// </summary>
        public static KnnGraph Restrict(VectorSet data, KnnGraph neighbors, int[] classes, UmapParameters parameters, FitMonitor monitor)
        {
            if (classes.Length != neighbors.PointCount)
                throw new ArgumentException($"There are {classes.Length} labels for {neighbors.PointCount} rows.", nameof(classes));
            int k = neighbors.NeighborCount;
            var indices = (int[])neighbors.Indices.Clone();
            var distances = (float[])neighbors.Distances.Clone();
            // Row order within a class and class order are fixed, so the result does not depend on the threads.
            var groups = Enumerable.Range(0, classes.Length)
                .Where(row => classes[row] >= 0)
                .GroupBy(row => classes[row])
                .OrderBy(group => group.Key)
                .Select(group => group.ToArray())
                .ToArray();
            long labelled = groups.Sum(rows => (long)rows.Length), done = 0;
            // Each class's search would report its own 0-to-100%; this loop reports for all of them instead.
            var quiet = new FitMonitor(cancellation: monitor.Cancellation);
            foreach (int[] rows in groups)
            {
                var search = NeighborSearchFactory.Create(data.Subset(rows), parameters);
                var within = search.ComputeGraph(Math.Min(k, rows.Length), quiet);
                for (int r = 0; r < rows.Length; r++)
                {
                    var rowIndices = indices.AsSpan(rows[r] * k, k);
                    var rowDistances = distances.AsSpan(rows[r] * k, k);
                    NeighborHeap.Clear(rowDistances, rowIndices);
                    var found = within.RowIndices(r);
                    for (int q = 0; q < found.Length; q++)
                        rowIndices[q] = found[q] < 0 ? -1 : rows[found[q]];
                    within.RowDistances(r).CopyTo(rowDistances);
                }
                done += rows.Length;
                monitor.Report(UmapStage.Neighbors, done, labelled);
            }
            return new KnnGraph(indices, distances, neighbors.PointCount, k);
        }
    }
}
