using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>A check to run once per vector width (a generic method: C# has no generic lambdas).</summary>
    internal interface IWidthCheck
    {
        void Run<TLanes>()
            where TLanes : struct, IWideLanes<TLanes>;
    }

    /// <summary>The widths a test compares: every one this machine runs natively, plus the two that run anywhere.</summary>
    internal static class LaneWidths
    {
        public static void ForEach(IWidthCheck check)
        {
            if (Vector512.IsHardwareAccelerated)
                check.Run<Lanes512>();
            if (Vector256.IsHardwareAccelerated)
                check.Run<Lanes256>();
            // Natively on x64 and ARM64; emulated by .NET when the hardware intrinsics are switched off.
            check.Run<Lanes128>();
            check.Run<SoftwareLanes>();
        }
    }
}
