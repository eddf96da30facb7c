using System;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// Supervised and semi-supervised UMAP (umap-learn's <c>fit(X, y)</c>): the fuzzy graph of the data is
    /// intersected with what the labels say about each edge, then each point's local connectivity is restored.
    /// </summary>
    internal static class TargetGraph
    {
        /// <summary>umap-learn's weight factor for an edge touching an unlabelled point: exp(−1).</summary>
        public const double UnknownDistance = 1.0;

        /// <summary>
        /// Categorical labels (umap-learn <c>discrete_metric_simplicial_set_intersection</c>): an edge between
        /// different classes is scaled by exp(−far) with far = 2.5 / (1 − weight) (practically cut at weight 1),
        /// an edge touching an unlabelled point (class −1) by exp(−1); then local connectivity is reset.
        /// </summary>
        public static CsrMatrix IntersectCategorical(CsrMatrix graph, int[] classes, double targetWeight)
        {
            double farDistance = targetWeight < 1.0 ? 2.5 * (1.0 / (1.0 - targetWeight)) : 1.0e12;
            float unknownFactor = (float)Math.Exp(-UnknownDistance);
            float farFactor = (float)Math.Exp(-farDistance);
            var values = (float[])graph.Values.Clone();
            for (int i = 0; i < graph.Rows; i++)
            {
                for (int p = graph.RowOffsets[i]; p < graph.RowOffsets[i + 1]; p++)
                {
                    int j = graph.ColumnIndices[p];
                    if (classes[i] < 0 || classes[j] < 0)
                        values[p] *= unknownFactor;
                    else if (classes[i] != classes[j])
                        values[p] *= farFactor;
                }
            }
            return ResetLocalConnectivity(DropZeros(new CsrMatrix(graph.Rows, graph.Columns, graph.RowOffsets, graph.ColumnIndices, values)));
        }

        /// <summary>
        /// Numeric targets (umap-learn with a metric target): the fuzzy graph of the target values themselves,
        /// intersected with the data's graph by <see cref="Intersect"/>, then local connectivity is reset.
        /// </summary>
        public static CsrMatrix IntersectNumeric(CsrMatrix graph, float[] targets, int neighbors, double targetWeight, int threads, FitMonitor monitor)
        {
            var values = new DenseVectorSet(new RowMatrix(targets, targets.Length, 1));
            var knn = new ExactNearestNeighbors<Distances.EuclideanDistance>(values, default, threads).ComputeGraph(Math.Min(neighbors, targets.Length), monitor);
            var targetGraph = FuzzySimplicialSet.Build(knn, 1.0, 1.0, threads).Graph;
            return ResetLocalConnectivity(Intersect(graph, targetGraph, targetWeight));
        }

        /// <summary>
        /// Weighted fuzzy intersection of two graphs on the union of their edges (umap-learn
        /// <c>general_simplicial_set_intersection</c>): a missing edge counts as half the graph's smallest weight,
        /// and weight w tilts the product towards the second graph: a·b^(w/(1−w)) below 0.5, a^((1−w)/w)·b above.
        /// </summary>
        public static CsrMatrix Intersect(CsrMatrix left, CsrMatrix right, double weight)
        {
            double leftMin = Math.Max(Min(left.Values) / 2.0, 1e-8);
            double rightMin = Math.Min(Math.Max(Min(right.Values) / 2.0, 1e-8), 1e-4);
            int n = left.Rows;
            var offsets = new int[n + 1];
            var columns = new System.Collections.Generic.List<int>(left.NonZeroCount + right.NonZeroCount);
            var values = new System.Collections.Generic.List<float>(columns.Capacity);
            for (int i = 0; i < n; i++)
            {
                var lc = left.RowColumns(i);
                var lv = left.RowValues(i);
                var rc = right.RowColumns(i);
                var rv = right.RowValues(i);
                int p = 0, q = 0;
                while (p < lc.Length || q < rc.Length)
                {
                    int column;
                    double a = leftMin, b = rightMin;
                    if (q >= rc.Length || (p < lc.Length && lc[p] < rc[q]))
                    {
                        column = lc[p];
                        a = lv[p++];
                    }
                    else if (p >= lc.Length || rc[q] < lc[p])
                    {
                        column = rc[q];
                        b = rv[q++];
                    }
                    else
                    {
                        column = lc[p];
                        a = lv[p++];
                        b = rv[q++];
                    }
                    double value = weight < 0.5
                        ? a * Math.Pow(b, weight / (1.0 - weight))
                        : Math.Pow(a, (1.0 - weight) / weight) * b;
                    if (value > 0)
                    {
                        columns.Add(column);
                        values.Add((float)value);
                    }
                }
                offsets[i + 1] = columns.Count;
            }
            return new CsrMatrix(n, left.Columns, offsets, columns.ToArray(), values.ToArray());
        }

        /// <summary>
        /// Rescales each point's edges so its strongest is 1, then makes the graph symmetric again by fuzzy union
        /// (umap-learn <c>reset_local_connectivity</c>).
        /// </summary>
        public static CsrMatrix ResetLocalConnectivity(CsrMatrix graph)
        {
            var values = (float[])graph.Values.Clone();
            for (int i = 0; i < graph.Rows; i++)
            {
                int start = graph.RowOffsets[i], end = graph.RowOffsets[i + 1];
                float max = 0f;
                for (int p = start; p < end; p++)
                    max = Math.Max(max, Math.Abs(values[p]));
                if (max > 0f)
                {
                    for (int p = start; p < end; p++)
                        values[p] /= max;
                }
            }
            var normalized = new CsrMatrix(graph.Rows, graph.Columns, graph.RowOffsets, graph.ColumnIndices, values);
            return FuzzySetOperations.Symmetrize(normalized, 1.0);
        }

        private static CsrMatrix DropZeros(CsrMatrix graph)
        {
            var offsets = new int[graph.Rows + 1];
            var columns = new System.Collections.Generic.List<int>(graph.NonZeroCount);
            var values = new System.Collections.Generic.List<float>(graph.NonZeroCount);
            for (int i = 0; i < graph.Rows; i++)
            {
                for (int p = graph.RowOffsets[i]; p < graph.RowOffsets[i + 1]; p++)
                {
                    if (graph.Values[p] != 0f)
                    {
                        columns.Add(graph.ColumnIndices[p]);
                        values.Add(graph.Values[p]);
                    }
                }
                offsets[i + 1] = columns.Count;
            }
            return new CsrMatrix(graph.Rows, graph.Columns, offsets, columns.ToArray(), values.ToArray());
        }

        private static double Min(float[] values)
        {
            double min = double.PositiveInfinity;
            foreach (float v in values)
                min = Math.Min(min, v);
            return double.IsPositiveInfinity(min) ? 0 : min;
        }
    }
}
