using System;
using Microsoft.ML.Umap.Core.Fitting;
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

        /// <summary>umap-learn's far distance between classes is this over (1 − target weight)...</summary>
        private const double FarDistanceScale = 2.5;

        /// <summary>...and this at target weight 1, where the division would be by zero (the edge is cut).</summary>
        private const double FarDistanceAtFullWeight = 1.0e12;

        /// <summary>A missing edge counts as half the graph's smallest weight, but never below this (umap-learn: 1e-8)...</summary>
        private const double SmallestMissingWeight = 1e-8;

        /// <summary>...and in the labels' graph never above this (umap-learn: 1e-4).</summary>
        private const double LargestMissingTargetWeight = 1e-4;

        /// <summary>
        /// Categorical labels (umap-learn <c>discrete_metric_simplicial_set_intersection</c>): an edge between
        /// different classes is scaled by exp(−far) with far = 2.5 / (1 − weight) (practically cut at weight 1),
        /// an edge touching an unlabelled point (class −1) by exp(−1); then local connectivity is reset.
        /// </summary>
        public static CsrMatrix IntersectCategorical(CsrMatrix graph, int[] classes, double targetWeight)
        {
            double farDistance = targetWeight < 1.0 ? FarDistanceScale * (1.0 / (1.0 - targetWeight)) : FarDistanceAtFullWeight;
            float unknownFactor = (float)PortableMath.Exp(-UnknownDistance);
            float farFactor = (float)PortableMath.Exp(-farDistance);
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
            double leftMin = Math.Max(Min(left.Values) / 2.0, SmallestMissingWeight);
            double rightMin = Math.Min(Math.Max(Min(right.Values) / 2.0, SmallestMissingWeight), LargestMissingTargetWeight);
            return RowMerge.Union(left, right, new WeightedIntersection(leftMin, rightMin, weight));
        }

        /// <summary>umap-learn's tilted product a·b^(w/(1−w)) (w below 0.5) or a^((1−w)/w)·b; kept when positive.</summary>
        private readonly struct WeightedIntersection : IEdgeCombination
        {
            private readonly double _weight;

            public WeightedIntersection(double missingLeft, double missingRight, double weight)
            {
                MissingLeft = missingLeft;
                MissingRight = missingRight;
                _weight = weight;
            }

            public double MissingLeft { get; }

            public double MissingRight { get; }

            public double Combine(double a, double b) => _weight < 0.5
                ? a * PortableMath.Pow(b, _weight / (1.0 - _weight))
                : PortableMath.Pow(a, (1.0 - _weight) / _weight) * b;

            public bool Keep(double combined) => combined > 0;
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
