using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A team of threads kept for a run of many short parallel loops (the encoder's training steps, three loops of a few
    /// hundred microseconds each): the workers wait for the next loop by spinning, so handing them one costs well under
    /// a microsecond, where waking pool threads for every loop (<see cref="ParallelRange"/>) cost about as much as the
    /// loop's own work on this project's 2-core machine. A worker that has had nothing to do for a while sleeps until
    /// the next loop, so an idle team does not hold a core.
    /// </summary>
    /// <remarks>
    /// As with <see cref="ParallelRange"/>, a loop is a fixed list of chunks; which thread runs a chunk never changes
    /// what it computes, and an exception is the one of the first failing chunk. The thread that calls <see cref="Run"/>
    /// works too. One caller at a time.
    /// </remarks>
    internal sealed class ChunkTeam : IDisposable
    {
        /// <summary>How long a worker spins for the next loop before it sleeps.</summary>
        private static readonly TimeSpan SpinBeforeSleeping = TimeSpan.FromMilliseconds(2);

        private readonly Thread[] _workers;
        private readonly SemaphoreSlim _wake = new(0);
        private Job? _job;
        private int _sleepers;
        private volatile bool _disposed;

        /// <param name="threads">The threads a loop runs on, the caller's included (at least 1).</param>
        public ChunkTeam(int threads)
        {
            _workers = new Thread[Math.Max(0, threads - 1)];
            for (int i = 0; i < _workers.Length; i++)
            {
                _workers[i] = new Thread(Work) { IsBackground = true, Name = "UMAP chunk team" };
                _workers[i].Start();
            }
        }

        /// <summary>Calls <paramref name="body"/>(c) for every chunk c &lt; <paramref name="chunks"/>, on the team, and returns when all are done.</summary>
        public void Run(int chunks, Action<int> body, CancellationToken cancellation = default)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellation.ThrowIfCancellationRequested();
            if (chunks <= 0)
                return;
            var job = new Job(body, chunks, cancellation);
            if (_workers.Length > 0 && chunks > 1)
            {
                Volatile.Write(ref _job, job);
                int sleepers = Volatile.Read(ref _sleepers);
                if (sleepers > 0)
                    _wake.Release(sleepers);
            }
            job.Work();
            var spinner = new SpinWait();
            while (Volatile.Read(ref job.Done) < chunks)
                spinner.SpinOnce(sleep1Threshold: -1);
            job.Rethrow();
        }

        private void Work()
        {
            Job? seen = null;
            while (!_disposed)
            {
                var job = Volatile.Read(ref _job);
                if (job != seen && job is not null)
                {
                    seen = job;
                    job.Work();
                    continue;
                }
                if (!WaitForJob(seen))
                    return;
            }
        }

        /// <summary>Spins until a loop other than <paramref name="seen"/> is posted, then sleeps; false once the team is disposed.</summary>
        private bool WaitForJob(Job? seen)
        {
            var spinner = new SpinWait();
            long start = Environment.TickCount64;
            while (Volatile.Read(ref _job) == seen)
            {
                if (_disposed)
                    return false;
                if (spinner.Count % 64 == 63 && Environment.TickCount64 - start > SpinBeforeSleeping.TotalMilliseconds)
                {
                    Interlocked.Increment(ref _sleepers);
                    // A loop posted between the check above and here would not wake this worker: look once more.
                    if (Volatile.Read(ref _job) == seen && !_disposed)
                        _wake.Wait();
                    Interlocked.Decrement(ref _sleepers);
                    return !_disposed;
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            return true;
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_workers.Length > 0)
                _wake.Release(_workers.Length);
            foreach (var worker in _workers)
                worker.Join();
            _wake.Dispose();
        }

        /// <summary>One loop: its chunks, the next one to take, how many are done, and the first failure.</summary>
        private sealed class Job
        {
            private readonly Action<int> _body;
            private readonly int _chunks;
            private readonly CancellationToken _cancellation;
            private readonly object _gate = new();
            private int _next;
            private int _firstFailure = int.MaxValue;
            private Exception? _failure;
            public int Done;

            public Job(Action<int> body, int chunks, CancellationToken cancellation)
            {
                _body = body;
                _chunks = chunks;
                _cancellation = cancellation;
            }

            public void Work()
            {
                int chunk;
                while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
                {
                    // Chunks after a failure are not started; the ones before it still run, so the first failure wins.
                    if (chunk < Volatile.Read(ref _firstFailure))
                    {
                        try
                        {
                            _cancellation.ThrowIfCancellationRequested();
                            _body(chunk);
                        }
                        catch (Exception e)
                        {
                            lock (_gate)
                            {
                                if (chunk < _firstFailure)
                                {
                                    _failure = e;
                                    Volatile.Write(ref _firstFailure, chunk);
                                }
                            }
                        }
                    }
                    Interlocked.Increment(ref Done);
                }
            }

            public void Rethrow()
            {
                if (_failure is not null)
                    ExceptionDispatchInfo.Capture(_failure).Throw();
            }
        }
    }
}
