// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Umap.Tests.Documentation;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// The shard promise: a file embedded in 4 shards by 4 processes at once, each started by the exact command line of
    /// the Slurm and Kubernetes examples in examples/past-one-machine, concatenates to the bytes one process writes.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class ShardTests
    {
        private const int Shards = 4;

        [SkippableFact]
        public void TheSlurmArrayJobsLinesEmbedFourShardsExactlyAsOneProcessDoes()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX), "The example job files are shell scripts.");
            var script = File.ReadAllLines(Example("slurm-transform.sbatch"));
            string line = Assert.Single(script, l => l.StartsWith("umap transform", StringComparison.Ordinal));
            Check("/bin/bash", line, index => new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = index, ["SLURM_CPUS_PER_TASK"] = "1" });
        }

        [SkippableFact]
        public void TheKubernetesIndexedJobsCommandEmbedsFourShardsExactlyAsOneProcessDoes()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX), "The example job's command is a shell command.");
            // The container's args: a folded YAML block ('>-'), its lines joined by spaces.
            var yaml = File.ReadAllLines(Example("kubernetes-transform-job.yaml"));
            int start = Array.FindIndex(yaml, l => l.Trim() == "- >-") + 1;
            var folded = yaml.Skip(start).TakeWhile(l => l.StartsWith("              ", StringComparison.Ordinal)).Select(l => l.Trim());
            string command = string.Join(" ", folded);
            Assert.Contains("umap transform", command);
            Check("/bin/sh", command, index => new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = index });
        }

        private static string Example(string name) => Path.Combine(DocumentationSnippets.RepositoryRoot(), "examples", "past-one-machine", name);

        private static void Check(string shell, string command, Func<string, Dictionary<string, string>> environment)
        {
            string folder = UmapTool.TemporaryFolder();
            try
            {
                var (header, lines, _) = UmapTool.DigitsCsv();
                UmapTool.WriteCsv(Path.Combine(folder, "digits.csv"), header, lines);
                UmapTool.Run(folder, "fit", "digits.csv", "--exclude", "id,label", "--sample", "1000", "--seed", "3", "-o", "model.zip", "-q").Succeeded();
                UmapTool.Run(folder, "transform", "digits.csv", "-m", "model.zip", "-o", "one-process.csv", "-q").Succeeded();

                // Contiguous shards of uneven sizes, each with the header.
                Directory.CreateDirectory(Path.Combine(folder, "shards"));
                Directory.CreateDirectory(Path.Combine(folder, "logs"));
                var bounds = new[] { 0, 211, 900, 1401, lines.Count };
                for (int s = 0; s < Shards; s++)
                    UmapTool.WriteCsv(Path.Combine(folder, "shards", $"part-{s}.csv"), header, lines.Skip(bounds[s]).Take(bounds[s + 1] - bounds[s]));

                // 'umap' on the PATH, as 'dotnet tool install' would put it.
                string bin = Path.Combine(folder, "bin");
                Directory.CreateDirectory(bin);
                string wrapper = Path.Combine(bin, "umap");
                File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet \"{UmapTool.Assembly}\" \"$@\"\n");
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

                var processes = Enumerable.Range(0, Shards).Select(s =>
                {
                    var start = new ProcessStartInfo(shell) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    start.ArgumentList.Add("-c");
                    start.ArgumentList.Add("set -e; mkdir -p embedded; " + command);
                    start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
                    foreach (var (key, value) in environment(s.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                        start.Environment[key] = value;
                    return Process.Start(start)!;
                }).ToList();
                foreach (var process in processes)
                    UmapTool.Wait(process).Succeeded();

                var joined = new List<string>();
                for (int s = 0; s < Shards; s++)
                    joined.AddRange(File.ReadAllLines(Path.Combine(folder, "embedded", $"part-{s}.csv")).Skip(s == 0 ? 0 : 1));
                var single = File.ReadAllLines(Path.Combine(folder, "one-process.csv"));
                Assert.Equal(single.Length, joined.Count);
                Assert.Equal(single, joined);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
#endif
