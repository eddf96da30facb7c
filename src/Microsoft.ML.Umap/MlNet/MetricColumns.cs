using System;
using System.Collections.Generic;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>The columns the quality measures read from a data view: vectors as a dense matrix, labels as class ids.</summary>
    internal static class MetricColumns
    {
        /// <summary>
        /// The rows of a vector column (known- or variable-size, dense or sparse buffers), stored as a fit stores them:
        /// sparse when they come sparse and are mostly zeros. NaN, infinities and overflowing rows are refused by column
        /// and row, as in a fit.
        /// </summary>
        public static VectorSet Rows(IDataView data, string name)
        {
            ArgumentNullException.ThrowIfNull(data);
            var rows = FeatureColumnReader.Read(data, name, new MetricDomain(UmapMetric.Euclidean, 2), new FitMonitor(), Core.Model.UmapParameters.DefaultThreads);
            if (rows.Count == 0)
                throw new ArgumentException($"Column '{name}' has no rows.", nameof(data));
            return rows;
        }

        /// <summary>The rows of a vector column (see <see cref="Rows"/>) as a dense matrix.</summary>
        public static RowMatrix Matrix(IDataView data, string name)
        {
            var rows = Rows(data, name);
            if (rows is DenseVectorSet dense)
                return dense.Matrix;
            if ((long)rows.Count * rows.Dimension > Array.MaxLength)
                throw new ArgumentException($"Column '{name}' has {rows.Count} rows of {rows.Dimension} slots, more than a dense matrix can hold; the quality measures compare dense vectors.", nameof(data));
            var matrix = new RowMatrix(rows.Count, rows.Dimension);
            for (int i = 0; i < rows.Count; i++)
                rows[i].CopyTo(matrix.Row(i));
            return matrix;
        }

        /// <summary>
        /// Each row's class (a key, number, Boolean or text column; every row must have one), as ids 0, 1, …, numbered
        /// in <paramref name="ids"/> so that several views can share one numbering.
        /// </summary>
        public static int[] Classes(IDataView data, string name, Dictionary<string, int>? ids = null)
        {
            ArgumentNullException.ThrowIfNull(data);
            var classes = LabelColumnReader.ClassIds(LabelColumnReader.ReadClassKeys(data, name, new FitMonitor()), ids ?? new Dictionary<string, int>());
            int missing = Array.IndexOf(classes, -1);
            if (missing >= 0)
                throw new ArgumentException($"Label column '{name}', row index {missing}, has no label (NaN, empty text or key 0); the quality measures need one in every row.", nameof(data));
            return classes;
        }
    }
}
