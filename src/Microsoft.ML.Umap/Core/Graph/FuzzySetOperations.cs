using System;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// Symmetrisation of the directed membership graph A by fuzzy set operations (umap-learn
    /// <c>fuzzy_simplicial_set</c>): with mix ratio t, P = t (A + Aᵀ − A∘Aᵀ) + (1 − t) A∘Aᵀ, i.e. the
    /// probabilistic fuzzy union at t = 1 and the fuzzy intersection at t = 0.
    /// </summary>
    internal static class FuzzySetOperations
    {
        /// <summary>The symmetric fuzzy combination of <paramref name="directed"/> with its transpose; zeros dropped.</summary>
        public static CsrMatrix Symmetrize(CsrMatrix directed, double setOperationMixRatio)
        {
            if (directed.Rows != directed.Columns)
                throw new ArgumentException("The membership matrix must be square.", nameof(directed));
            return RowMerge.Union(directed, directed.Transpose(), new FuzzyUnion(setOperationMixRatio));
        }

        /// <summary>t (a + b − ab) + (1 − t) ab of the memberships a and b an edge has in either direction (0 where absent).</summary>
        private readonly struct FuzzyUnion : IEdgeCombination
        {
            private readonly double _mix;

            public FuzzyUnion(double mix) => _mix = mix;

            public double MissingLeft => 0;

            public double MissingRight => 0;

            public double Combine(double a, double b)
            {
                double product = a * b;
                return _mix * (a + b - product) + (1.0 - _mix) * product;
            }

            public bool Keep(double combined) => (float)combined != 0f;
        }
    }
}
