using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// Element-wise arithmetic on spans, each element a product then a sum, rounded each (never fused), so that it gives
    /// the same bits on every width and machine: the vector body and the scalar tail run the same generic code.
    /// </summary>
    internal static class VectorArithmetic
    {
        /// <summary>destination[i] += source[i] · factor.</summary>
        public static void AddScaled(Span<float> destination, ReadOnlySpan<float> source, float factor)
        {
            if (Vector512.IsHardwareAccelerated)
                AddScaled<Lanes512>(destination, source, factor);
            else if (Vector256.IsHardwareAccelerated)
                AddScaled<Lanes256>(destination, source, factor);
            else if (Vector128.IsHardwareAccelerated)
                AddScaled<Lanes128>(destination, source, factor);
            else
                AddScaled<SoftwareLanes>(destination, source, factor);
        }

        private static void AddScaled<TLanes>(Span<float> destination, ReadOnlySpan<float> source, float factor)
            where TLanes : struct, ILanes<TLanes>
        {
            if (source.Length != destination.Length)
                throw new ArgumentException("The two spans must have the same length.");
            ref float d = ref MemoryMarshal.GetReference(destination);
            ref float s = ref MemoryMarshal.GetReference(source);
            int i = 0;
            for (; i + TLanes.Count <= destination.Length; i += TLanes.Count)
                AddScaled<TLanes>(ref d, ref s, (nuint)i, factor);
            for (; i < destination.Length; i++)
                AddScaled<OneLane>(ref d, ref s, (nuint)i, factor);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddScaled<TLanes>(ref float destination, ref float source, nuint at, float factor)
            where TLanes : struct, ILanes<TLanes> =>
            TLanes.Store(TLanes.Load(ref destination, at) + TLanes.Load(ref source, at) * TLanes.Create(factor), ref destination, at);
    }
}
