// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// What only a process has: signals (a second Ctrl-C, timeout's repeated SIGTERM) and a standard error that
    /// cannot be written. Every signal path ends with exit code 130 and nothing left behind.
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class SignalTests : IClassFixture<DigitsModel>
    {
        private readonly DigitsModel _model;

        public SignalTests(DigitsModel model) => _model = model;

        [SkippableTheory]
        [InlineData("TERM")]
        [InlineData("INT")]
        public void TwoSignalsDuringAReadCancelOnceAndLeaveNothing(string signal)
        {
            Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Sends POSIX signals with kill.");
            string folder = Path.Combine(_model.Folder, "signal-" + signal);
            Directory.CreateDirectory(folder);
            UmapTool.WriteCsv(Path.Combine(folder, "big.csv"), _model.Header, Enumerable.Range(0, 400_000).Select(r => _model.Lines[r % _model.Lines.Count]));

            var process = UmapTool.Start(folder, "fit", "big.csv", "--exclude", "id,label", "-o", "model.zip");
            // The output's temporary file is made before the first row is read.
            var clock = Stopwatch.StartNew();
            while (Directory.GetFiles(folder, "*.partial").Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
                Thread.Sleep(10);
            Thread.Sleep(300);
            Kill(signal, process.Id);
            Thread.Sleep(50);
            Kill(signal, process.Id);
            var result = UmapTool.Wait(process);

            Assert.True(result.ExitCode == 130, $"exit code {result.ExitCode}: {result.Error}");
            Assert.Contains("umap: cancelled.", result.Error);
            Assert.DoesNotContain("Unhandled", result.Error);
            Assert.Equal(new[] { "big.csv" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
        }

        [SkippableFact]
        public void AStandardErrorOnAFullDiskDoesNotStopTheJob()
        {
            Skip.IfNot(File.Exists("/dev/full"), "Needs /dev/full.");
            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = _model.Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec dotnet \"{UmapTool.Assembly}\" fit digits.csv --exclude id,label --sample 400 --epochs 60 -o full-log.zip 2>/dev/full");

            var result = UmapTool.Wait(Process.Start(start)!);

            Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}");
            Assert.True(File.Exists(Path.Combine(_model.Folder, "full-log.zip")));
        }

        private static void Kill(string signal, int process)
        {
            using var kill = Process.Start("kill", $"-{signal} {process}")!;
            kill.WaitForExit();
        }
    }
}
#endif
