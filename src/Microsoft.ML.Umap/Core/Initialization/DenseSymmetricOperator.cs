using System;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>A small dense symmetric matrix as an operator, for problems such as laying out component centroids.</summary>
    internal sealed class DenseSymmetricOperator : ISymmetricOperator
    {
        private readonly double[,] _matrix;

        public DenseSymmetricOperator(double[,] matrix)
        {
            if (matrix.GetLength(0) != matrix.GetLength(1))
                throw new ArgumentException("The matrix must be square.", nameof(matrix));
            _matrix = matrix;
        }

        public int Size => _matrix.GetLength(0);

        public void Multiply(double[] x, double[] y)
        {
            int n = Size;
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int j = 0; j < n; j++)
                    sum += _matrix[i, j] * x[j];
                y[i] = sum;
            }
        }
    }
}
