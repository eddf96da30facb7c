using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.ML.Umap.Samples;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// The first MNIST rows fitted by Microsoft.ML.Umap, umap-learn and uwot in one invocation on this machine, with
    /// default parameters, each peer in its fastest setting: first fit, warm fit, peak memory and the same quality
    /// measures for all three, then how many times faster than the fastest peer this library is.
    /// </summary>
    internal static class PeersBenchmark
    {
        private const int Seed = 42;

        private sealed record Result(string Name, double FirstFit, double WarmFit, double PeakMegabytes, Quality Quality);

        /// <summary>
        /// Trustworthiness@15 (5,000-row sample); kNN accuracy (k = 10) trained on the first six sevenths, tested on the
        /// rest (the MNIST split at 70,000 rows), and over 5 folds of all rows (steadier at 10,000, where the test
        /// split has 1,429 rows).
        /// </summary>
        private sealed record Quality(double Trustworthiness, double KnnAccuracy, double KnnFiveFold)
        {
            public static Quality Of(LabelledData data, float[][] embedding)
            {
                var (trust, knn) = Measure.Quality(data, embedding);
                return new Quality(trust, knn, UmapMetrics.KnnAccuracy(embedding, data.Labels, neighbors: 10, folds: 5));
            }
        }

        public static int Run(int rows)
        {
            Console.WriteLine($"Machine: {Measure.Machine()}");
            var mnist = Measure.Mnist70k();
            if (rows < mnist.Rows)
                mnist = mnist.Take(rows);
            Console.WriteLine($"MNIST: the first {mnist.Rows:N0} of 70,000 digits x {mnist.Columns}, default parameters; one program after the other");

            var results = new List<Result> { Ours(mnist) };
            Print(results[0]);
            string folder = Directory.CreateTempSubdirectory("umap-peers-").FullName;
            try
            {
                string input = Path.Combine(folder, "x.f32");
                using (var file = File.Create(input))
                    file.Write(MemoryMarshal.AsBytes(mnist.Features.AsSpan()));
                string reference = Path.Combine(AppContext.BaseDirectory, "reference");
                var peers = new (string Name, string Program, string Script, string Install)[]
                {
                    ("umap-learn", Environment.GetEnvironmentVariable("UMAP_REFERENCE_PYTHON") ?? "/usr/bin/python3", "peers_umap_learn.py", "apt-get install umap-learn python3-sklearn"),
                    ("uwot", "Rscript", "peers_uwot.R", "apt-get install r-cran-uwot"),
                };
                foreach (var peer in peers)
                {
                    var result = Peer(mnist, peer.Name, peer.Program, Path.Combine(reference, peer.Script), input, Path.Combine(folder, peer.Name + ".f32"));
                    if (result is null)
                    {
                        Console.WriteLine($"{peer.Name}: could not run (install it with {peer.Install}); left out");
                        continue;
                    }
                    results.Add(result);
                    Print(result);
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            Console.WriteLine();
            Console.WriteLine($"{"",-24} {"first fit",10} {"warm fit",10} {"peak MB",8} {"trust@15",9} {"kNN acc",8} {"5-fold",7}");
            foreach (var r in results)
                Console.WriteLine($"{r.Name,-24} {r.FirstFit,8:F2} s {r.WarmFit,8:F2} s {r.PeakMegabytes,8:F0} {r.Quality.Trustworthiness,9:F4} {r.Quality.KnnAccuracy,8:F4} {r.Quality.KnnFiveFold,7:F4}");
            if (results.Count > 1)
            {
                var ours = results[0];
                var firstPeer = results[1..].MinBy(r => r.FirstFit)!;
                var warmPeer = results[1..].MinBy(r => r.WarmFit)!;
                Console.WriteLine($"vs the fastest peer: first fit {firstPeer.FirstFit / ours.FirstFit:F1}x ({firstPeer.Name}), warm fit {warmPeer.WarmFit / ours.WarmFit:F1}x ({warmPeer.Name})");
            }
            return 0;
        }

        /// <summary>Two fits in this process: the first pays the JIT compilation, as a program run once does.</summary>
        private static Result Ours(LabelledData mnist)
        {
            var seconds = new double[2];
            float[][] embedding = Array.Empty<float[]>();
            for (int fit = 0; fit < 2; fit++)
            {
                // The first model is gone before the warm fit starts, as in the peers' scripts (a live one made the
                // warm fit pay for collecting around it: 12.3 s instead of 8.6 on MNIST 70k).
                GC.Collect();
                var ml = new MLContext(seed: Seed);
                var data = Measure.Load(ml, mnist.Features, mnist.Rows, mnist.Columns);
                var clock = Stopwatch.StartNew();
                embedding = ml.Transforms.Umap(new UmapEstimator.Options { Seed = Seed }).Fit(data).GetTrainingEmbedding();
                seconds[fit] = clock.Elapsed.TotalSeconds;
            }
            // The peak before the quality measures, which copy the data (the peers' peaks end with their fits too).
            double peak = Measure.PeakWorkingSetMegabytes();
            return new Result($"Microsoft.ML.Umap {typeof(UmapEstimator).Assembly.GetName().Version?.ToString(3)}", seconds[0], seconds[1], peak, Quality.Of(mnist, embedding));
        }

        /// <summary>Runs a peer's script on the rows; null when the peer is not installed.</summary>
        private static Result? Peer(LabelledData mnist, string name, string program, string script, string input, string output)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, input, mnist.Rows.ToString(), mnist.Columns.ToString(), output })
                start.ArgumentList.Add(argument);
            Process? process;
            try
            {
                process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            if (process is null)
                return null;
            using (process)
            {
                long peakBytes = 0;
                var errors = process.StandardError.ReadToEndAsync();
                var outputText = process.StandardOutput.ReadToEndAsync();
                // The peer's peak resident memory, read until it exits: each runtime reports it in its own way.
                while (!process.WaitForExit(100))
                    peakBytes = Math.Max(peakBytes, PeakResidentBytes(process.Id));
                if (process.ExitCode != 0)
                {
                    Console.WriteLine($"{name} failed (exit code {process.ExitCode}): {errors.Result.Trim()}");
                    return null;
                }
                var line = JsonNode.Parse(outputText.Result.Trim().Split('\n')[^1]) ?? throw new InvalidDataException($"{name} printed nothing.");
                var embedding = ReadEmbedding(output, mnist.Rows);
                return new Result($"{name} {(string?)line["version"]}", (double)line["first_fit_seconds"]!, (double)line["warm_fit_seconds"]!, peakBytes / (1024.0 * 1024.0), Quality.Of(mnist, embedding));
            }
        }

        /// <summary>The peak resident memory (VmHWM) of a process from /proc (0 where there is no /proc or the process has gone).</summary>
        private static long PeakResidentBytes(int processId)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{processId}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            return 0;
        }

        private static float[][] ReadEmbedding(string path, int rows)
        {
            var values = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
            if (values.Length % rows != 0)
                throw new InvalidDataException($"{path} holds {values.Length} floats, not a multiple of {rows} rows.");
            int columns = values.Length / rows;
            var embedding = new float[rows][];
            for (int i = 0; i < rows; i++)
                embedding[i] = values.AsSpan(i * columns, columns).ToArray();
            return embedding;
        }

        private static void Print(Result r) =>
            Console.WriteLine($"{r.Name}: first fit {r.FirstFit:F2} s, warm fit {r.WarmFit:F2} s, peak {r.PeakMegabytes:F0} MB, trustworthiness@15 {r.Quality.Trustworthiness:F4}, kNN accuracy {r.Quality.KnnAccuracy:F4} (5-fold {r.Quality.KnnFiveFold:F4})");
    }
}
