using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// What an exception that ends a command means for the user: its exit code and its message. Wrappers that
    /// only say where an exception travelled (several threads failing at once, a call through reflection) are
    /// looked through, whatever the number of threads.
    /// </summary>
    internal static class ErrorReport
    {
        public const string InternalErrorHint = "This is a bug in the tool; please report it with this message and the command line.";

        public static (int ExitCode, string Message) Describe(Exception exception)
        {
            var cause = Cause(exception);
            return cause switch
            {
                OperationCanceledException => (ExitCodes.Cancelled, "cancelled."),
                OutOfMemoryException => (ExitCodes.BadInput, "out of memory: the data needs more than this process may use. Fit on a smaller --sample, transform in smaller --batch-size, or give the job more memory."),
                UsageException => (ExitCodes.BadCommandLine, cause.Message),
                _ when IsBadInput(cause) => (ExitCodes.BadInput, cause.Message),
                _ => (ExitCodes.InternalError, $"internal error ({cause.GetType().Name}): {cause.Message}"),
            };
        }

        /// <summary>
        /// The exception that says what went wrong: the innermost of any reflection or aggregate wrappers, and of
        /// several failures the first that is not a cancellation (the others are usually its consequences).
        /// </summary>
        public static Exception Cause(Exception exception)
        {
            while (true)
            {
                switch (exception)
                {
                    case TargetInvocationException { InnerException: { } inner }:
                        exception = inner;
                        break;
                    case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                        var all = aggregate.Flatten().InnerExceptions;
                        exception = all.FirstOrDefault(e => Cause(e) is not OperationCanceledException) ?? all[0];
                        break;
                    default:
                        return exception;
                }
            }
        }

        /// <summary>The exceptions the tool and the library throw for input they cannot use (docs/errors.md).</summary>
        private static bool IsBadInput(Exception e) =>
            e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException
            || (e is InvalidOperationException && e is not ObjectDisposedException);
    }
}
