using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Runs a job file: {"task": "fit" | "fit_transform", "x": "X.f32", "n": N, "d": D, "emb": "emb.f32",
    /// "timing": "timing.json", "params": {"n_neighbors", "min_dist", "n_components", "metric", "n_epochs", "seed", "densmap"},
    /// "x_new": "...", "n_new": M, "emb_new": "..."}. Matrices are raw little-endian float32, row-major.
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
            var clock = Stopwatch.StartNew();
            var model = ml.Transforms.Umap(options).Fit(data);
            timing["fit_seconds"] = clock.Elapsed.TotalSeconds;
            foreach (var (stage, duration) in model.StageDurations)
                timing[$"stage_{stage.ToString().ToLowerInvariant()}_seconds"] = duration.TotalSeconds;

            clock.Restart();
            ml.Transforms.Umap(options).Fit(data);
            timing["fit_seconds_warm"] = clock.Elapsed.TotalSeconds;
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

            timing["peak_working_set_mb"] = Measure.PeakWorkingSetMegabytes();
            File.WriteAllText(Resolve((string?)job["timing"] ?? "timing.json"), JsonSerializer.Serialize(timing, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine(JsonSerializer.Serialize(timing));
            return 0;
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

        private static float[] ReadMatrix(string path, int rows, int columns)
        {
            var bytes = File.ReadAllBytes(path);
            long expected = (long)rows * columns * sizeof(float);
            if (bytes.Length != expected)
                throw new InvalidDataException($"{path} has {bytes.Length} bytes; {rows} x {columns} float32 values need {expected}.");
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        private static void WriteMatrix(string path, float[][] rows)
        {
            using var stream = File.Create(path);
            foreach (var row in rows)
                stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }
}
