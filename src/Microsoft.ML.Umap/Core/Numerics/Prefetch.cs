using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// Asks the memory system for a cache line ahead of reading it. A hint only: it reads nothing, changes nothing and
    /// cannot fault, and on processors where .NET offers no prefetch instruction (ARM64) it does nothing.
    /// </summary>
    internal static class Prefetch
    {
        /// <summary>Whether the hints do anything here: loops that only issue hints can be skipped when not.</summary>
        public static bool IsSupported => Sse.IsSupported;

        /// <summary>The line holding <paramref name="address"/>, into the nearest cache.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void ToNearestCache(void* address)
        {
            if (Sse.IsSupported)
                Sse.Prefetch0(address);
        }

        /// <summary>The line holding <paramref name="address"/>, into the second-level cache, whose queue of requests is deeper.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void ToSecondLevelCache(void* address)
        {
            if (Sse.IsSupported)
                Sse.Prefetch1(address);
        }
    }
}
