using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Benchmarks;

// Benchmarks of Microsoft.ML.Umap. Timings are wall-clock on this machine; nothing here is a test.
//
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks                      MNIST 70k fit
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- peers [rows]      MNIST fit beside umap-learn and uwot
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- transform          MNIST transform, save, load
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- job.json           a job file
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- synthetic N D      Gaussian mixture, N x D
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- neighbors N|X.f32 D the neighbour search alone on a Gaussian mixture or a file's rows: time, recall@15
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- scaling D N1 N2 .. the scaling curve (default 50 dims: 10k, 100k, 1M, 5M)
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- mnistlike N        N shifted, noised MNIST digits (784 dims)
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- shards [F S N]    umap tool: fit F rows, transform N shards of S rows in N processes
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- supervised         digits, (semi-)supervised quality
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- supervised mnist   MNIST 70k, semi-supervised
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- storage            dense rows vs NormalizeMinMax; dense vs sparse kernels
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- kernels            the squared Euclidean kernel alone; the encoder's matrix products
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- inverse            MNIST InverseTransform: accuracy, MSE, points/s
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- update             MNIST 60k fit + Update with 10k vs a 70k fit
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- parametric [N M]   parametric against non-parametric: fit N, embed M MNIST digits
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- parametric-sweep N M layers/epochs/batch/rate[/refinement/rate[/reg|obj|anchored[/seed]]][/pca=P][/neg=N][/aw=W][/awend=W]...  encoder settings from one fit
//   dotnet run -c Release --project benchmarks/Microsoft.ML.Umap.Benchmarks -- quality-job job.json  one fit of benchmarks/quality/quality.py (a stage swapped)
//
// MNIST is read from ../shared/data/mnist (or the folder in UMAP_MNIST_DIR); it is not shipped in the repository.

try
{
    if (args.Length == 0 || args[0] == "mnist")
        return MnistFitBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 70_000);
    if (args[0] == "peers")
        return PeersBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 70_000);
    if (args[0] == "transform")
        return TransformBenchmark.Run();
    if (args[0] == "parametric")
        return ParametricBenchmark.Run(args);
    if (args[0] == "parametric-sweep")
        return ParametricSweep.Run(args);
    if (args[0] == "supervised")
        return args.Length > 1 && args[1] == "mnist" ? SupervisedBenchmark.RunMnist() : SupervisedBenchmark.Run();
    if (args[0] == "kernels")
        return KernelBenchmark.Run();
    if (args[0] == "update")
        return UpdateBenchmark.Run();
    if (args[0] == "quality-job" && args.Length == 2)
        return QualityJob.Run(args[1]);
    if (args[0] == "inverse")
        return InverseBenchmark.Run();
    if (args[0] == "storage")
        return StorageBenchmark.Run();
    if (args[0] == "synthetic")
        return SyntheticBenchmark.Run(long.Parse(args[1]), int.Parse(args[2]));
    if (args[0] == "neighbors" && args.Length == 3)
        return NeighborsBenchmark.Run(args[1], int.Parse(args[2]));
    if (args[0] == "scaling")
        return SyntheticBenchmark.RunScaling(args.Length > 1 ? int.Parse(args[1]) : 50,
            args.Length > 2 ? args[2..].Select(long.Parse).ToArray() : new long[] { 10_000, 100_000, 1_000_000, 5_000_000 });
    if (args[0] == "shards")
        return ShardBenchmark.Run(args.Length > 1 ? long.Parse(args[1]) : 1_000_000, args.Length > 2 ? long.Parse(args[2]) : 2_000_000, args.Length > 3 ? int.Parse(args[3]) : 2);
    if (args[0] == "mnistlike")
        return SyntheticBenchmark.RunMnistLike(args.Length > 1 ? long.Parse(args[1]) : 1_000_000);
    if (args[0].EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(args[0]))
        return JobFile.Run(args[0]);
    Console.Error.WriteLine($"Unknown arguments: {string.Join(' ', args)}. Expected nothing, 'mnist [rows]', 'peers [rows]', 'transform', 'synthetic N D', 'neighbors N D', 'scaling [D [N...]]', 'mnistlike [N]', 'shards [F S N]', 'supervised [mnist]', 'storage', 'kernels', 'inverse', 'update', 'parametric [N M]', 'parametric-sweep N M settings...' or a job.json path.");
    return 2;
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
