using System;
using System.Diagnostics;
using System.Threading;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>
    /// What a running fit reports to and is controlled by: progress, informational messages, warnings and
    /// cancellation. The core knows nothing of ML.NET; the ML.NET layer forwards these to its channel.
    /// </summary>
    /// <remarks>
    /// Progress reads right whoever reports it: within a stage the total is the first one reported, a report from
    /// another part of the stage is converted to it, and a report that would move the fraction back (or repeat it) is
    /// dropped, so each stage runs from 0 to its total without jumps back. A <see cref="Progress{T}"/> delivers on the
    /// thread pool when it was made without a synchronisation context; <see cref="WaitForDelivery"/> then waits for
    /// every report to arrive, so none comes after the fit has returned.
    /// </remarks>
    internal sealed class FitMonitor : IDisposable
    {
        private static readonly int StageCount = Enum.GetValues<UmapStage>().Length;

        private readonly IProgress<UmapProgress>? _progress;
        private readonly Action<string>? _info;
        private readonly Action<string>? _warning;
        private readonly long[] _completed = new long[StageCount];
        private readonly long[] _totals = new long[StageCount];
        private readonly bool[] _started = new bool[StageCount];
        private readonly object _reportGate = new object();

        private readonly TimeSpan[] _durations = new TimeSpan[StageCount];

        // Reports handed to a Progress<T> and reports it has delivered (its ProgressChanged event follows each).
        private readonly Progress<UmapProgress>? _posting;
        private long _posted;
        private long _delivered;

        public FitMonitor(IProgress<UmapProgress>? progress = null, Action<string>? info = null, Action<string>? warning = null, CancellationToken cancellation = default)
        {
            _progress = progress;
            _info = info;
            _warning = warning;
            Cancellation = cancellation;
            if (progress is Progress<UmapProgress> posting)
            {
                _posting = posting;
                _posting.ProgressChanged += OnDelivered;
            }
        }

        /// <summary>Checked by every long loop.</summary>
        public CancellationToken Cancellation { get; }

        /// <summary>True when someone listens to progress (work done only to report it can be skipped otherwise).</summary>
        public bool WantsProgress => _progress != null;

        /// <summary>Throws <see cref="OperationCanceledException"/> if cancellation was requested.</summary>
        public void ThrowIfCancellationRequested() => Cancellation.ThrowIfCancellationRequested();

        /// <summary>
        /// Reports <paramref name="completed"/> of <paramref name="total"/> units of <paramref name="stage"/>; safe to call
        /// from worker threads (calls are serialised). A total of 0 means the stage has nothing to do.
        /// </summary>
        public void Report(UmapStage stage, long completed, long total)
        {
            if (_progress is null)
                return;
            lock (_reportGate)
            {
                int s = (int)stage;
                if (_started[s] && total != _totals[s])
                {
                    // Another part of the stage, counting its own units: expressed in the stage's.
                    completed = total <= 0 ? _totals[s] : (long)Math.Floor((double)completed / total * _totals[s]);
                    total = _totals[s];
                }
                total = Math.Max(0, total);
                completed = Math.Clamp(completed, 0, total);
                if (_started[s] && completed <= _completed[s])
                    return;
                _started[s] = true;
                _totals[s] = total;
                _completed[s] = completed;
                if (_posting != null)
                    Interlocked.Increment(ref _posted);
                _progress.Report(new UmapProgress(stage, completed, total));
            }
        }

        /// <summary>Reports <paramref name="stage"/> complete (at its total, or 1 of 1 if it never reported).</summary>
        public void Finish(UmapStage stage)
        {
            int s = (int)stage;
            if (_started[s])
                Report(stage, _totals[s], _totals[s]);
            else
                Report(stage, 1, 1);
        }

        /// <summary>
        /// Waits (up to <paramref name="timeout"/>) until a <see cref="Progress{T}"/> has delivered every report. Only
        /// called without a synchronisation context: on a UI thread the deliveries wait for this very thread.
        /// </summary>
        public void WaitForDelivery(TimeSpan timeout)
        {
            if (_posting is null || SynchronizationContext.Current != null)
                return;
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref _delivered) < Interlocked.Read(ref _posted) && clock.Elapsed < timeout)
                Thread.Sleep(1);
        }

        private void OnDelivered(object? sender, UmapProgress value) => Interlocked.Increment(ref _delivered);

        public void Dispose()
        {
            if (_posting != null)
                _posting.ProgressChanged -= OnDelivered;
        }

        public void Info(string message) => _info?.Invoke(message);

        public void Warning(string message) => _warning?.Invoke(message);

        /// <summary>Wall-clock time spent in each stage so far, indexed by <see cref="UmapStage"/> (a copy).</summary>
        public TimeSpan[] Durations() => (TimeSpan[])_durations.Clone();

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
