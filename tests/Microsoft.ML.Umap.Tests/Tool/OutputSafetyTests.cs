// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tool.Files;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// Nothing the tool writes ever replaces what it reads, whatever the path says, and nothing is written through a
    /// link or another job's file: the output appears whole, under its name, or not at all.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class OutputSafetyTests : IClassFixture<DigitsModel>
    {
        private readonly DigitsModel _model;

        public OutputSafetyTests(DigitsModel model) => _model = model;

        [SkippableTheory]
        [InlineData("the same name")]
        [InlineData("a symbolic link")]
        [InlineData("a hard link")]
        [InlineData("another spelling")]
        [InlineData("a linked folder")]
        public void AnOutputThatIsTheInputIsRefusedAndTheInputKept(string how)
        {
            Skip.If(OperatingSystem.IsWindows(), "Makes symbolic and hard links with ln.");
            string folder = Path.Combine(_model.Folder, "same-" + how.Replace(' ', '-'));
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            UmapTool.WriteCsv(Path.Combine(folder, "in.csv"), _model.Header, _model.Lines.Take(40));
            File.Copy(Path.Combine(_model.Folder, "model.zip"), Path.Combine(folder, "model.zip"));
            var input = File.ReadAllBytes(Path.Combine(folder, "in.csv"));
            var model = File.ReadAllBytes(Path.Combine(folder, "model.zip"));
            string Alias(string target, string name)
            {
                switch (how)
                {
                    case "the same name": return target;
                    case "a symbolic link": File.CreateSymbolicLink(Path.Combine(folder, name), target); return name;
                    case "a hard link": Link(Path.Combine(folder, target), Path.Combine(folder, name)); return name;
                    case "another spelling": return $"./sub/../{target}";
                    default:
                        if (!Directory.Exists(Path.Combine(folder, "linked")))
                            Directory.CreateSymbolicLink(Path.Combine(folder, "linked"), folder);
                        return $"linked/{target}";
                }
            }

            string csvAlias = Alias("in.csv", "alias.csv");
            var attempts = new System.Collections.Generic.List<string[]>
            {
                new[] { "fit", "in.csv", "--exclude", "id,label", "-o", csvAlias },
                new[] { "transform", "in.csv", "-m", "model.zip", "-o", csvAlias },
            };
            if (how is "a symbolic link" or "a hard link")
            {
                // Links may carry any extension: a plot named .png that is the CSV, a .csv output that is the model.
                attempts.Add(new[] { "plot", "in.csv", "--columns", "p0,p1", "-o", Alias("in.csv", "alias.png") });
                attempts.Add(new[] { "transform", "in.csv", "-m", "model.zip", "-o", Alias("model.zip", "model-alias.csv") });
            }
            foreach (var arguments in attempts)
            {
                var result = UmapTool.Run(folder, arguments);
                Assert.True(result.ExitCode == 2, $"{string.Join(' ', arguments)}: exit code {result.ExitCode}: {result.Error}");
                Assert.Contains("is the input", result.Error);
                Assert.Equal(input, File.ReadAllBytes(Path.Combine(folder, "in.csv")));
                Assert.Equal(model, File.ReadAllBytes(Path.Combine(folder, "model.zip")));
            }
            Assert.Empty(_model.TemporaryFiles());
        }

        [SkippableFact]
        public void NothingIsWrittenThroughALinkAtTheOutputOrAtAPartialFilesName()
        {
            Skip.If(OperatingSystem.IsWindows(), "Makes symbolic links.");
            string folder = Path.Combine(_model.Folder, "links");
            Directory.CreateDirectory(folder);
            string shard = Path.Combine(folder, "shard.csv");
            UmapTool.WriteCsv(shard, _model.Header, _model.Lines.Take(30));
            File.WriteAllText(Path.Combine(folder, "victim.txt"), "precious");
            File.WriteAllText(Path.Combine(folder, "other-victim.txt"), "also precious");
            // The name the tool once wrote its partial output under, planted by someone who can write the folder.
            File.CreateSymbolicLink(Path.Combine(folder, "out.csv.partial"), Path.Combine(folder, "victim.txt"));
            File.CreateSymbolicLink(Path.Combine(folder, "out.csv"), Path.Combine(folder, "other-victim.txt"));

            UmapTool.Run(folder, "transform", "shard.csv", "-m", Path.Combine(_model.Folder, "model.zip"), "-o", "out.csv", "-q").Succeeded();

            Assert.Equal("precious", File.ReadAllText(Path.Combine(folder, "victim.txt")));
            Assert.Equal("also precious", File.ReadAllText(Path.Combine(folder, "other-victim.txt")));
            var output = new FileInfo(Path.Combine(folder, "out.csv"));
            Assert.Null(output.LinkTarget);
            Assert.Equal(31, File.ReadAllLines(output.FullName).Length);
            Assert.Equal(new[] { "out.csv.partial" }, _model.TemporaryFiles().Select(Path.GetFileName).ToArray());
            File.Delete(Path.Combine(folder, "out.csv.partial"));
        }

        [Fact]
        public async Task OfTwoJobsWritingOneOutputOnlyTheOneWhoseRowsLandReportsSuccess()
        {
            string folder = Path.Combine(_model.Folder, "two-jobs");
            Directory.CreateDirectory(folder);
            // Job a is long (20,000 rows on one thread); job b starts and ends while a runs.
            UmapTool.WriteCsv(Path.Combine(folder, "a.csv"), _model.Header, Enumerable.Range(0, 20_000).Select(r => _model.Lines[r % _model.Lines.Count]));
            UmapTool.WriteCsv(Path.Combine(folder, "b.csv"), _model.Header, _model.Lines.Take(10));
            string model = Path.Combine(_model.Folder, "model.zip");
            UmapTool.Run(folder, "transform", "b.csv", "-m", model, "-o", "b-alone.csv", "-q").Succeeded();

            var jobA = Task.Run(() => UmapTool.Run(folder, "transform", "a.csv", "-m", model, "-o", "out.csv", "-q", "--threads", "1", "--batch-size", "500"));
            var clock = Stopwatch.StartNew();
            while (Directory.GetFiles(folder, ".out.csv.*.partial").Length == 0 && !jobA.IsCompleted)
                Thread.Sleep(5);
            var jobB = UmapTool.Run(folder, "transform", "b.csv", "-m", model, "-o", "out.csv", "-q");
            var resultA = await jobA;

            jobB.Succeeded();
            Assert.True(resultA.ExitCode == 1, $"job a: exit code {resultA.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s: {resultA.Error}");
            Assert.Contains("was written by another process while this one ran", resultA.Error);
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "b-alone.csv")), File.ReadAllBytes(Path.Combine(folder, "out.csv")));
            Assert.Empty(_model.TemporaryFiles());
        }

        [Fact]
        public void OfTwoProcessesWritingOneOutputTheOneWhoseRowsLandIsTheOneThatSucceeds()
        {
            string folder = Path.Combine(_model.Folder, "two-processes");
            Directory.CreateDirectory(folder);
            UmapTool.WriteCsv(Path.Combine(folder, "a.csv"), _model.Header, Enumerable.Range(0, 3000).Select(r => _model.Lines[r % _model.Lines.Count]));
            UmapTool.WriteCsv(Path.Combine(folder, "b.csv"), _model.Header, Enumerable.Range(0, 3000).Select(r => _model.Lines[(r + 7) % _model.Lines.Count]));
            string model = Path.Combine(_model.Folder, "model.zip");
            UmapTool.Run(folder, "transform", "a.csv", "-m", model, "-o", "a-alone.csv", "-q").Succeeded();
            UmapTool.Run(folder, "transform", "b.csv", "-m", model, "-o", "b-alone.csv", "-q").Succeeded();

            var jobs = new[] { "a.csv", "b.csv" }.Select(input => UmapTool.Start(folder, "transform", input, "-m", model, "-o", "out.csv", "-q", "--threads", "1")).ToArray();
            var results = jobs.Select(UmapTool.Wait).ToArray();

            var landed = File.ReadAllBytes(Path.Combine(folder, "out.csv"));
            int winner = landed.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, "a-alone.csv"))) ? 0
                : landed.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, "b-alone.csv"))) ? 1 : -1;
            Assert.True(winner >= 0, "out.csv holds neither job's whole output");
            results[winner].Succeeded();
            // The other job either failed saying why, or finished before the winner started (its output replaced, as a rerun's is).
            Assert.True(results[1 - winner].ExitCode == 0 || results[1 - winner].Error.Contains("was written by another process", StringComparison.Ordinal), results[1 - winner].Error);
            Assert.Empty(_model.TemporaryFiles());
        }

        [Fact]
        public void OutputProblemsAreFoundBeforeTheDataIsRead()
        {
            string folder = Path.Combine(_model.Folder, "early");
            Directory.CreateDirectory(folder);
            // Reading this file fails at its second row: a check made after reading would report that instead.
            File.WriteAllText(Path.Combine(folder, "bad.csv"), "a,b\n1,2\n3,x\n");

            var result = UmapTool.Run(folder, "fit", "bad.csv", "-o", "missing-folder/model.zip");
            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("missing-folder' does not exist", result.Error);

            result = UmapTool.Run(folder, "transform", "bad.csv", "-m", Path.Combine(_model.Folder, "model.zip"), "-o", "missing-folder/out.csv");
            Assert.True(result.ExitCode == 1, result.Error);
            Assert.Contains("missing-folder' does not exist", result.Error);

            Directory.CreateDirectory(Path.Combine(folder, "a-folder"));
            result = UmapTool.Run(folder, "fit", "bad.csv", "-o", "a-folder");
            Assert.True(result.ExitCode == 2, result.Error);
            Assert.Contains("is a folder", result.Error);

            result = UmapTool.Run(folder, "fit", "bad.csv", "-o", "");
            Assert.True(result.ExitCode == 2, result.Error);
            Assert.Contains("--output names no file", result.Error);
            Assert.Empty(_model.TemporaryFiles());
        }

        [SkippableFact]
        public void WithoutTheFilesIdentityResolvedPathsStillSeeLinksAndSpellings()
        {
            Skip.If(OperatingSystem.IsWindows(), "Makes symbolic links.");
            string folder = Path.Combine(_model.Folder, "by-path");
            Directory.CreateDirectory(Path.Combine(folder, "real"));
            File.WriteAllText(Path.Combine(folder, "real", "x.csv"), "a\n1\n");
            File.WriteAllText(Path.Combine(folder, "real", "y.csv"), "a\n1\n");
            Directory.CreateSymbolicLink(Path.Combine(folder, "dir-link"), Path.Combine(folder, "real"));
            File.CreateSymbolicLink(Path.Combine(folder, "relative-link.csv"), "dir-link/x.csv");
            File.CreateSymbolicLink(Path.Combine(folder, "loop-a"), "loop-b");
            File.CreateSymbolicLink(Path.Combine(folder, "loop-b"), "loop-a");
            string x = Path.Combine(folder, "real", "x.csv");

            Assert.True(SameFile.ByPath(x, Path.Combine(folder, "real", ".", "..", "real", "x.csv")));
            Assert.True(SameFile.ByPath(x, Path.Combine(folder, "dir-link", "x.csv")));
            Assert.True(SameFile.ByPath(x, Path.Combine(folder, "relative-link.csv")));
            Assert.False(SameFile.ByPath(x, Path.Combine(folder, "real", "y.csv")));
            Assert.Throws<IOException>(() => SameFile.Resolve(Path.Combine(folder, "loop-a")));
        }

        private static void Link(string target, string name)
        {
            using var ln = Process.Start("ln", new[] { target, name })!;
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }
    }
}
#endif
