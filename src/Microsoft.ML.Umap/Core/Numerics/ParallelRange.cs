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
        public static void For(int count, int chunkSize, int threads, Action<int, int> body, CancellationToken cancellation = default)
        {
            if (count <= 0)
                return;
            chunkSize = Math.Max(1, chunkSize);
            int chunks = (int)(((long)count + chunkSize - 1) / chunkSize);
            if (threads <= 1 || chunks == 1)
            {
                for (int c = 0; c < chunks; c++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int start = c * chunkSize;
                    body(start, Math.Min(count, start + chunkSize));
                }
                return;
            }

            // A failing chunk stops the chunks after it from starting; the chunks before it still run, so the
            // exception the caller sees is always the one of the first failing chunk, whatever the scheduling.
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
            int firstFailure = int.MaxValue;
            Exception failure = null;
            var gate = new object();
            Parallel.For(0, chunks, options, c =>
            {
                if (c > Volatile.Read(ref firstFailure))
                    return;
                try
                {
                    int start = c * chunkSize;
                    body(start, Math.Min(count, start + chunkSize));
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
            });
            if (failure != null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        /// <summary>The effective thread count for an optional user setting (null or 0: all cores).</summary>
        public static int ResolveThreads(int? requested) =>
            requested is int t && t > 0 ? t : Environment.ProcessorCount;
    }
}
