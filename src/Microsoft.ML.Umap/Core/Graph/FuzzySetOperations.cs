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
            var transposed = directed.Transpose();
            int n = directed.Rows;

            // First pass counts the union of each row's pattern, so the result is allocated once.
            var offsets = new int[n + 1];
            for (int i = 0; i < n; i++)
                offsets[i + 1] = offsets[i] + UnionCount(directed.RowColumns(i), transposed.RowColumns(i));

            var columns = new int[offsets[n]];
            var values = new float[offsets[n]];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                var aCols = directed.RowColumns(i);
                var aVals = directed.RowValues(i);
                var tCols = transposed.RowColumns(i);
                var tVals = transposed.RowValues(i);
                int p = 0, q = 0;
                while (p < aCols.Length || q < tCols.Length)
                {
                    int column;
                    double a = 0, t = 0;
                    if (q >= tCols.Length || (p < aCols.Length && aCols[p] < tCols[q]))
                    {
                        column = aCols[p];
                        a = aVals[p++];
                    }
                    else if (p >= aCols.Length || tCols[q] < aCols[p])
                    {
                        column = tCols[q];
                        t = tVals[q++];
                    }
                    else
                    {
                        column = aCols[p];
                        a = aVals[p++];
                        t = tVals[q++];
                    }

                    double product = a * t;
                    float value = (float)(setOperationMixRatio * (a + t - product) + (1.0 - setOperationMixRatio) * product);
                    if (value != 0f)
                    {
                        columns[count] = column;
                        values[count] = value;
                        count++;
                    }
                }
                offsets[i + 1] = count;
            }

            if (count != columns.Length)
            {
                Array.Resize(ref columns, count);
                Array.Resize(ref values, count);
            }
            return new CsrMatrix(n, n, offsets, columns, values);
        }

        private static int UnionCount(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
        {
            int p = 0, q = 0, count = 0;
            while (p < a.Length && q < b.Length)
            {
                if (a[p] < b[q]) p++;
                else if (b[q] < a[p]) q++;
                else { p++; q++; }
                count++;
            }
            return count + (a.Length - p) + (b.Length - q);
        }
    }
}
