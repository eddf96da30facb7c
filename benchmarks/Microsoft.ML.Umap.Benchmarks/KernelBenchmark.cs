using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Distances;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The squared Euclidean kernel alone, one thread, at the widths UMAP meets (digits 64, MNIST 784): nanoseconds per
    /// distance. Run it with and without DOTNET_EnableAVX512F=0 to compare the 512-bit and 256-bit paths.
    /// </summary>
    internal static class KernelBenchmark
    {
        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}; 512-bit vectors accelerated: {Vector512.IsHardwareAccelerated}");
            foreach (int width in new[] { 16, 64, 784 })
            {
                const int Rows = 512;
                var rng = new Random(1);
                var data = new float[Rows * width];
                for (int i = 0; i < data.Length; i++)
                    data[i] = (float)rng.NextDouble();
                double best = double.MaxValue;
                float sink = 0;
                for (int round = 0; round < 5; round++)
                {
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < Rows; i++)
                    {
                        var x = new ReadOnlySpan<float>(data, i * width, width);
                        for (int j = 0; j < Rows; j++)
                            sink += DistanceKernels.SquaredEuclidean(x, new ReadOnlySpan<float>(data, j * width, width));
                    }
                    best = Math.Min(best, clock.Elapsed.TotalSeconds);
                }
                Console.WriteLine($"  width {width,4}: {best * 1e9 / (Rows * Rows),7:F2} ns per distance   (checksum {sink:E3})");
            }
            return 0;
        }
    }
}
