using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.IO;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// Runs a property over generated cases. In CI: a fixed list of cases (case i comes from PCG stream i of a fixed
    /// seed), so every run checks exactly the same inputs, bounded in time. Opt-in, for hunting:
    /// UMAP_PROPERTY_CASES=n runs n fixed cases instead; UMAP_PROPERTY_SECONDS=s samples fresh random cases for s
    /// seconds with CsCheck, which shrinks a failure to a small case and prints the seed that replays it
    /// (UMAP_PROPERTY_REPLAY=seed runs just that case).
    /// </summary>
    internal static class PropertyRunner
    {
        private const ulong FixedSeed = 0x554D4150; // "UMAP"

        /// <summary>
        /// Checks <paramref name="property"/> (which throws on failure and otherwise names the case's outcome) and
        /// prints how often each outcome occurred, so a property that only ever takes its early exits shows.
        /// </summary>
        public static void Run<T>(Gen<T> gen, Func<T, string> property, int ciCases, ITestOutputHelper output)
        {
            var outcomes = new Dictionary<string, int>();
            string? replay = Environment.GetEnvironmentVariable("UMAP_PROPERTY_REPLAY");
            if (!string.IsNullOrEmpty(replay))
            {
                var single = gen.Single(_ => true, replay);
                output.WriteLine($"Replaying {replay}: {single}");
                output.WriteLine(property(single));
                return;
            }

            if (int.TryParse(Environment.GetEnvironmentVariable("UMAP_PROPERTY_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
            {
                gen.Sample(c => { property(c); }, writeLine: output.WriteLine, time: seconds, threads: 1, print: c => c?.ToString() ?? "null");
                return;
            }

            int cases = int.TryParse(Environment.GetEnvironmentVariable("UMAP_PROPERTY_CASES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : ciCases;
            int first = int.TryParse(Environment.GetEnvironmentVariable("UMAP_PROPERTY_FIRST"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int f) ? f : 0;
            var timings = new List<(double Seconds, int Case, string Value)>();
            for (int i = first; i < first + cases; i++)
            {
                var pcg = new PCG((uint)i, FixedSeed);
                string seed = pcg.ToString();
                var value = gen.Generate(pcg, null, out _);
                long start = Stopwatch.GetTimestamp();
                try
                {
                    string outcome = property(value);
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"Case {i} (replay with UMAP_PROPERTY_REPLAY={seed}) failed: {value}{Environment.NewLine}{e}");
                }
                timings.Add((Stopwatch.GetElapsedTime(start).TotalSeconds, i, value?.ToString() ?? "null"));
                if (Environment.GetEnvironmentVariable("UMAP_PROPERTY_TRACE") == "1")
                    Console.Error.WriteLine($"case {i}: {timings[^1].Seconds:F2} s");
            }
            output.WriteLine($"{cases} fixed cases passed in {timings.Sum(t => t.Seconds):F1} s. Outcomes:");
            foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
                output.WriteLine($"{count,5}  {outcome}");
            output.WriteLine("The slowest cases:");
            foreach (var (elapsed, index, value) in timings.OrderByDescending(t => t.Seconds).Take(5))
                output.WriteLine($"  case {index}: {elapsed:F2} s {value}");
        }

        /// <summary>
        /// True for the exceptions the public API documents (docs/errors.md); anything else escaping it is a bug.
        /// A contract exception must carry a message, and any exception it wraps must be a contract exception too; one
        /// thrown by the runtime's own checks (a span sliced out of range) is a bug however it is typed.
        /// </summary>
        public static bool IsContractException(Exception e) =>
            e is ArgumentException or InvalidOperationException or InvalidDataException or NotSupportedException or OperationCanceledException
            && e is not ObjectDisposedException
            && e.TargetSite?.DeclaringType?.FullName != "System.ThrowHelper"
            && !string.IsNullOrWhiteSpace(e.Message)
            && (e.InnerException is null || IsContractException(e.InnerException));

        /// <summary>Runs <paramref name="action"/>; a non-contract exception fails the property with the case attached.</summary>
        public static Exception? ContractOnly(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e) when (IsContractException(e))
            {
                return e;
            }
        }
    }
}
