using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>Shared helpers: data locations, ML.NET loading, peak memory and machine description.</summary>
    internal static class Measure
    {
        /// <summary>The MNIST folder: UMAP_MNIST_DIR, or shared/data/mnist found above the working directory.</summary>
        public static string MnistDirectory()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("UMAP_MNIST_DIR");
            if (!string.IsNullOrEmpty(fromEnvironment))
                return fromEnvironment;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
                    if (File.Exists(Path.Combine(candidate, "train-images-idx3-ubyte.gz")))
                        return candidate;
                }
            }
            throw new DirectoryNotFoundException("MNIST training files not found: set UMAP_MNIST_DIR or run from inside the workspace that holds shared/data/mnist.");
        }

        /// <summary>The 60,000 training digits followed by the 10,000 test digits.</summary>
        public static LabelledData Mnist70k() => Datasets.Mnist(MnistDirectory(), "train", "t10k");

        /// <summary>An IDataView over a flat matrix without copying rows into objects (column "Features").</summary>
        public static IDataView Load(MLContext ml, float[] values, int rows, int columns) =>
            new GeneratedDataView(rows, columns, (row, destination) => values.AsSpan((int)(row * columns), columns).CopyTo(destination));

        /// <summary>
        /// Trustworthiness@15 on a 5,000-row sample and kNN accuracy (k = 10) of an embedding of MNIST rows: trained on
        /// the first six sevenths (the 60,000 training digits of 70,000), tested on the rest.
        /// </summary>
        public static (double Trustworthiness, double KnnAccuracy) Quality(LabelledData data, float[][] embedding)
        {
            double trust = UmapMetrics.Trustworthiness(data.ToJagged(), embedding, neighbors: 15, sampleSize: 5000, seed: 1);
            int trainRows = TrainRows(data);
            double knn = UmapMetrics.KnnAccuracy(
                embedding[..trainRows], data.Labels[..trainRows], embedding[trainRows..], data.Labels[trainRows..], neighbors: 10);
            return (trust, knn);
        }

        /// <summary>The rows <see cref="Quality"/> trains its kNN classifier on.</summary>
        public static int TrainRows(LabelledData data) => Math.Min(60_000, data.Rows * 6 / 7);

        public static double PeakWorkingSetMegabytes()
        {
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return process.PeakWorkingSet64 / (1024.0 * 1024.0);
        }

        public static string Machine() =>
            $"{Environment.ProcessorCount} cores, {RuntimeInformation()}";

        private static string RuntimeInformation() =>
            $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $"AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}";

        /// <summary>Reports each stage as it starts, with the time since the fit began.</summary>
        public sealed class ConsoleProgress : IProgress<UmapProgress>
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private UmapStage? _stage;

            public void Report(UmapProgress value)
            {
                if (value.Stage != _stage)
                {
                    _stage = value.Stage;
                    Console.WriteLine($"  [{_clock.Elapsed.TotalSeconds,6:F2} s] {value.Stage}");
                }
            }
        }
    }
}
