using System;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// Runs a loop over [0, count) as contiguous chunks on a bounded number of threads. Chunk boundaries
    /// depend only on <c>count</c> and <c>chunkSize</c>, never on the thread count, so any per-chunk result
    /// (for example a partial sum) is the same however the chunks are scheduled.
    /// </summary>
    internal static class ParallelRange
    {
        /// <summary>
        /// Calls <paramref name="body"/>(start, end) for consecutive chunks of at most
        /// <paramref name="chunkSize"/> items, on at most <paramref name="threads"/> threads
        /// (inline when one thread or one chunk suffices).
        /// </summary>
        public static void For(int count, int chunkSize, int threads, Action<int, int> body, CancellationToken cancellation = default) =>
            For<object?>(count, chunkSize, threads, static () => null, (start, end, _) => body(start, end), static _ => { }, cancellation);

        /// <summary>
        /// As <see cref="For(int, int, int, Action{int, int}, CancellationToken)"/>, handing each worker its own state:
        /// <paramref name="rent"/> gives a worker its state when it starts, <paramref name="body"/> receives it with every
        /// chunk the worker runs, and <paramref name="release"/> takes it back when the worker is done (so states can be
        /// pooled and reused by later loops). The state is scratch: results must not depend on which worker ran a chunk.
        /// </summary>
        /// <remarks>
        /// A failing chunk stops the chunks after it from starting; the chunks before it still run, so the exception the
        /// caller sees is always the one of the first failing chunk, whatever the scheduling, and never an
        /// <see cref="AggregateException"/>.
        /// </remarks>
        public static void For<TWorker>(int count, int chunkSize, int threads, Func<TWorker> rent, Action<int, int, TWorker> body, Action<TWorker> release, CancellationToken cancellation = default)
        {
            if (count <= 0)
                return;
            chunkSize = Math.Max(1, chunkSize);
            int chunks = (int)(((long)count + chunkSize - 1) / chunkSize);
            if (threads <= 1 || chunks == 1)
            {
                var worker = rent();
                try
                {
                    for (int c = 0; c < chunks; c++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        int start = c * chunkSize;
                        body(start, Math.Min(count, start + chunkSize), worker);
                    }
                }
                finally
                {
                    release(worker);
                }
                return;
            }

            int firstFailure = int.MaxValue;
            Exception? failure = null;
            var gate = new object();
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
            Parallel.For(0, chunks, options, rent, (c, _, worker) =>
            {
                if (c > Volatile.Read(ref firstFailure))
                    return worker;
                try
                {
                    int start = c * chunkSize;
                    body(start, Math.Min(count, start + chunkSize), worker);
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        if (c < firstFailure)
                        {
                            failure = e;
                            Volatile.Write(ref firstFailure, c);
                        }
                    }
                }
                return worker;
            }, release);
            if (failure != null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
