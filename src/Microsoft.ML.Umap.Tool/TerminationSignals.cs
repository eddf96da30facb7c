using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// Ctrl-C (SIGINT) and SIGTERM cancel the running command once, so it stops at its next check, removes what it
    /// was writing and exits with code 130. Later signals (a second Ctrl-C, <c>timeout</c>'s repeated SIGTERM) are
    /// absorbed: the cleanup already under way is never cut short.
    /// </summary>
    internal sealed class TerminationSignals : IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();
        private readonly PosixSignalRegistration _interrupt;
        private readonly PosixSignalRegistration _terminate;
        private int _received;

        public TerminationSignals()
        {
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }

        public CancellationToken Token => _cancellation.Token;

        private void OnSignal(PosixSignalContext context)
        {
            // Keep the runtime from ending the process: the command ends itself once it has cleaned up.
            context.Cancel = true;
            if (Interlocked.Exchange(ref _received, 1) != 0)
                return;
            try
            {
                _cancellation.Cancel();
            }
            catch (AggregateException)
            {
                // A callback registered on the token failed; the token is cancelled all the same, and nothing may
                // escape a signal handler.
            }
        }

        public void Dispose()
        {
            _interrupt.Dispose();
            _terminate.Dispose();
            _cancellation.Dispose();
        }
    }
}
