using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Helpers;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>A row of a sparse column: its values, its positions and its declared length.</summary>
    public sealed class SparseRow
    {
        public SparseRow(int dimension, int[] indices, float[] values)
        {
            Dimension = dimension;
            Indices = indices;
            Values = values;
        }

        public int Dimension { get; }

        public int[] Indices { get; }

        public float[] Values { get; }
    }

    /// <summary>Data shaped the way users' data breaks libraries: log-normal row scales, hashed sparse features, overflow-prone values.</summary>
    internal static class HostileData
    {
        /// <summary>Gaussian rows each scaled by exp(σ·N(0, 1)): the log-normal row norms of unnormalised counts.</summary>
        public static RowMatrix LogNormalRows(int n, int d, double sigma, int seed)
        {
            var data = TestMatrices.Gaussian(n, d, seed);
            var rng = new Random(seed + 1);
            for (int i = 0; i < n; i++)
            {
                float scale = (float)Math.Exp(sigma * Normal(rng));
                foreach (ref float v in data.Row(i))
                    v *= scale;
            }
            return data;
        }

        /// <summary><paramref name="n"/> rows with <paramref name="nonZeros"/> random positive values at random positions among <paramref name="dimension"/>.</summary>
        public static List<SparseRow> RandomSparse(int n, int dimension, int nonZeros, int seed)
        {
            var rng = new Random(seed);
            var rows = new List<SparseRow>(n);
            for (int i = 0; i < n; i++)
            {
                var positions = new SortedSet<int>();
                while (positions.Count < Math.Min(nonZeros, dimension))
                    positions.Add(rng.Next(dimension));
                rows.Add(new SparseRow(dimension, positions.ToArray(), positions.Select(_ => (float)(1 + rng.Next(5))).ToArray()));
            }
            return rows;
        }

        /// <summary>A data view with one sparse "Features" column of the rows' declared length.</summary>
        public static IDataView LoadSparse(MLContext ml, IReadOnlyList<SparseRow> rows)
        {
            var list = new List<(int[], float[])>(rows.Count);
            foreach (var row in rows)
                list.Add((row.Indices, row.Values));
            return new InMemoryDataView(list, null, rows[0].Dimension, sparse: true);
        }

        public static double Normal(Random rng) =>
            Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
