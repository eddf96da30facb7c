using System;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Graph
{
    /// <summary>
    /// The directed fuzzy membership of each k-nearest-neighbour edge (umap-learn
    /// <c>compute_membership_strengths</c>): exp(−max(0, d − rho_i) / sigma_i), 1 within rho_i, and no edge
    /// from a point to itself.
    /// </summary>
    internal static class MembershipStrengths
    {
        /// <summary>The membership of an edge of length <paramref name="distance"/> from a point with the given sigma and rho.</summary>
        public static float Membership(float distance, float sigma, float rho)
        {
            float excess = distance - rho;
            if (excess <= 0f || sigma == 0f)
                return 1f;
            return (float)PortableMath.Exp(-(excess / (double)sigma));
        }

        /// <summary>
        /// The directed membership matrix (n × n, row i holding the edges out of point i), zeros dropped.
        /// </summary>
        public static CsrMatrix Compute(KnnGraph knn, float[] sigmas, float[] rhos)
        {
            int n = knn.PointCount;
            int k = knn.NeighborCount;
            var offsets = new int[n + 1];
            var columns = new int[checked(n * k)];
            var values = new float[columns.Length];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                var idx = knn.RowIndices(i);
                var dist = knn.RowDistances(i);
                for (int j = 0; j < k; j++)
                {
                    int neighbor = idx[j];
                    if (neighbor < 0 || neighbor == i)
                        continue;
                    float value = Membership(dist[j], sigmas[i], rhos[i]);
                    if (value == 0f)
                        continue;
                    columns[count] = neighbor;
                    values[count] = value;
                    count++;
                }
                offsets[i + 1] = count;
            }
            Array.Resize(ref columns, count);
            Array.Resize(ref values, count);
            return CsrMatrix.FromRows(n, n, offsets, columns, values);
        }
    }
}
