using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Runs a job file: {"task": "fit" | "fit_transform", "x": "X.f32", "n": N, "d": D, "emb": "emb.f32",
    /// "timing": "timing.json", "params": {"n_neighbors", "min_dist", "n_components", "metric", "n_epochs", "seed", "densmap"},
    /// "x_new": "...", "n_new": M, "emb_new": "...", "reference": "umap-learn"}. Matrices are raw little-endian
    /// float32, row-major. With "reference", umap-learn fits the same job in the same invocation and a line
    /// "vs umap-learn: N.Nx" follows the per-stage table.
    /// </summary>
    internal static class JobFile
    {
        public static int Run(string path)
        {
            var job = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
            string baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string Resolve(string? p) => p is null ? throw new InvalidDataException($"{path} lacks a file name.") : Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p);
            int Int(string name) => (int?)job[name] ?? throw new InvalidDataException($"{path} lacks '{name}'.");
            string task = (string?)job["task"] ?? "fit";
            if (task != "fit" && task != "fit_transform")
                throw new InvalidDataException($"Unknown task '{task}'; expected 'fit' or 'fit_transform'.");
            int n = Int("n"), d = Int("d");
            var x = ReadMatrix(Resolve((string?)job["x"]), n, d);
            var options = Options(job["params"] as JsonObject);

            var timing = new Dictionary<string, object>();
            var ml = new MLContext(seed: options.Seed);
            var data = Measure.Load(ml, x, n, d);
            var jit = JitSnapshot.Take();
            var clock = Stopwatch.StartNew();
            UmapTransformer? model = ml.Transforms.Umap(options).Fit(data);
            timing["fit_seconds"] = clock.Elapsed.TotalSeconds;
            jit.AddSince(timing, "");
            AddStages(timing, model, "");

            WriteMatrix(Resolve((string?)job["emb"]), model.GetTrainingEmbedding());

            if (task == "fit_transform")
            {
                int m = Int("n_new");
                var xNew = ReadMatrix(Resolve((string?)job["x_new"]), m, d);
                clock.Restart();
                var transformed = model.Transform(Measure.Load(ml, xNew, m, d));
                var rows = new List<float[]>(m);
                using (var cursor = transformed.GetRowCursor(new[] { transformed.Schema[options.OutputColumnName] }))
                {
                    var getter = cursor.GetGetter<Data.VBuffer<float>>(transformed.Schema[options.OutputColumnName]);
                    Data.VBuffer<float> buffer = default;
                    while (cursor.MoveNext())
                    {
                        getter(ref buffer);
                        rows.Add(System.Linq.Enumerable.ToArray(buffer.DenseValues()));
                    }
                }
                timing["transform_seconds"] = clock.Elapsed.TotalSeconds;
                WriteMatrix(Resolve((string?)job["emb_new"]), rows.ToArray());
            }

            // The warm fit runs once the first model is gone: keeping it alive (as this file once did) measured
            // two models' memory as the fit's peak (1.23 GB instead of 0.8 on MNIST 70k).
            model = null;
            GC.Collect();
            jit = JitSnapshot.Take();
            clock.Restart();
            var warm = ml.Transforms.Umap(options).Fit(data);
            timing["fit_seconds_warm"] = clock.Elapsed.TotalSeconds;
            jit.AddSince(timing, "_warm");
            // The warm fit's stages beside the first's show where a fit run once pays for compilation.
            AddStages(timing, warm, "_warm");

            timing["peak_working_set_mb"] = Measure.PeakWorkingSetMegabytes();
            File.WriteAllText(Resolve((string?)job["timing"] ?? "timing.json"), JsonSerializer.Serialize(timing, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine(JsonSerializer.Serialize(timing));
            PrintStages(timing);
            if ((string?)job["reference"] is string reference)
                PrintReference(reference, path, (double)timing["fit_seconds"]);
            return 0;
        }

        /// <summary>
        /// The JIT's work during a fit (all threads): where a first fit's extra time goes is compilation, and the
        /// tiers it climbs through, more than anything the fit computes.
        /// </summary>
        private readonly record struct JitSnapshot(TimeSpan Time, long Methods, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
        {
            public static JitSnapshot Take() => new(JitInfo.GetCompilationTime(), JitInfo.GetCompiledMethodCount(),
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

            public void AddSince(Dictionary<string, object> timing, string suffix)
            {
                timing[$"jit_seconds{suffix}"] = (JitInfo.GetCompilationTime() - Time).TotalSeconds;
                timing[$"jit_methods{suffix}"] = JitInfo.GetCompiledMethodCount() - Methods;
                // The collector's work in the same fit: a first fit starts with the runtime's initial budgets.
                timing[$"gc_collections{suffix}"] = $"{GC.CollectionCount(0) - Gen0}/{GC.CollectionCount(1) - Gen1}/{GC.CollectionCount(2) - Gen2}";
                timing[$"gc_pause_seconds{suffix}"] = (GC.GetTotalPauseDuration() - Paused).TotalSeconds;
            }
        }

        /// <summary>Each stage's seconds as <c>stage_{name}_seconds{suffix}</c>.</summary>
        private static void AddStages(Dictionary<string, object> timing, UmapTransformer model, string suffix)
        {
            foreach (var (stage, duration) in model.StageDurations)
                timing[$"stage_{stage.ToString().ToLowerInvariant()}_seconds{suffix}"] = duration.TotalSeconds;
        }

        /// <summary>The time per stage of the first fit and of the warm one, as a table after the JSON line.</summary>
        private static void PrintStages(Dictionary<string, object> timing)
        {
            double total = (double)timing["fit_seconds"];
            Console.WriteLine($"{"stage",-16} {"seconds",8} {"share",6} {"warm",8}");
            foreach (UmapStage stage in Enum.GetValues<UmapStage>())
            {
                string key = $"stage_{stage.ToString().ToLowerInvariant()}_seconds";
                double seconds = (double)timing[key];
                Console.WriteLine($"{stage,-16} {seconds,8:F2} {seconds / total,6:P0} {(double)timing[key + "_warm"],8:F2}");
            }
            Console.WriteLine($"{"fit",-16} {total,8:F2} {"",6} {(double)timing["fit_seconds_warm"],8:F2}");
            Console.WriteLine($"{"JIT",-16} {(double)timing["jit_seconds"],8:F2} {"",6} {(double)timing["jit_seconds_warm"],8:F2}"
                + $"  ({timing["jit_methods"]} / {timing["jit_methods_warm"]} methods)");
            Console.WriteLine($"{"GC pauses",-16} {(double)timing["gc_pause_seconds"],8:F2} {"",6} {(double)timing["gc_pause_seconds_warm"],8:F2}"
                + $"  (collections of generations 0/1/2: {timing["gc_collections"]} / {timing["gc_collections_warm"]})");
        }

        /// <summary>
        /// Runs the reference implementation on the same job (benchmarks/reference/umap_learn_job.py, with Debian's
        /// /usr/bin/python3 unless UMAP_REFERENCE_PYTHON says otherwise) and prints "vs umap-learn: N.Nx".
        /// </summary>
        private static void PrintReference(string reference, string jobPath, double fitSeconds)
        {
            if (reference != "umap-learn")
                throw new InvalidDataException($"Unknown reference '{reference}'; the benchmark can run 'umap-learn'.");
            string script = Path.Combine(AppContext.BaseDirectory, "reference", "umap_learn_job.py");
            string python = Environment.GetEnvironmentVariable("UMAP_REFERENCE_PYTHON") ?? "/usr/bin/python3";
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(Path.GetFullPath(jobPath));
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"umap-learn failed (exit code {process.ExitCode}); install it with apt-get install umap-learn python3-sklearn. {errors}");
            var result = JsonNode.Parse(output.Trim().Split('\n')[^1]) ?? throw new InvalidDataException("umap-learn printed nothing.");
            double referenceSeconds = (double)result["fit_seconds"]!;
            Console.WriteLine($"umap-learn {(string?)result["umap_learn_version"]}: fit {referenceSeconds:F2} s");
            Console.WriteLine($"vs umap-learn: {referenceSeconds / fitSeconds:F1}x");
        }

        private static UmapEstimator.Options Options(JsonObject? p)
        {
            var options = new UmapEstimator.Options { Seed = 42 };
            if (p is null)
                return options;
            if (p["n_neighbors"] is JsonNode k) options.NumberOfNeighbors = (int)k;
            if (p["min_dist"] is JsonNode md) options.MinimumDistance = (float)md;
            if (p["n_components"] is JsonNode nc) options.NumberOfComponents = (int)nc;
            if (p["n_epochs"] is JsonNode ne) options.NumberOfEpochs = (int)ne;
            if (p["seed"] is JsonNode s) options.Seed = (int)s;
            if (p["densmap"] is JsonNode densMap) options.DensityRegularization = (bool)densMap;
            if (p["metric"] is JsonNode metric)
            {
                options.Metric = Enum.TryParse<UmapMetric>((string?)metric, ignoreCase: true, out var parsed)
                    ? parsed
                    : throw new InvalidDataException($"Unknown metric '{metric}'; this version knows {string.Join(", ", Enum.GetNames<UmapMetric>())}.");
            }
            return options;
        }

        /// <summary>Reads the file straight into the matrix (no byte copy of it stays behind to inflate the peak).</summary>
        private static float[] ReadMatrix(string path, int rows, int columns)
        {
            using var stream = File.OpenRead(path);
            long expected = (long)rows * columns * sizeof(float);
            if (stream.Length != expected)
                throw new InvalidDataException($"{path} has {stream.Length} bytes; {rows} x {columns} float32 values need {expected}.");
            var values = new float[(long)rows * columns];
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        private static void WriteMatrix(string path, float[][] rows)
        {
            using var stream = File.Create(path);
            foreach (var row in rows)
                stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }
}
