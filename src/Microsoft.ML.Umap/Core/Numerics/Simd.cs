using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>Vector helpers missing from the .NET 8 API surface.</summary>
    internal static class Simd
    {
        /// <summary>a × b + c, fused where the runtime offers it (.NET 9+).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
#if NET9_0_OR_GREATER
            => Vector512.FusedMultiplyAdd(a, b, c);
#else
            => a * b + c;
#endif

        /// <summary>a × b + c, fused where the runtime offers it (.NET 9+).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
#if NET9_0_OR_GREATER
            => Vector256.FusedMultiplyAdd(a, b, c);
#else
            => a * b + c;
#endif
    }
}
