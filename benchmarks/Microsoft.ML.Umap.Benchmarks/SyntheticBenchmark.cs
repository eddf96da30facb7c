using System;
using System.Diagnostics;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>A large generated data set (a Gaussian mixture) to measure time and memory at scale.</summary>
    internal static class SyntheticBenchmark
    {
        public static int Run(int rows, int columns)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            const int Clusters = 20;
            var values = new float[checked(rows * columns)];
            var centres = new float[Clusters * columns];
            var rng = new FastRandom(12345);
            for (int i = 0; i < centres.Length; i++)
                centres[i] = (float)(rng.NextGaussian() * 6);
            for (int i = 0; i < rows; i++)
            {
                int c = i % Clusters;
                for (int d = 0; d < columns; d++)
                    values[i * columns + d] = centres[c * columns + d] + (float)rng.NextGaussian();
            }
            Console.WriteLine($"Generated {rows:N0} x {columns} ({values.Length * 4.0 / (1 << 20):F0} MB), {Clusters} clusters");

            var ml = new MLContext(seed: 1);
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 1, Progress = new Measure.ConsoleProgress() })
                .Fit(Measure.Load(ml, values, rows, columns));
            Console.WriteLine($"Fit: {clock.Elapsed.TotalSeconds:F1} s, peak working set {Measure.PeakWorkingSetMegabytes():F0} MB");
            foreach (var (stage, duration) in model.StageDurations)
                Console.WriteLine($"  {stage,-15} {duration.TotalSeconds,7:F2} s");
            return 0;
        }
    }
}
