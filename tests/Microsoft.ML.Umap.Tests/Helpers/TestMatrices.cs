using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>Seeded test data.</summary>
    internal static class TestMatrices
    {
        /// <summary>n × d standard normal values.</summary>
        public static RowMatrix Gaussian(int n, int d, int seed)
        {
            var rng = new Random(seed);
            var values = new float[n * d];
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            return new RowMatrix(values, n, d);
        }

        /// <summary>Gaussian blobs of <paramref name="perCluster"/> points each, centred <paramref name="separation"/> apart on the first axis.</summary>
        public static (RowMatrix Data, int[] Labels) Blobs(int clusters, int perCluster, int d, double separation, int seed)
        {
            var noise = Gaussian(clusters * perCluster, d, seed);
            var labels = new int[clusters * perCluster];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = i / perCluster;
                noise.Values[i * d] += (float)(labels[i] * separation);
            }
            return (noise, labels);
        }

        /// <summary>A CSV fixture from the Fixtures folder.</summary>
        public static RowMatrix Fixture(string name)
        {
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).Where(l => l.Length > 0).ToArray();
            int d = lines[0].Split(',').Length;
            var values = lines.SelectMany(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
            return new RowMatrix(values, lines.Length, d);
        }

        public static float[][] ToJagged(RowMatrix m) => Enumerable.Range(0, m.Rows).Select(i => m.ReadOnlyRow(i).ToArray()).ToArray();
    }
}
