using System;
using System.Diagnostics;
using System.IO;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>Progress on the log (standard error): each stage as it starts, then its share done at most every two seconds.</summary>
    internal sealed class ConsoleProgress : IProgress<UmapProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TextWriter _log;
        private UmapStage? _stage;
        private TimeSpan _lastReport;

        public ConsoleProgress(TextWriter log) => _log = log;

        public void Report(UmapProgress value)
        {
            lock (_gate)
            {
                bool newStage = value.Stage != _stage;
                if (!newStage && _clock.Elapsed - _lastReport < Interval)
                    return;
                _stage = value.Stage;
                _lastReport = _clock.Elapsed;
                _log.WriteLine(newStage
                    ? $"[{_clock.Elapsed.TotalSeconds,7:F1} s] {value.Stage}"
                    : $"[{_clock.Elapsed.TotalSeconds,7:F1} s] {value.Stage} {value.Fraction:P0}");
            }
        }
    }
}
