using System;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>How <see cref="RowMerge.Union"/> combines the two weights an edge has in two graphs.</summary>
    internal interface IEdgeCombination
    {
        /// <summary>The weight an edge missing from the left graph counts as.</summary>
        double MissingLeft { get; }

        /// <summary>The weight an edge missing from the right graph counts as.</summary>
        double MissingRight { get; }

        /// <summary>The combined weight, in double precision.</summary>
        double Combine(double left, double right);

        /// <summary>True if an edge of weight <paramref name="combined"/> is kept.</summary>
        bool Keep(double combined);
    }

    /// <summary>The union of two graphs' edges, row by row (both with sorted columns), each weight combined by a policy.</summary>
    internal static class RowMerge
    {
        /// <summary>
        /// A graph with every edge of <paramref name="left"/> or <paramref name="right"/>, weighted by
        /// <paramref name="combination"/> and kept where it says so; columns stay sorted.
        /// </summary>
        public static CsrMatrix Union<TCombination>(CsrMatrix left, CsrMatrix right, in TCombination combination)
            where TCombination : struct, IEdgeCombination
        {
            int n = left.Rows;
            // First pass counts the union of each row's pattern, so the result is allocated once.
            var offsets = new int[n + 1];
            for (int i = 0; i < n; i++)
                offsets[i + 1] = offsets[i] + UnionCount(left.RowColumns(i), right.RowColumns(i));

            var columns = new int[offsets[n]];
            var values = new float[offsets[n]];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                count = MergeRow(left.RowColumns(i), left.RowValues(i), right.RowColumns(i), right.RowValues(i), in combination, columns, values, count);
                offsets[i + 1] = count;
            }

            if (count != columns.Length)
            {
                Array.Resize(ref columns, count);
                Array.Resize(ref values, count);
            }
            return new CsrMatrix(n, left.Columns, offsets, columns, values);
        }

        private static int MergeRow<TCombination>(
            ReadOnlySpan<int> leftColumns, ReadOnlySpan<float> leftValues, ReadOnlySpan<int> rightColumns, ReadOnlySpan<float> rightValues,
            in TCombination combination, int[] columns, float[] values, int count)
            where TCombination : struct, IEdgeCombination
        {
            int p = 0, q = 0;
            while (p < leftColumns.Length || q < rightColumns.Length)
            {
                int column;
                double a = combination.MissingLeft, b = combination.MissingRight;
                if (q >= rightColumns.Length || (p < leftColumns.Length && leftColumns[p] < rightColumns[q]))
                {
                    column = leftColumns[p];
                    a = leftValues[p++];
                }
                else if (p >= leftColumns.Length || rightColumns[q] < leftColumns[p])
                {
                    column = rightColumns[q];
                    b = rightValues[q++];
                }
                else
                {
                    column = leftColumns[p];
                    a = leftValues[p++];
                    b = rightValues[q++];
                }

                double value = combination.Combine(a, b);
                if (combination.Keep(value))
                {
                    columns[count] = column;
                    values[count] = (float)value;
                    count++;
                }
            }
            return count;
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
