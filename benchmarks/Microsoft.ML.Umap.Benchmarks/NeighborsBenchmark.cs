using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The neighbour search alone on a generated Gaussian mixture (<c>neighbors N D</c>) or on a file's rows (<c>neighbors X.f32 D</c>): its time, its rounds as the
    /// fit logs them, its peak memory, and its recall@15 against exact search on a sample of rows. The search is the
    /// fit's (default parameters), so a change to it can be judged on time and recall together.
    /// </summary>
    internal static class NeighborsBenchmark
    {
        private const int RecallSample = 1000;

        /// <param name="source">A row count (the mixture is generated), or a file of little-endian float32 rows (the shared referee's X.f32).</param>
        /// <param name="columns">Values a row.</param>
        public static int Run(string source, int columns)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            RowMatrix data;
            if (File.Exists(source))
            {
                var bytes = File.ReadAllBytes(source);
                var values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                data = new RowMatrix(values, values.Length / columns, columns);
                Console.WriteLine($"{source}: {data.Rows:N0} x {columns}");
            }
            else
            {
                int rows = int.Parse(source, CultureInfo.InvariantCulture);
                data = new RowMatrix(rows, columns);
                var generate = GeneratedDataView.ScaleMixtureRows(columns);
                ParallelRange.For(rows, 4096, Environment.ProcessorCount, (start, end) =>
                {
                    for (int i = start; i < end; i++)
                        generate(i, data.Row(i));
                });
                Console.WriteLine($"Gaussian mixture: {rows:N0} x {columns}, {GeneratedDataView.ScaleClusters} clusters");
            }

            var parameters = new UmapParameters { Seed = 42 };
            var monitor = new FitMonitor(info: message => Console.WriteLine("  " + message));
            var clock = Stopwatch.StartNew();
            var graph = NeighborSearchFactory.Create(new DenseVectorSet(data), parameters).ComputeGraph(parameters.NumberOfNeighbors, monitor);
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"Neighbour search: {seconds:F2} s, peak working set {Measure.PeakWorkingSetMegabytes():F0} MB");
            Console.WriteLine($"Recall@15 on {RecallSample:N0} sampled rows: {Recall(data, graph, RecallSample):F4}");
            return 0;
        }

        /// <summary>Fraction of the true nearest neighbours (the row itself excluded) that <paramref name="graph"/> holds, on sampled rows.</summary>
        public static double Recall(RowMatrix data, KnnGraph graph, int sampleSize)
        {
            var exact = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(data), default, Environment.ProcessorCount);
            var rng = new Random(7);
            var sample = Enumerable.Range(0, data.Rows).OrderBy(_ => rng.Next()).Take(sampleSize).ToArray();
            int k = graph.NeighborCount;
            long found = 0, total = 0;
            var indices = new int[k];
            var distances = new float[k];
            foreach (int row in sample)
            {
                exact.Query(VectorView.Dense(data.ReadOnlyRow(row)), indices, distances);
                var truth = indices.Where(i => i != row).Take(k - 1).ToHashSet();
                var approximate = graph.RowIndices(row).Slice(1).ToArray();
                found += approximate.Count(truth.Contains);
                total += truth.Count;
            }
            return (double)found / total;
        }
    }
}
