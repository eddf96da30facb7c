using System.Diagnostics;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>The process's peak working set, reported after fit and transform so users can size their jobs.</summary>
    internal static class PeakMemory
    {
        public static double Megabytes()
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64 / (1024.0 * 1024.0);
        }
    }
}
