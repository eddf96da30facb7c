using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Microsoft.ML.Umap.Benchmarks
{
    /// <summary>
    /// Progress that records, per stage, its wall time and the largest working set seen while it ran (sampled every
    /// 25 ms, so a spike shorter than that can escape the stage's figure; the process's own peak catches it).
    /// </summary>
    internal sealed class StageMemory : IProgress<UmapProgress>, IDisposable
    {
        private readonly object _gate = new();
        private readonly Dictionary<UmapStage, long> _peakBytes = new();
        private readonly Dictionary<UmapStage, TimeSpan> _started = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Timer _timer;
        private UmapStage? _stage;

        public StageMemory() => _timer = new Timer(_ => Sample(), null, 0, 25);

        public IReadOnlyDictionary<UmapStage, long> PeakBytes => _peakBytes;

        public void Report(UmapProgress value)
        {
            lock (_gate)
            {
                if (value.Stage == _stage)
                    return;
                _stage = value.Stage;
                _started[value.Stage] = _clock.Elapsed;
            }
            Console.WriteLine($"  [{_clock.Elapsed.TotalSeconds,7:F1} s] {value.Stage}, working set {Environment.WorkingSet / 1048576.0:F0} MB");
            Sample();
        }

        private void Sample()
        {
            long bytes = Environment.WorkingSet;
            lock (_gate)
            {
                if (_stage is { } stage)
                    _peakBytes[stage] = Math.Max(bytes, _peakBytes.GetValueOrDefault(stage));
            }
        }

        public void Dispose() => _timer.Dispose();
    }
}
