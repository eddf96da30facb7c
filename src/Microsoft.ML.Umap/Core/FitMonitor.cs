using System;
using System.Diagnostics;
using System.Threading;

namespace Microsoft.ML.Umap.Core
{
    /// <summary>
    /// What a running fit reports to and is controlled by: progress, informational messages, warnings and
    /// cancellation. The core knows nothing of ML.NET; the ML.NET layer forwards these to its channel.
    /// </summary>
    internal sealed class FitMonitor
    {
        private readonly IProgress<UmapProgress> _progress;
        private readonly Action<string> _info;
        private readonly Action<string> _warning;

        private readonly TimeSpan[] _durations = new TimeSpan[Enum.GetValues<UmapStage>().Length];

        public FitMonitor(IProgress<UmapProgress> progress = null, Action<string> info = null, Action<string> warning = null, CancellationToken cancellation = default)
        {
            _progress = progress;
            _info = info;
            _warning = warning;
            Cancellation = cancellation;
        }

        /// <summary>Checked by every long loop.</summary>
        public CancellationToken Cancellation { get; }

        /// <summary>Throws <see cref="OperationCanceledException"/> if cancellation was requested.</summary>
        public void ThrowIfCancellationRequested() => Cancellation.ThrowIfCancellationRequested();

        private readonly object _reportGate = new object();

        /// <summary>Reports progress; safe to call from worker threads (calls are serialised).</summary>
        public void Report(UmapStage stage, long completed, long total)
        {
            if (_progress is null)
                return;
            lock (_reportGate)
                _progress.Report(new UmapProgress(stage, completed, total));
        }

        public void Info(string message) => _info?.Invoke(message);

        public void Warning(string message) => _warning?.Invoke(message);

        /// <summary>Wall-clock time spent in <paramref name="stage"/> so far.</summary>
        public TimeSpan Duration(UmapStage stage) => _durations[(int)stage];

        /// <summary>Times a stage, reporting its start and end as progress and its duration as an info message.</summary>
        public StageTimer Stage(UmapStage stage, string description) => new StageTimer(this, stage, description);

        /// <summary>Measures one stage; dispose to report its end.</summary>
        public readonly struct StageTimer : IDisposable
        {
            private readonly FitMonitor _monitor;
            private readonly UmapStage _stage;
            private readonly string _description;
            private readonly long _start;

            public StageTimer(FitMonitor monitor, UmapStage stage, string description)
            {
                _monitor = monitor;
                _stage = stage;
                _description = description;
                _start = Stopwatch.GetTimestamp();
                monitor.Info($"{description}...");
            }

            public void Dispose()
            {
                var elapsed = Stopwatch.GetElapsedTime(_start);
                _monitor._durations[(int)_stage] += elapsed;
                _monitor.Info($"{_description}: done in {elapsed.TotalSeconds:F2} s.");
            }
        }
    }
}
