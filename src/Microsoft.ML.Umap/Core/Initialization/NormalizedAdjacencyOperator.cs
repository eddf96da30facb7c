using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>
    /// M = D^(-1/2) W D^(-1/2) for a symmetric weight matrix W with degrees D. The normalised Laplacian is
    /// I − M, so its smallest eigenpairs are M's largest; its top eigenvector is known exactly (D^(1/2)·1).
    /// </summary>
    internal sealed class NormalizedAdjacencyOperator : ISymmetricOperator
    {
        private const int RowChunk = 4096;
        private readonly CsrMatrix _weights;
        private readonly double[] _inverseSqrtDegree;
        private readonly double[] _scaled;
        private readonly int _threads;

        public NormalizedAdjacencyOperator(CsrMatrix weights, int threads)
        {
            _weights = weights;
            _threads = Math.Max(1, threads);
            int n = weights.Rows;
            _inverseSqrtDegree = new double[n];
            SqrtDegree = new double[n];
            for (int i = 0; i < n; i++)
            {
                double degree = 0;
                foreach (float w in weights.RowValues(i))
                    degree += w;
                if (!(degree > 0))
                    throw new ArgumentException($"Vertex {i} has no edges; the normalised Laplacian needs a connected graph.", nameof(weights));
                SqrtDegree[i] = Math.Sqrt(degree);
                _inverseSqrtDegree[i] = 1.0 / SqrtDegree[i];
            }
            _scaled = new double[n];
        }

        public int Size => _weights.Rows;

        /// <summary>D^(1/2)·1, the (unnormalised) eigenvector of M for eigenvalue 1.</summary>
        public double[] SqrtDegree { get; }

        public void Multiply(double[] x, double[] y)
        {
            int n = Size;
            for (int i = 0; i < n; i++)
                _scaled[i] = x[i] * _inverseSqrtDegree[i];
            ParallelRange.For(n, RowChunk, _threads, (start, end) => MultiplyRows(y, start, end));
        }

        /// <summary>
        /// Rows [<paramref name="start"/>, <paramref name="end"/>) of <see cref="Multiply"/>, compiled optimised at its
        /// first call for the reason <see cref="ParallelVectorOps"/> gives.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MultiplyRows(double[] y, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var columns = _weights.RowColumns(i);
                var values = _weights.RowValues(i);
                double sum = 0;
                for (int p = 0; p < columns.Length; p++)
                    sum += values[p] * _scaled[columns[p]];
                y[i] = sum * _inverseSqrtDegree[i];
            }
        }
    }
}
