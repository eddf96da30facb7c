using System;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>
    /// Principal-component layout: the rows' scores on their top principal directions, by a randomised SVD
    /// (Halko, Martinsson &amp; Tropp, 2011) that touches the data only through products with thin matrices, so
    /// neither a d × d covariance nor a dense copy of sparse data is ever formed.
    /// </summary>
    internal static class PcaInitializer
    {
        // Extra directions sampled beyond those wanted, and power iterations: the usual choices for accuracy.
        private const int Oversampling = 10;
        private const int PowerIterations = 2;

        /// <summary>The n × <paramref name="dim"/> principal-component scores of <paramref name="data"/> (row-major).</summary>
        public static double[] Layout(VectorSet data, int dim, ulong seed, int threads)
        {
            var sketch = Sketch.Of(data, dim, seed, threads);
            int n = sketch.Rows, l = sketch.Width;
            var (basis, evd) = (sketch.Basis, sketch.Evd);
            // The scores (X − μ) V = Q U S.
            var scores = new double[n * dim];
            for (int c = 0; c < dim && c < l; c++)
            {
                int source = l - 1 - c; // eigenvalues ascending: the largest last
                double singular = Math.Sqrt(Math.Max(0, evd.EigenValues[source].Real));
                var u = evd.EigenVectors.Column(source);
                for (int i = 0; i < n; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < l; j++)
                        sum += basis[i * l + j] * u[j];
                    scores[i * dim + c] = sum * singular;
                }
            }
            FixSigns(scores, n, dim);
            return scores;
        }

        /// <summary>
        /// The mean of <paramref name="data"/>'s rows (d values) and their top <paramref name="dim"/> principal directions
        /// (d × <paramref name="dim"/>, row-major: row j holds column j's coefficient in each direction, unit columns,
        /// largest variance first), by the same sketch as <see cref="Layout"/>. Directions past the rank of the centred
        /// rows are zero. Each direction's sign makes its largest-magnitude coefficient positive.
        /// </summary>
        public static (double[] Mean, double[] Directions) PrincipalDirections(VectorSet data, int dim, ulong seed, int threads)
        {
            var sketch = Sketch.Of(data, dim, seed, threads);
            int d = sketch.Columns, l = sketch.Width;
            var (columns, mean, b, evd) = (sketch.OriginalColumns, sketch.Mean, sketch.B, sketch.Evd);
            int original = data.Dimension;
            // B = Q U S Vᵀ's right factor: B Bᵀ = U S² Uᵀ, so V = Bᵀ U S⁻¹.
            var directions = new double[checked(original * dim)];
            var fullMean = new double[original];
            for (int j = 0; j < d; j++)
                fullMean[columns?[j] ?? j] = mean[j];
            double largest = Math.Max(0, evd.EigenValues[l - 1].Real);
            for (int c = 0; c < dim && c < l; c++)
            {
                int source = l - 1 - c;
                double value = evd.EigenValues[source].Real;
                if (!(value > largest * 1e-12) || value <= 0)
                    break; // past the rank: no direction
                double inverse = 1 / Math.Sqrt(value);
                var u = evd.EigenVectors.Column(source);
                double extreme = 0;
                for (int j = 0; j < d; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < l; k++)
                        sum += b[j * l + k] * u[k];
                    sum *= inverse;
                    directions[(columns?[j] ?? j) * dim + c] = sum;
                    if (Math.Abs(sum) > Math.Abs(extreme))
                        extreme = sum;
                }
                if (extreme < 0)
                {
                    for (int j = 0; j < original; j++)
                        directions[j * dim + c] = -directions[j * dim + c];
                }
            }
            return (fullMean, directions);
        }

        /// <summary>
        /// The rows on the columns they use (sparse rows renumbered in column order), and the original column of each
        /// (null when the rows are dense and kept as they are).
        /// </summary>
        private static (VectorSet Rows, int[]? Columns) UsedColumns(VectorSet data)
        {
            if (data is not SparseVectorSet sparse)
                return (data, null);
            var columns = (int[])sparse.Indices.Clone();
            Array.Sort(columns);
            int used = 0;
            for (int i = 0; i < columns.Length; i++)
            {
                if (i == 0 || columns[i] != columns[i - 1])
                    columns[used++] = columns[i];
            }
            Array.Resize(ref columns, Math.Max(1, used)); // an all-zero matrix still has one (zero) column
            var renumbered = new int[sparse.Indices.Length];
            for (int p = 0; p < renumbered.Length; p++)
                renumbered[p] = Array.BinarySearch(columns, 0, used, sparse.Indices[p]);
            return (new SparseVectorSet(sparse.RowOffsets, renumbered, sparse.Values, columns.Length), columns);
        }

        /// <summary>
        /// The Gaussian d × l matrix Ω, row j holding the l values the stream gives original column j (row j itself
        /// when <paramref name="columns"/> is null), so renumbering the columns does not change the sketch.
        /// </summary>
        private static double[] Omega(int[]? columns, int d, int l, ulong seed)
        {
            var stream = FastRandom.ForStream(seed, 0x50434100 /* "PCA" */);
            var omega = new double[checked(d * l)];
            for (int j = 0; j < d; j++)
            {
                var rng = stream;
                rng.Skip(2 * (ulong)(columns?[j] ?? j) * (ulong)l); // two draws per Gaussian
                for (int c = 0; c < l; c++)
                    omega[j * l + c] = rng.NextGaussian();
            }
            return omega;
        }

        private static double[] ColumnMeans(VectorSet data)
        {
            var mean = new double[data.Dimension];
            for (int i = 0; i < data.Count; i++)
            {
                var row = data[i];
                for (int p = 0; p < row.Values.Length; p++)
                    mean[row.IsSparse ? row.Indices[p] : p] += row.Values[p];
            }
            for (int j = 0; j < mean.Length; j++)
                mean[j] /= Math.Max(1, data.Count);
            return mean;
        }

        /// <summary>(X − 1 μᵀ) M for a d × l matrix M (row-major): n × l.</summary>
        private static double[] TimesRight(VectorSet data, double[] mean, double[] m, int l, int threads)
        {
            int n = data.Count, d = data.Dimension;
            var meanTimes = new double[l];
            for (int j = 0; j < d; j++)
            {
                for (int c = 0; c < l; c++)
                    meanTimes[c] += mean[j] * m[j * l + c];
            }
            var result = new double[n * l];
            ParallelRange.For(n, 256, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = data[i];
                    var output = result.AsSpan(i * l, l);
                    for (int p = 0; p < row.Values.Length; p++)
                    {
                        int j = row.IsSparse ? row.Indices[p] : p;
                        double v = row.Values[p];
                        if (v == 0)
                            continue;
                        for (int c = 0; c < l; c++)
                            output[c] += v * m[j * l + c];
                    }
                    for (int c = 0; c < l; c++)
                        output[c] -= meanTimes[c];
                }
            });
            return result;
        }

        // Fixed row blocks for the transposed product: their partial sums are added in block order, so the result
        // does not depend on the thread count.
        private const int TransposeBlocks = 16;

        /// <summary>(X − 1 μᵀ)ᵀ M for an n × l matrix M: d × l.</summary>
        private static double[] TransposeTimes(VectorSet data, double[] mean, double[] m, int l, int threads)
        {
            int n = data.Count, d = data.Dimension;
            int blockRows = Math.Max(1, (n + TransposeBlocks - 1) / TransposeBlocks);
            int blocks = (n + blockRows - 1) / blockRows;
            var partials = new double[blocks][];
            ParallelRange.For(n, blockRows, threads, (start, end) =>
            {
                var partial = new double[d * l + l]; // the last l values: column sums of M over the block
                for (int i = start; i < end; i++)
                {
                    var row = data[i];
                    for (int p = 0; p < row.Values.Length; p++)
                    {
                        int j = row.IsSparse ? row.Indices[p] : p;
                        double v = row.Values[p];
                        if (v == 0)
                            continue;
                        for (int c = 0; c < l; c++)
                            partial[j * l + c] += v * m[i * l + c];
                    }
                    for (int c = 0; c < l; c++)
                        partial[d * l + c] += m[i * l + c];
                }
                partials[start / blockRows] = partial;
            });

            var result = new double[d * l];
            var columnSums = new double[l];
            foreach (var partial in partials)
            {
                for (int k = 0; k < result.Length; k++)
                    result[k] += partial[k];
                for (int c = 0; c < l; c++)
                    columnSums[c] += partial[d * l + c];
            }
            for (int j = 0; j < d; j++)
            {
                for (int c = 0; c < l; c++)
                    result[j * l + c] -= mean[j] * columnSums[c];
            }
            return result;
        }

        /// <summary>An orthonormal basis of the columns of a rows × l matrix (thin QR).</summary>
        private static double[] Orthonormal(double[] matrix, int rows, int l)
        {
            var m = Matrix<double>.Build.Dense(rows, l, (i, j) => matrix[i * l + j]);
            var q = m.QR(QRMethod.Thin).Q;
            var result = new double[rows * l];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < l; j++)
                    result[i * l + j] = q[i, j];
            }
            return result;
        }

        /// <summary>Each component's sign chosen so its largest-magnitude score is positive (the result is then unique).</summary>
        private static void FixSigns(double[] scores, int n, int dim)
        {
            for (int c = 0; c < dim; c++)
            {
                double extreme = 0;
                for (int i = 0; i < n; i++)
                {
                    if (Math.Abs(scores[i * dim + c]) > Math.Abs(extreme))
                        extreme = scores[i * dim + c];
                }
                if (extreme < 0)
                {
                    for (int i = 0; i < n; i++)
                        scores[i * dim + c] = -scores[i * dim + c];
                }
            }
        }

        /// <summary>
        /// The randomised SVD's sketch of a matrix's centred rows X − μ: the original column of each column the rows use
        /// (null when the rows are dense and kept), the rows' count and width, the sketch's width l, the mean, the
        /// orthonormal basis Q (n × l), Bᵀ = (X − μ)ᵀ Q (d × l), and the eigen-decomposition of B Bᵀ = U S² Uᵀ (l × l,
        /// eigenvalues ascending).
        /// </summary>
        private sealed record Sketch(int[]? OriginalColumns, int Rows, int Columns, int Width, double[] Mean, double[] Basis, double[] B, Evd<double> Evd)
        {
            /// <summary>The sketch of <paramref name="data"/>'s centred rows for <paramref name="dim"/> directions.</summary>
            public static Sketch Of(VectorSet data, int dim, ulong seed, int threads)
            {
                // Columns no row uses are zero throughout and change nothing, so sparse rows are renumbered onto the
                // columns they use: every d-long vector below then follows the non-zeros, not the declared width.
                var (rows, columns) = UsedColumns(data);
                int n = rows.Count, d = rows.Dimension;
                int l = Math.Min(Math.Min(n, d), dim + Oversampling);
                var mean = ColumnMeans(rows);
                var y = TimesRight(rows, mean, Omega(columns, d, l, seed), l, threads);

                for (int iteration = 0; iteration < PowerIterations; iteration++)
                {
                    var q = Orthonormal(y, n, l);
                    var z = TransposeTimes(rows, mean, q, l, threads);   // d × l
                    var qz = Orthonormal(z, d, l);
                    y = TimesRight(rows, mean, qz, l, threads);
                }

                var basis = Orthonormal(y, n, l);                       // Q, n × l
                var b = TransposeTimes(rows, mean, basis, l, threads);  // Bᵀ = (X − μ)ᵀ Q, d × l
                var bMatrix = Matrix<double>.Build.Dense(d, l, (i, j) => b[i * l + j]);
                var evd = bMatrix.TransposeThisAndMultiply(bMatrix).Evd(Symmetricity.Symmetric);
                return new Sketch(columns, n, d, l, mean, basis, b, evd);
            }
        }
    }
}
