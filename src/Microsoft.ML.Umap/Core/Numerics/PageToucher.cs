using System;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// Takes the first-touch cost of a freshly allocated array on a spare core while its owner fills it from the start
    /// on one thread: the helper touches one value per memory page, from the end backwards, until it meets the owner.
    /// The first write to a fresh page costs a page fault, which on some virtual machines is most of the time it takes
    /// a fit to read its data; shared with a second core it costs less (figures in docs/measurements.md).
    /// </summary>
    /// <remarks>
    /// The touch is an atomic exchange of zero for zero: it never changes a value, so it cannot race with the owner's
    /// writes, and the array holds exactly what the owner wrote whatever the timing.
    /// </remarks>
    internal sealed class PageToucher : IDisposable
    {
        // Below a few megabytes the faults cost less than starting the helper.
        private const int MinimumLength = 1 << 20;

        private readonly float[] _array;
        private readonly int _stride;
        private readonly Task _task;
        private volatile int _filled;
        private volatile bool _stopped;

        private PageToucher(float[] array)
        {
            _array = array;
            _stride = Math.Max(1, Environment.SystemPageSize / sizeof(float));
            _task = Task.Run(TouchBackwards);
        }

        /// <summary>A helper for <paramref name="array"/>, or null when one thread is allowed or the array is small.</summary>
        public static PageToucher? Start(float[] array, int threads) =>
            threads > 1 && array.Length >= MinimumLength ? new PageToucher(array) : null;

        /// <summary>The owner has written (or is writing) everything before <paramref name="index"/>.</summary>
        public void Reached(int index) => _filled = index;

        /// <summary>Stops the helper and waits for it, so nothing touches the array afterwards.</summary>
        public void Dispose()
        {
            _stopped = true;
            _task.Wait();
        }

        private void TouchBackwards()
        {
            for (int i = (_array.Length - 1) / _stride * _stride; i >= 0 && !_stopped; i -= _stride)
            {
                // A page's worth of room ahead of the owner, so the two never fault on the same page.
                if (i <= (long)_filled + _stride)
                    return;
                Interlocked.CompareExchange(ref _array[i], 0f, 0f);
            }
        }
    }
}
