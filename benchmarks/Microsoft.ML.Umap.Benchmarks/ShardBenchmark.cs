using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Fit on a sample, transform everywhere, with the umap tool on one machine: 5,000,000 generated rows × 50 (the
    /// scaling curve's Gaussian mixture) written as Parquet, a fit on the first 1,000,000, then the other 4,000,000 in
    /// two shards transformed by two processes at once (one thread each). Prints time, rows/s, peak memory per process
    /// and the kNN accuracy of the transformed rows' clusters.
    /// </summary>
    internal static class ShardBenchmark
    {
        private const int Columns = 50;
        private const int Clusters = GeneratedDataView.ScaleClusters;
        private const int RowGroup = 100_000;

        public static int Run(long fitRows, long shardRows, int shards)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            string tool = ToolAssembly();
            string folder = Path.Combine(Path.GetTempPath(), $"umap-shards-{Environment.ProcessId}");
            Directory.CreateDirectory(folder);
            try
            {
                var generate = GeneratedDataView.ScaleMixtureRows(Columns);
                var clock = Stopwatch.StartNew();
                Write(Path.Combine(folder, "fit.parquet"), 0, fitRows, generate);
                for (int s = 0; s < shards; s++)
                    Write(Path.Combine(folder, $"shard-{s}.parquet"), fitRows + s * shardRows, shardRows, generate);
                Console.WriteLine($"Wrote {fitRows + shards * shardRows:N0} rows x {Columns} as Parquet (row groups of {RowGroup:N0}) in {clock.Elapsed.TotalSeconds:F0} s (not counted below)");

                clock.Restart();
                var fit = Tool(tool, folder, "fit", "fit.parquet", "--exclude", "id,cluster", "--seed", "1", "--output", "model.zip", "--quiet");
                UmapToolResult(fit, "fit");
                Console.WriteLine($"umap fit on {fitRows:N0} rows: {clock.Elapsed.TotalSeconds:F1} s (process wall time)");

                clock.Restart();
                var transforms = Enumerable.Range(0, shards)
                    .Select(s => Task.Run(() => Tool(tool, folder, "transform", $"shard-{s}.parquet", "--model", "model.zip", "--output", $"embedded-{s}.parquet", "--threads", "1")))
                    .ToArray();
                Task.WaitAll(transforms);
                double seconds = clock.Elapsed.TotalSeconds;
                for (int s = 0; s < shards; s++)
                    Console.WriteLine($"  process {s}: {UmapToolResult(transforms[s].Result, "transform")}");
                Console.WriteLine($"umap transform of {shards * shardRows:N0} rows in {shards} processes at once: {seconds:F1} s = {shards * shardRows / seconds:F0} rows/s");

                var (points, clusters) = ReadSample(Path.Combine(folder, "embedded-0.parquet"), 20_000);
                // Shuffled: the folds take every fifth row and the clusters repeat every 20 rows, so in file order a fold
                // would hold only clusters no other fold has.
                var order = Enumerable.Range(0, points.Length).OrderBy(i => FastRandomKey(i)).ToArray();
                double accuracy = UmapMetrics.KnnAccuracy(order.Select(i => points[i]).ToArray(), order.Select(i => clusters[i]).ToArray(), neighbors: 10, folds: 5);
                Console.WriteLine($"kNN accuracy of the transformed rows' clusters (k = 10, first {points.Length:N0} rows of shard 0, 5 folds): {accuracy:F4}");
                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static void Write(string path, long first, long rows, Action<long, Span<float>> generate)
        {
            var fields = new List<DataField> { new DataField<long>("id"), new DataField<int>("cluster") };
            fields.AddRange(Enumerable.Range(0, Columns).Select(d => new DataField<float>($"x{d}")));
            using var stream = File.Create(path);
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields.Cast<Field>().ToArray()), stream).GetAwaiter().GetResult();
            var row = new float[Columns];
            for (long start = 0; start < rows; start += RowGroup)
            {
                int count = (int)Math.Min(RowGroup, rows - start);
                var ids = new long[count];
                var clusters = new int[count];
                var values = Enumerable.Range(0, Columns).Select(_ => new float[count]).ToArray();
                for (int r = 0; r < count; r++)
                {
                    long id = first + start + r;
                    ids[r] = id;
                    clusters[r] = (int)(id % Clusters);
                    generate(id, row);
                    for (int d = 0; d < Columns; d++)
                        values[d][r] = row[d];
                }
                using var group = writer.CreateRowGroup();
                group.WriteAsync<long>(fields[0], ids.AsMemory()).GetAwaiter().GetResult();
                group.WriteAsync<int>(fields[1], clusters.AsMemory()).GetAwaiter().GetResult();
                for (int d = 0; d < Columns; d++)
                    group.WriteAsync<float>(fields[d + 2], values[d].AsMemory()).GetAwaiter().GetResult();
            }
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        private static (float[][] Points, int[] Clusters) ReadSample(string path, int rows)
        {
            var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
            var fields = reader.Schema.DataFields;
            var points = new List<float[]>();
            var clusters = new List<int>();
            for (int g = 0; g < reader.RowGroupCount && points.Count < rows; g++)
            {
                var group = reader.OpenRowGroupReader(g);
                int count = (int)group.RowCount;
                var cluster = new int[count];
                var x = new float[count];
                var y = new float[count];
                group.ReadAsync<int>(fields.First(f => f.Name == "cluster"), cluster.AsMemory()).AsTask().GetAwaiter().GetResult();
                group.ReadAsync<float>(fields.First(f => f.Name == "umap_0"), x.AsMemory()).AsTask().GetAwaiter().GetResult();
                group.ReadAsync<float>(fields.First(f => f.Name == "umap_1"), y.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int r = 0; r < count && points.Count < rows; r++)
                {
                    points.Add(new[] { x[r], y[r] });
                    clusters.Add(cluster[r]);
                }
            }
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return (points.ToArray(), clusters.ToArray());
        }

        private static ulong FastRandomKey(int i) => Core.Numerics.FastRandom.Mix((ulong)i + 1);

        private static (int ExitCode, string Error) Tool(string tool, string folder, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(tool);
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }

        /// <summary>The tool's closing line (time, rows/s, peak memory), or an exception with its messages.</summary>
        private static string UmapToolResult((int ExitCode, string Error) result, string command)
        {
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"umap {command} failed ({result.ExitCode}): {result.Error}");
            return result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
        }

        /// <summary>The tool built beside the benchmarks (same configuration), found from the repository root.</summary>
        private static string ToolAssembly()
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "src", "Microsoft.ML.Umap.Tool", "bin", configuration, "net10.0", "Microsoft.ML.Umap.Tool.dll");
                if (File.Exists(candidate))
                    return candidate;
            }
            throw new FileNotFoundException("The umap tool was not found; build the benchmarks (they build it) from the repository.");
        }
    }
}
