namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>A symmetric linear operator y = A x, known only through its product with vectors.</summary>
    internal interface ISymmetricOperator
    {
        /// <summary>The dimension n of the (n × n) operator.</summary>
        int Size { get; }

        /// <summary>Writes A <paramref name="x"/> into <paramref name="y"/> (both of length <see cref="Size"/>).</summary>
        void Multiply(double[] x, double[] y);
    }
}
