using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>
    /// The one order in which the kernels add many terms, whatever the vector width: term i of the whole blocks goes to
    /// partial sum i mod <see cref="Partials"/>, the partial sums are added pairwise (p₀ … p₁₅: l with l + 8, then
    /// l + 4, l + 2, l + 1), and the terms left over after the last whole block are added one by one to that total's
    /// own running sum, which comes last. A 16-lane vector holds the sixteen sums in one register, an 8-lane one in two,
    /// a 4-lane one in four: the same sixteen sums, so the same bits.
    /// </summary>
    internal static class LaneSums
    {
        /// <summary>Partial sums of every reduction: the lanes of the widest vectors (512 bits of float).</summary>
        public const int Partials = 16;

        /// <summary>Lane indices 0 … 15, for the masks of the last, overlapping block.</summary>
        private static readonly int[] LaneIndices = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

        /// <summary>
        /// For the last block of a reduction, read as the last sixteen terms: all bits set in the lanes at or past
        /// <paramref name="firstNew"/> (the terms not yet counted), the lanes numbered from <paramref name="firstLane"/>
        /// (the vector's place among the sixteen).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes NewLanes<TLanes>(int firstLane, int firstNew)
            where TLanes : struct, ILanes<TLanes> =>
            ~TLanes.LessThanInts(TLanes.LoadInts(ref LaneIndices[0], (nuint)firstLane), TLanes.CreateInt(firstNew));

        /// <summary>The last steps of the pairwise order on four partial sums q₀ … q₃ (already pₗ + pₗ₊₈ + …): (q₀ + q₂) + (q₁ + q₃).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(Vector128<float> quarters)
        {
            var halves = quarters + Vector128.Shuffle(quarters, Vector128.Create(2, 3, 0, 1));
            return halves.ToScalar() + halves.GetElement(1);
        }

        /// <summary><see cref="Total(Vector128{float})"/> on four loose floats.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Total(float q0, float q1, float q2, float q3) => (q0 + q2) + (q1 + q3);
    }
}
