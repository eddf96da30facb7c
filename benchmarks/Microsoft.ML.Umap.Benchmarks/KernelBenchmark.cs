using System;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Parametric;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The squared Euclidean kernel alone, one thread, at the widths UMAP meets (digits 64, MNIST 784): nanoseconds per
    /// distance; then the parametric encoder's matrix products at its training batch's shapes, in billions of
    /// multiply-adds per second. Run it with and without DOTNET_EnableAVX512F=0 to compare the 512-bit and 256-bit paths.
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
            foreach (int width in new[] { 80, 96, 128 })
                DenseProducts(256, width);
            foreach (int threads in new[] { 1, 2 })
                TrainingSteps(threads);
            return 0;
        }

        /// <summary>
        /// Whole training steps (forward, backward, Adam) of the default encoder (64 inputs, six hidden layers of 80, 2
        /// outputs) on batches of 256 random rows: what the products above become inside the trainer.
        /// </summary>
        private static void TrainingSteps(int threads)
        {
            const int Rows = 60_000, Inputs = 64, Batch = 256, Steps = 400;
            var rng = new Random(3);
            var data = new float[Rows * Inputs];
            for (int i = 0; i < data.Length; i++)
                data[i] = (float)(rng.NextDouble() - 0.5);
            int[] sizes = { Inputs, 80, 80, 80, 80, 80, 80, 2 };
            var network = EncoderNetwork.Initialize(sizes, 42);
            using var trainer = new EncoderTrainer(network, new DenseVectorSet(new RowMatrix(data, Rows, Inputs)), 1f, Batch, threads, default);
            var batch = new int[Batch];
            var outputGradient = new float[Batch * 2];
            double macs = 0;
            for (int l = 0; l + 1 < sizes.Length; l++)
                macs += (double)sizes[l] * sizes[l + 1] * (l == 0 ? 2 : 3); // forward and weight gradient; the inputs' gradient past the first layer
            macs *= Batch;
            double best = double.MaxValue, bestForward = double.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                var clock = Stopwatch.StartNew();
                double forward = 0;
                for (int step = 0; step < Steps; step++)
                {
                    for (int r = 0; r < Batch; r++)
                        batch[r] = rng.Next(Rows);
                    long before = Stopwatch.GetTimestamp();
                    trainer.Forward(batch);
                    forward += Stopwatch.GetElapsedTime(before).TotalSeconds;
                    var outputs = trainer.Outputs(Batch);
                    for (int i = 0; i < outputGradient.Length; i++)
                        outputGradient[i] = outputs[i] * 1e-3f;
                    trainer.BackwardAndStep(Batch, outputGradient, 1e-4);
                }
                best = Math.Min(best, clock.Elapsed.TotalSeconds / Steps);
                bestForward = Math.Min(bestForward, forward / Steps);
            }
            Console.WriteLine($"  encoder training step, {threads} thread(s): {best * 1e6,7:F1} µs per step of {Batch} rows ({bestForward * 1e6:F1} forward), {macs / best / 1e9,5:F1} G multiply-adds/s");
        }

        /// <summary>A batch's forward product, the backward one through a ReLU mask, and the weight gradient, at rows × width × width.</summary>
        private static void DenseProducts(int rows, int width)
        {
            var rng = new Random(2);
            float[] Values(int count, bool halfZero)
            {
                var values = new float[count];
                for (int i = 0; i < count; i++)
                    values[i] = halfZero && rng.Next(2) == 0 ? 0f : (float)(rng.NextDouble() - 0.5);
                return values;
            }
            // Activations after a ReLU are about half zeros, as in training.
            var x = Values(rows * width, halfZero: true);
            var weights = Values(width * width, halfZero: false);
            var bias = Values(width, halfZero: false);
            var y = new float[rows * width];
            var gradient = new float[width * width];
            double macs = (double)rows * width * width;
            string Rate(Action product)
            {
                double best = double.MaxValue;
                for (int round = 0; round < 5; round++)
                {
                    var clock = Stopwatch.StartNew();
                    for (int repeat = 0; repeat < 200; repeat++)
                        product();
                    best = Math.Min(best, clock.Elapsed.TotalSeconds / 200);
                }
                return $"{macs / best / 1e9,6:F1}";
            }
            string forward = Rate(() => DenseKernels.Affine(x, weights, bias, y, rows, width, width, LayerActivation.Relu));
            string backward = Rate(() => DenseKernels.Affine(x, weights, default, y, rows, width, width, LayerActivation.MaskByPositive, x));
            string weightGradient = Rate(() => DenseKernels.WeightGradient(x, x, gradient, rows, width, width, 0, width));
            Console.WriteLine($"  encoder {rows} x {width} x {width}: forward {forward}, backward {backward}, weight gradient {weightGradient} G multiply-adds/s");
        }
    }
}
