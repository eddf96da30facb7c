using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// How the feature column is stored (dense or sparse) and what it costs. Part 1: the same digits fitted from dense
    /// rows and after <c>NormalizeMinMax</c> (which hands some rows over as sparse buffers): fit time and whether the
    /// embeddings are identical. Part 2: where sparse storage starts to pay, as exact neighbour search time on the same
    /// values stored both ways at a range of densities (the rule the column reader applies).
    /// </summary>
    internal static class StorageBenchmark
    {
        public static int Run()
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            Compare("optdigits (1,797 x 64)", Datasets.Digits());
            var mnist = Datasets.Mnist("t10k").Take(5000);
            Compare("MNIST test digits (5,000 x 784)", mnist);
            Crossover();
            return 0;
        }

        private static void Compare(string name, LabelledData data)
        {
            Console.WriteLine();
            Console.WriteLine($"{name}, default options, seed 1: UMAP fit time, best of 3");
            // The values NormalizeMinMax gives, held once as dense rows: both fits see exactly the same values, and
            // only the buffers they arrive in differ (NormalizeMinMax leaves zeros implicit in some rows).
            var ml = new MLContext(seed: 1);
            var raw = Measure.Load(ml, data.Features, data.Rows, data.Columns);
            var normalizer = ml.Transforms.NormalizeMinMax("Features").Fit(raw);
            var normalized = normalizer.Transform(raw);
            var values = normalized.GetColumn<float[]>("Features").SelectMany(r => r).ToArray();
            var dense = Measure.Load(ml, values, data.Rows, data.Columns);
            float[][] fromDense = Array.Empty<float[]>(), fromNormalizer = Array.Empty<float[]>();
            foreach (var (label, view) in new[] { ("dense rows of the normalised values", dense), ("NormalizeMinMax's output", normalized) })
            {
                double best = double.MaxValue, reading = 0;
                for (int round = 0; round < 3; round++)
                {
                    var umap = new MLContext(seed: 1).Transforms.Umap(new UmapEstimator.Options { Seed = 1 });
                    var clock = Stopwatch.StartNew();
                    var model = umap.Fit(view);
                    double seconds = clock.Elapsed.TotalSeconds;
                    if (seconds < best)
                    {
                        best = seconds;
                        reading = model.StageDurations[UmapStage.ReadingData].TotalSeconds;
                    }
                    if (view == dense)
                        fromDense = model.GetTrainingEmbedding();
                    else
                        fromNormalizer = model.GetTrainingEmbedding();
                }
                Console.WriteLine($"  from {label,-36} {best,6:F2} s (reading {reading:F2} s)");
            }
            bool same = fromDense.Zip(fromNormalizer).All(p => p.First.AsSpan().SequenceEqual(p.Second));
            Console.WriteLine($"  identical embeddings: {same}");
        }

        /// <summary>Exact 15-NN of 2,000 rows of 784 values at several densities, stored densely and sparsely.</summary>
        private static void Crossover()
        {
            const int Rows = 2000, Width = 784;
            Console.WriteLine();
            Console.WriteLine($"Exact 15-NN search of {Rows:N0} rows x {Width}, Euclidean, same values stored both ways (best of 3)");
            Console.WriteLine("  non-zero   dense (s)   sparse (s)");
            foreach (double density in new[] { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5 })
            {
                var rng = new Random(3);
                var values = new float[Rows * Width];
                for (int i = 0; i < values.Length; i++)
                    values[i] = rng.NextDouble() < density ? (float)rng.NextDouble() : 0f;
                var dense = new DenseVectorSet(new RowMatrix(values, Rows, Width));
                var sparse = ToSparse(dense);
                double Time(VectorSet set)
                {
                    double best = double.MaxValue;
                    for (int round = 0; round < 3; round++)
                    {
                        var clock = Stopwatch.StartNew();
                        new ExactNearestNeighbors<EuclideanDistance>(set, default, Environment.ProcessorCount).ComputeGraph(15, new FitMonitor());
                        best = Math.Min(best, clock.Elapsed.TotalSeconds);
                    }
                    return best;
                }
                Console.WriteLine($"  {density,8:P0}   {Time(dense),9:F3}   {Time(sparse),10:F3}");
            }
        }

        private static SparseVectorSet ToSparse(DenseVectorSet dense)
        {
            var offsets = new int[dense.Count + 1];
            var indices = new System.Collections.Generic.List<int>();
            var values = new System.Collections.Generic.List<float>();
            for (int i = 0; i < dense.Count; i++)
            {
                var row = dense[i].Values;
                for (int j = 0; j < row.Length; j++)
                {
                    if (row[j] != 0f)
                    {
                        indices.Add(j);
                        values.Add(row[j]);
                    }
                }
                offsets[i + 1] = indices.Count;
            }
            return new SparseVectorSet(offsets, indices.ToArray(), values.ToArray(), dense.Dimension);
        }
    }
}
