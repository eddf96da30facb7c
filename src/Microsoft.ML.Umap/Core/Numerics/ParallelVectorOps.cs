using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// Dense double-precision vector operations for the iterative eigensolver, multi-threaded over fixed
    /// chunks. Reductions add per-chunk partial sums in chunk order, so every result is bit-for-bit the same
    /// whatever the thread count.
    /// </summary>
    /// <remarks>
    /// The loops are compiled optimised at their first call. A fit runs them for about a second, about as long as
    /// tiered compilation takes to replace their precompiled code and then its instrumented version, so without this
    /// a first fit ran most of its initialisation on those two (figures in docs/measurements.md).
    /// </remarks>
    internal sealed class ParallelVectorOps
    {
        // Large enough that a chunk's work dwarfs the scheduling cost, small enough to balance two cores.
        private const int ChunkSize = 8192;

        private readonly int _threads;

        public ParallelVectorOps(int threads) => _threads = Math.Max(1, threads);

        /// <summary>The number of threads the operations use.</summary>
        public int Threads => _threads;

        private static int ChunkCount(int n) => (n + ChunkSize - 1) / ChunkSize;

        /// <summary>x · y.</summary>
        public double Dot(double[] x, double[] y)
        {
            int n = x.Length;
            var partial = new double[ChunkCount(n)];
            ParallelRange.For(n, ChunkSize, _threads, (start, end) => partial[start / ChunkSize] = DotRange(x, y, start, end));
            double total = 0;
            foreach (double p in partial)
                total += p;
            return total;
        }

        /// <summary>‖x‖₂.</summary>
        public double Norm(double[] x) => Math.Sqrt(Dot(x, x));

        /// <summary>x ← x · factor.</summary>
        public void Scale(double[] x, double factor)
        {
            ParallelRange.For(x.Length, ChunkSize, _threads, (start, end) => ScaleRange(x, factor, start, end));
        }

        /// <summary>
        /// Removes from <paramref name="w"/> its components along the orthonormal vectors
        /// <paramref name="basis"/>[0 .. <paramref name="count"/>) by classical Gram–Schmidt, and adds the
        /// coefficients removed to <paramref name="coefficients"/>.
        /// </summary>
        public void Orthogonalize(double[] w, double[][] basis, int count, double[]? coefficients)
        {
            if (count == 0)
                return;
            int n = w.Length;
            int chunks = ChunkCount(n);
            var partial = new double[chunks * count];
            ParallelRange.For(n, ChunkSize, _threads, (start, end) =>
            {
                int c = start / ChunkSize;
                for (int j = 0; j < count; j++)
                    partial[c * count + j] = DotRange(basis[j], w, start, end);
            });

            var h = new double[count];
            for (int c = 0; c < chunks; c++)
            {
                for (int j = 0; j < count; j++)
                    h[j] += partial[c * count + j];
            }

            ParallelRange.For(n, ChunkSize, _threads, (start, end) =>
            {
                for (int j = 0; j < count; j++)
                    SubtractRange(w, h[j], basis[j], start, end);
            });

            if (coefficients != null)
            {
                for (int j = 0; j < count; j++)
                    coefficients[j] += h[j];
            }
        }

        /// <summary>
        /// Replaces the first <paramref name="outputs"/> vectors of <paramref name="basis"/> by linear
        /// combinations of its first <paramref name="inputs"/> vectors: basis'[i] = Σ_j basis[j] · S[j, i].
        /// Works in place, row by row, so no second basis is allocated.
        /// </summary>
        public void CombineInPlace(double[][] basis, int inputs, double[,] s, int outputs)
        {
            ParallelRange.For(basis[0].Length, ChunkSize, _threads, (start, end) => CombineRows(basis, inputs, s, outputs, start, end));
        }

        /// <summary>Σ x_i · y_i over [<paramref name="start"/>, <paramref name="end"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static double DotRange(double[] x, double[] y, int start, int end)
        {
            double sum = 0;
            for (int i = start; i < end; i++)
                sum += x[i] * y[i];
            return sum;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScaleRange(double[] x, double factor, int start, int end)
        {
            for (int i = start; i < end; i++)
                x[i] *= factor;
        }

        /// <summary>w ← w − h · v over [<paramref name="start"/>, <paramref name="end"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void SubtractRange(double[] w, double h, double[] v, int start, int end)
        {
            for (int i = start; i < end; i++)
                w[i] -= h * v[i];
        }

        /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of <see cref="CombineInPlace"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CombineRows(double[][] basis, int inputs, double[,] s, int outputs, int start, int end)
        {
            // One pair of buffers per chunk: their sizes follow the basis, which grows with the embedding dimension.
            var row = new double[inputs];
            var result = new double[outputs];
            for (int r = start; r < end; r++)
            {
                for (int j = 0; j < inputs; j++)
                    row[j] = basis[j][r];
                for (int i = 0; i < outputs; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < inputs; j++)
                        sum += row[j] * s[j, i];
                    result[i] = sum;
                }
                for (int i = 0; i < outputs; i++)
                    basis[i][r] = result[i];
            }
        }
    }
}
