using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// One fit of the quality comparison (benchmarks/quality/quality.py), with one stage swapped when asked, so the
    /// harness can attribute a quality difference to a stage:
    /// {"x": "X.f32", "n": N, "d": D, "seed": S, "emb": "emb.f32",
    ///  "search": "exact" (optional: exact neighbours instead of NN-descent),
    ///  "knn": {"indices": "i.i32", "distances": "d.f32", "k": K} (optional: these neighbours, row itself first),
    ///  "init": "init.f32" (optional: this initial layout, n × 2, instead of the spectral one),
    ///  "dump": "folder" (optional: write the neighbours, the pruned graph and the initial layout the fit used),
    ///  "layout_repeats": R (optional: then time the layout stage alone R more times, wall clock and CPU)}.
    /// Files are raw little-endian, row-major. Prints one JSON line with the fit's time per stage.
    /// </summary>
    internal static class QualityJob
    {
        public static int Run(string path)
        {
            var job = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
            string baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string Resolve(string p) => Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p);
            int n = (int)job["n"]!, d = (int)job["d"]!;
            var data = new DenseVectorSet(new RowMatrix(Read<float>(Resolve((string)job["x"]!), (long)n * d), n, d));

            var parameters = new UmapParameters
            {
                Seed = (ulong)(int)job["seed"]!,
                NeighborSearch = (string?)job["search"] == "exact" ? UmapNeighborSearch.Exact : UmapNeighborSearch.Auto,
            };
            KnnGraph? knn = null;
            if (job["knn"] is JsonObject given)
            {
                int k = (int)given["k"]!;
                var indices = Read<int>(Resolve((string)given["indices"]!), (long)n * k);
                var distances = Read<float>(Resolve((string)given["distances"]!), (long)n * k);
                knn = Truncate(new KnnGraph(indices, distances, n, k), parameters.NumberOfNeighbors);
            }
            if ((string?)job["init"] is string init)
                parameters = parameters with { Initialization = UmapInitialization.Custom, InitialCoordinates = new RowMatrix(Read<float>(Resolve(init), (long)n * 2), n, 2) };

            if ((string?)job["dump"] is string dump)
                Dump(data, parameters, knn, Resolve(dump));

            var clock = Stopwatch.StartNew();
            var fit = UmapFitter.Fit(data, parameters, new FitMonitor(), precomputedNeighbors: knn);
            double seconds = clock.Elapsed.TotalSeconds;
            Write(Resolve((string)job["emb"]!), fit.Model.Embedding.Values);
            var result = new JsonObject { ["fit_seconds"] = seconds };
            foreach (UmapStage stage in Enum.GetValues<UmapStage>())
                result[$"{stage.ToString().ToLowerInvariant()}_seconds"] = fit.StageDurations[(int)stage].TotalSeconds;
            if (job["layout_repeats"] is JsonNode repeats)
                result["layouts"] = TimeLayouts(data, parameters, knn, (int)repeats);
            Console.WriteLine(result.ToJsonString());
            return 0;
        }

        /// <summary>
        /// Runs the layout stage alone <paramref name="repeats"/> times from the fit's graph and initial layout; the CPU
        /// time of the process says more than the wall clock on a machine other jobs share.
        /// </summary>
        private static JsonArray TimeLayouts(DenseVectorSet data, UmapParameters parameters, KnnGraph? knn, int repeats)
        {
            var start = UmapFitter.Fit(data, parameters with { NumberOfEpochs = 0 }, new FitMonitor(), precomputedNeighbors: knn);
            int epochs = parameters.DefaultEpochsFor(data.Count);
            var graph = EdgeSchedule.Prune(start.FuzzySet.Graph, epochs, epochs);
            var (a, b) = UmapFitter.FitCurve(parameters);
            var times = new JsonArray();
            using var process = Process.GetCurrentProcess();
            for (int r = 0; r < repeats; r++)
            {
                var embedding = start.Model.Embedding.Clone();
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                UmapFitter.OptimizeLayout(embedding, graph, start.Model.Neighbors, parameters, a, b, epochs, new FitMonitor());
                double wall = clock.Elapsed.TotalSeconds;
                process.Refresh();
                times.Add(new JsonObject { ["wall_seconds"] = wall, ["cpu_seconds"] = (process.TotalProcessorTime - cpu).TotalSeconds });
            }
            return times;
        }

        /// <summary>
        /// Runs the fit without epochs (its layout is then the initial one, scaled as the optimiser receives it) and
        /// writes the neighbours, the graph the layout samples (pruned for the default epochs) and that layout.
        /// </summary>
        private static void Dump(DenseVectorSet data, UmapParameters parameters, KnnGraph? knn, string folder)
        {
            Directory.CreateDirectory(folder);
            var fit = UmapFitter.Fit(data, parameters with { NumberOfEpochs = 0 }, new FitMonitor(), precomputedNeighbors: knn);
            var neighbors = fit.Model.Neighbors;
            Write(Path.Combine(folder, "knn_indices.i32"), neighbors.Indices);
            Write(Path.Combine(folder, "knn_distances.f32"), neighbors.Distances);
            int epochs = parameters.DefaultEpochsFor(data.Count);
            var graph = EdgeSchedule.Prune(fit.FuzzySet.Graph, epochs, epochs);
            Write(Path.Combine(folder, "graph_offsets.i32"), graph.RowOffsets);
            Write(Path.Combine(folder, "graph_columns.i32"), graph.ColumnIndices);
            Write(Path.Combine(folder, "graph_values.f32"), graph.Values);
            Write(Path.Combine(folder, "init.f32"), fit.Model.Embedding.Values);
        }

        /// <summary>The first <paramref name="k"/> neighbours of each row of a graph with more.</summary>
        private static KnnGraph Truncate(KnnGraph graph, int k)
        {
            if (graph.NeighborCount == k)
                return graph;
            int n = graph.PointCount;
            var indices = new int[n * k];
            var distances = new float[n * k];
            for (int i = 0; i < n; i++)
            {
                graph.RowIndices(i)[..k].CopyTo(indices.AsSpan(i * k, k));
                graph.RowDistances(i)[..k].CopyTo(distances.AsSpan(i * k, k));
            }
            return new KnnGraph(indices, distances, n, k);
        }

        private static T[] Read<T>(string path, long count)
            where T : unmanaged
        {
            var values = new T[count];
            using var stream = File.OpenRead(path);
            if (stream.Length != count * Marshal.SizeOf<T>())
                throw new InvalidDataException($"{path} has {stream.Length} bytes; expected {count} values of {Marshal.SizeOf<T>()} bytes.");
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        private static void Write<T>(string path, T[] values)
            where T : unmanaged
        {
            using var stream = File.Create(path);
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
