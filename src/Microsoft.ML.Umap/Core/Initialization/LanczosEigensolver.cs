using System;
using System.Threading;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>
    /// The largest eigenpairs of a sparse symmetric operator by thick-restart Lanczos (Wu &amp; Simon, 2000)
    /// with full reorthogonalisation. Only a handful of n-vectors are kept (the Krylov basis); the projected
    /// problem is tiny and solved densely. Known eigenvectors can be deflated (kept out of the search space).
    /// </summary>
    internal static class LanczosEigensolver
    {
        /// <summary>DGKS criterion: orthogonalise again when one pass left less than 1/√2 of the vector's norm.</summary>
        private const double ReorthogonalizationRatio = 0.7071067811865476;

        /// <summary>Outcome of a solve.</summary>
        internal sealed class Result
        {
            /// <summary>Eigenvalues, descending.</summary>
            public double[] Values { get; init; }

            /// <summary>Unit eigenvectors matching <see cref="Values"/>.</summary>
            public double[][] Vectors { get; init; }

            /// <summary>Residual norms ‖A x − λ x‖ of the pairs.</summary>
            public double[] Residuals { get; init; }

            /// <summary>True when every pair met the tolerance.</summary>
            public bool Converged { get; init; }

            /// <summary>Operator products used.</summary>
            public int Multiplications { get; init; }
        }

        /// <summary>Solver settings.</summary>
        internal sealed class Settings
        {
            /// <summary>Residual tolerance, relative to max(1, |λ|) (umap-learn asks ARPACK for 1e-4).</summary>
            public double Tolerance { get; init; } = 1e-4;

            /// <summary>
            /// Largest Krylov basis kept in memory (n-vectors); raised to 2·count + 2 if smaller. More vectors mean
            /// fewer restarts but costlier reorthogonalisation; on MNIST 70k, 16–32 is fastest (about 150 products).
            /// </summary>
            public int MaximumBasisSize { get; init; } = 24;

            /// <summary>Restarts before giving up (the result then has <see cref="Result.Converged"/> false).</summary>
            public int MaximumRestarts { get; init; } = 200;

            /// <summary>Seed of the random start vector.</summary>
            public ulong Seed { get; init; }

            /// <summary>Threads for the vector operations.</summary>
            public int Threads { get; init; } = 1;
        }

        /// <summary>
        /// The <paramref name="count"/> largest eigenpairs of <paramref name="op"/> restricted to the orthogonal
        /// complement of the orthonormal <paramref name="deflation"/> vectors (may be empty).
        /// </summary>
        public static Result Largest(ISymmetricOperator op, int count, double[][] deflation, Settings settings, CancellationToken cancellation)
        {
            int n = op.Size;
            int available = n - deflation.Length;
            if (count < 1 || count > available)
                throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {available} eigenpairs can be found.");

            var ops = new ParallelVectorOps(settings.Threads);
            int m = Math.Min(available, Math.Max(settings.MaximumBasisSize, 2 * count + 2));
            var basis = new double[m + 1][];
            for (int j = 0; j <= m; j++)
                basis[j] = new double[n];
            var t = new double[m, m];
            var rng = FastRandom.ForStream(settings.Seed, 0x4C414E43 /* "LANC" */);

            StartVector(basis[0], deflation, basis, 0, ops, ref rng);

            int kept = 0;
            int multiplications = 0;
            double[] coefficients = new double[m + 1];
            for (int restart = 0; ; restart++)
            {
                double beta = 0;
                for (int j = kept; j < m; j++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    double[] w = basis[j + 1];
                    op.Multiply(basis[j], w);
                    multiplications++;

                    // Full Gram–Schmidt against everything kept, repeated when it cancelled most of the vector
                    // (the DGKS test: "twice is enough"), so the basis stays orthonormal to working precision and
                    // the projections are T's entries.
                    Array.Clear(coefficients);
                    double before = ops.Norm(w);
                    ops.Orthogonalize(w, deflation, deflation.Length, null);
                    ops.Orthogonalize(w, basis, j + 1, coefficients);
                    double after = ops.Norm(w);
                    if (after < ReorthogonalizationRatio * before)
                    {
                        ops.Orthogonalize(w, deflation, deflation.Length, null);
                        ops.Orthogonalize(w, basis, j + 1, coefficients);
                        after = ops.Norm(w);
                    }
                    for (int i = 0; i <= j; i++)
                    {
                        if (i < kept && j > kept)
                            continue; // locked Ritz vectors couple only to the first new vector
                        t[i, j] = coefficients[i];
                        t[j, i] = coefficients[i];
                    }

                    beta = after;
                    if (beta <= 1e-12 * Math.Max(1.0, Math.Abs(t[j, j])))
                    {
                        // The Krylov space is invariant, so the Ritz pairs in it are exact. Continue from a fresh
                        // direction (its coupling is 0) unless the basis is already full.
                        beta = 0;
                        if (j + 1 < m)
                            StartVector(w, deflation, basis, j + 1, ops, ref rng);
                        else
                            Array.Clear(w);
                    }
                    else
                    {
                        ops.Scale(w, 1.0 / beta);
                    }
                }

                var evd = Matrix<double>.Build.DenseOfArray(t).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
                var eigenvalues = evd.EigenValues;
                var eigenvectors = evd.EigenVectors;

                // MathNet returns ascending order; take the largest first.
                int keep = Math.Min(m - 1, Math.Max(count + 1, count + (m - count) / 2));
                var s = new double[m, keep];
                var theta = new double[keep];
                var residuals = new double[keep];
                bool converged = true;
                for (int i = 0; i < keep; i++)
                {
                    int src = m - 1 - i;
                    theta[i] = eigenvalues[src].Real;
                    for (int r = 0; r < m; r++)
                        s[r, i] = eigenvectors[r, src];
                    residuals[i] = Math.Abs(beta * eigenvectors[m - 1, src]);
                    if (i < count && residuals[i] > settings.Tolerance * Math.Max(1.0, Math.Abs(theta[i])))
                        converged = false;
                }

                if (converged || restart >= settings.MaximumRestarts || m == available)
                {
                    // m == available means the basis spans the whole space, so the Ritz pairs are exact.
                    ops.CombineInPlace(basis, m, s, count);
                    var vectors = new double[count][];
                    for (int i = 0; i < count; i++)
                        vectors[i] = basis[i];
                    return new Result
                    {
                        Values = theta.AsSpan(0, count).ToArray(),
                        Vectors = vectors,
                        Residuals = residuals.AsSpan(0, count).ToArray(),
                        Converged = converged || m == available,
                        Multiplications = multiplications,
                    };
                }

                // Thick restart: keep the best Ritz vectors, continue from the last residual direction.
                ops.CombineInPlace(basis, m, s, keep);
                (basis[keep], basis[m]) = (basis[m], basis[keep]);
                Array.Clear(t);
                for (int i = 0; i < keep; i++)
                    t[i, i] = theta[i];
                kept = keep;
            }
        }

        private static void StartVector(double[] v, double[][] deflation, double[][] basis, int basisCount, ParallelVectorOps ops, ref FastRandom rng)
        {
            for (int attempt = 0; attempt < 8; attempt++)
            {
                for (int i = 0; i < v.Length; i++)
                    v[i] = rng.NextGaussian();
                for (int pass = 0; pass < 2; pass++)
                {
                    ops.Orthogonalize(v, deflation, deflation.Length, null);
                    ops.Orthogonalize(v, basis, basisCount, null);
                }
                double norm = ops.Norm(v);
                if (norm > 1e-8)
                {
                    ops.Scale(v, 1.0 / norm);
                    return;
                }
            }
            throw new InvalidOperationException("Could not find a start vector outside the current Krylov space.");
        }
    }
}
