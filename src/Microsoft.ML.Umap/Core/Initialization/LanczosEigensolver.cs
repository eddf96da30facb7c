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
            public required double[] Values { get; init; }

            /// <summary>Unit eigenvectors matching <see cref="Values"/>.</summary>
            public required double[][] Vectors { get; init; }

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
            /// fewer restarts but costlier reorthogonalisation (docs/measurements.md).
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

            int m = Math.Min(available, Math.Max(settings.MaximumBasisSize, 2 * count + 2));
            var state = new Krylov(op, deflation, m, n, new ParallelVectorOps(settings.Threads), FastRandom.ForStream(settings.Seed, 0x4C414E43 /* "LANC" */));
            int keep = Math.Min(m - 1, Math.Max(count + 1, count + (m - count) / 2));
            for (int restart = 0; ; restart++)
            {
                double beta = state.Extend(cancellation);
                var ritz = RitzPairs(state.T, beta, m, keep, count, settings.Tolerance);
                if (ritz.Converged || restart >= settings.MaximumRestarts || m == available)
                {
                    // m == available means the basis spans the whole space, so the Ritz pairs are exact.
                    return state.Finish(ritz, count, ritz.Converged || m == available);
                }
                state.Restart(ritz, keep);
            }
        }

        /// <summary>The Ritz values and vectors of the projected problem, largest first, and whether the wanted ones have converged.</summary>
        private sealed record Ritz(double[] Values, double[,] Vectors, bool Converged);

        private static Ritz RitzPairs(double[,] t, double beta, int m, int keep, int count, double tolerance)
        {
            var evd = Matrix<double>.Build.DenseOfArray(t).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
            var eigenvalues = evd.EigenValues;
            var eigenvectors = evd.EigenVectors;

            // MathNet returns ascending order; take the largest first.
            var s = new double[m, keep];
            var theta = new double[keep];
            bool converged = true;
            for (int i = 0; i < keep; i++)
            {
                int src = m - 1 - i;
                theta[i] = eigenvalues[src].Real;
                for (int r = 0; r < m; r++)
                    s[r, i] = eigenvectors[r, src];
                double residual = Math.Abs(beta * eigenvectors[m - 1, src]);
                if (i < count && residual > tolerance * Math.Max(1.0, Math.Abs(theta[i])))
                    converged = false;
            }
            return new Ritz(theta, s, converged);
        }

        /// <summary>The Krylov basis and its projection T, extended by Lanczos steps and thick restarts.</summary>
        private sealed class Krylov
        {
            private readonly ISymmetricOperator _op;
            private readonly double[][] _deflation;
            private readonly double[][] _basis;
            private readonly double[] _coefficients;
            private readonly ParallelVectorOps _ops;
            private readonly int _m;
            private FastRandom _rng;
            private int _kept;

            public Krylov(ISymmetricOperator op, double[][] deflation, int m, int n, ParallelVectorOps ops, FastRandom rng)
            {
                _op = op;
                _deflation = deflation;
                _m = m;
                _ops = ops;
                _rng = rng;
                _basis = new double[m + 1][];
                for (int j = 0; j <= m; j++)
                    _basis[j] = new double[n];
                _coefficients = new double[m + 1];
                T = new double[m, m];
                StartVector(_basis[0], deflation, _basis, 0, ops, ref _rng);
            }

            /// <summary>The projection of the operator on the basis (tridiagonal but for the kept Ritz vectors' row).</summary>
            public double[,] T { get; }

            /// <summary>Operator products used.</summary>
            public int Multiplications { get; private set; }

            /// <summary>Lanczos steps from the kept vectors to a full basis; returns the last coupling β.</summary>
            public double Extend(CancellationToken cancellation)
            {
                double beta = 0;
                for (int j = _kept; j < _m; j++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    beta = Step(j);
                }
                return beta;
            }

            /// <summary>
            /// One Lanczos step: the product with basis vector j, orthogonalised against everything kept (full Gram–Schmidt,
            /// repeated when it cancelled most of the vector: the DGKS test, "twice is enough"), so the basis stays
            /// orthonormal to working precision and the projections are T's entries.
            /// </summary>
            private double Step(int j)
            {
                double[] w = _basis[j + 1];
                _op.Multiply(_basis[j], w);
                Multiplications++;
                Array.Clear(_coefficients);
                double before = _ops.Norm(w);
                _ops.Orthogonalize(w, _deflation, _deflation.Length, null);
                _ops.Orthogonalize(w, _basis, j + 1, _coefficients);
                double after = _ops.Norm(w);
                if (after < ReorthogonalizationRatio * before)
                {
                    _ops.Orthogonalize(w, _deflation, _deflation.Length, null);
                    _ops.Orthogonalize(w, _basis, j + 1, _coefficients);
                    after = _ops.Norm(w);
                }
                for (int i = 0; i <= j; i++)
                {
                    if (i < _kept && j > _kept)
                        continue; // locked Ritz vectors couple only to the first new vector
                    T[i, j] = _coefficients[i];
                    T[j, i] = _coefficients[i];
                }

                if (after > 1e-12 * Math.Max(1.0, Math.Abs(T[j, j])))
                {
                    _ops.Scale(w, 1.0 / after);
                    return after;
                }
                // The Krylov space is invariant, so the Ritz pairs in it are exact. Continue from a fresh direction (its
                // coupling is 0) unless the basis is already full.
                if (j + 1 < _m)
                    StartVector(w, _deflation, _basis, j + 1, _ops, ref _rng);
                else
                    Array.Clear(w);
                return 0;
            }

            /// <summary>Thick restart: keep the best Ritz vectors, continue from the last residual direction.</summary>
            public void Restart(Ritz ritz, int keep)
            {
                _ops.CombineInPlace(_basis, _m, ritz.Vectors, keep);
                (_basis[keep], _basis[_m]) = (_basis[_m], _basis[keep]);
                Array.Clear(T);
                for (int i = 0; i < keep; i++)
                    T[i, i] = ritz.Values[i];
                _kept = keep;
            }

            /// <summary>The wanted eigenpairs, as combinations of the basis.</summary>
            public Result Finish(Ritz ritz, int count, bool converged)
            {
                _ops.CombineInPlace(_basis, _m, ritz.Vectors, count);
                var vectors = new double[count][];
                for (int i = 0; i < count; i++)
                    vectors[i] = _basis[i];
                return new Result
                {
                    Values = ritz.Values.AsSpan(0, count).ToArray(),
                    Vectors = vectors,
                    Converged = converged,
                    Multiplications = Multiplications,
                };
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
