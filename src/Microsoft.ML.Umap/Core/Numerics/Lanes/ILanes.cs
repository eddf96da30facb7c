namespace Microsoft.ML.Umap.Core.Numerics.Lanes
{
    /// <summary>
    /// A width policy: <see cref="Count"/> float lanes and the operations the kernels apply to them, lane by lane. A
    /// kernel is written once as a generic method over this interface and compiled by the JIT for each width
    /// (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>, <see cref="SoftwareLanes"/>,
    /// <see cref="OneLane"/>); every operation gives the same bits in a lane whatever the width, so a kernel's lane gives
    /// the same bits on every machine.
    /// </summary>
    /// <remarks>
    /// Only operations that IEEE 754 defines to the bit are offered: no fused multiply-add (a × b + c is two roundings
    /// everywhere), no estimates, no transcendental functions. <see cref="Min"/> and <see cref="Max"/> agree across
    /// widths and processors for inputs that are not NaN and not two zeros of opposite sign, which is all the kernels
    /// give them. The lanes also carry 32-bit integers in their bits (the <c>Int</c> operations), for table indices and
    /// bit manipulation.
    /// </remarks>
    internal interface ILanes<TSelf>
        where TSelf : struct, ILanes<TSelf>
    {
        static abstract int Count { get; }

        static abstract TSelf Zero { get; }

        static abstract TSelf Create(float value);

        static abstract TSelf Load(ref float source, nuint offset);

        static abstract void Store(TSelf value, ref float destination, nuint offset);

        /// <summary>Count bytes from <paramref name="source"/> at <paramref name="offset"/>, each as the float of its value.</summary>
        static abstract TSelf LoadBytes(ref byte source, nuint offset);

        static abstract float Lane(TSelf value, int lane);

        static abstract TSelf operator +(TSelf left, TSelf right);

        static abstract TSelf operator -(TSelf left, TSelf right);

        static abstract TSelf operator *(TSelf left, TSelf right);

        static abstract TSelf operator /(TSelf left, TSelf right);

        static abstract TSelf operator &(TSelf left, TSelf right);

        static abstract TSelf operator |(TSelf left, TSelf right);

        static abstract TSelf operator ~(TSelf value);

        static abstract TSelf Abs(TSelf value);

        static abstract TSelf Sqrt(TSelf value);

        /// <summary>left &lt; right ? left : right.</summary>
        static abstract TSelf Min(TSelf left, TSelf right);

        /// <summary>left &gt; right ? left : right.</summary>
        static abstract TSelf Max(TSelf left, TSelf right);

        /// <summary>All bits set in the lanes where left = right, clear elsewhere.</summary>
        static abstract TSelf Equal(TSelf left, TSelf right);

        static abstract TSelf LessThan(TSelf left, TSelf right);

        static abstract TSelf GreaterThan(TSelf left, TSelf right);

        /// <summary>The bits of <paramref name="ifSet"/> where <paramref name="mask"/>'s are set, of <paramref name="ifClear"/> elsewhere.</summary>
        static abstract TSelf Select(TSelf mask, TSelf ifSet, TSelf ifClear);

        /// <summary>Whether any bit of any lane is set.</summary>
        static abstract bool Any(TSelf mask);

        static abstract TSelf CreateInt(int value);

        static abstract TSelf LoadInts(ref int source, nuint offset);

        static abstract int IntLane(TSelf value, int lane);

        static abstract TSelf AddInts(TSelf left, TSelf right);

        static abstract TSelf MultiplyInts(TSelf left, TSelf right);

        static abstract TSelf EqualInts(TSelf left, TSelf right);

        static abstract TSelf LessThanInts(TSelf left, TSelf right);

        static abstract TSelf ShiftRightLogicalInts(TSelf value, int count);

        /// <summary>source[indices[l]] in lane l.</summary>
        static abstract unsafe TSelf Gather(float* source, TSelf indices);

        /// <summary>source[rows[l] · stride] in lane l: <see cref="Gather"/> from indices held in memory.</summary>
        static abstract unsafe TSelf GatherRows(float* source, int* rows, int stride);

        /// <summary>
        /// source[indices[l]] in the lanes set in <paramref name="mask"/>, 0 elsewhere. The masked lanes' indices are not
        /// used, but without a hardware gather they read source[0] instead (no branch per lane): the source must hold
        /// at least one element.
        /// </summary>
        static abstract unsafe TSelf GatherMasked(float* source, TSelf indices, TSelf mask);

        /// <summary>The integers source[indices[l]] in the lanes set in <paramref name="mask"/>, 0 elsewhere (as <see cref="GatherMasked"/>).</summary>
        static abstract unsafe TSelf GatherIntsMasked(int* source, TSelf indices, TSelf mask);
    }

    /// <summary>
    /// A width of at least four lanes, which can hold the sixteen partial sums of a reduction
    /// (<see cref="LaneSums.Partials"/>) in 16 / <see cref="ILanes{TSelf}.Count"/> vectors and add them up in the one
    /// fixed order.
    /// </summary>
    internal interface IWideLanes<TSelf> : ILanes<TSelf>
        where TSelf : struct, IWideLanes<TSelf>
    {
        /// <summary>
        /// The sixteen partial sums p₀ … p₁₅, held lane by lane in <paramref name="first"/>, <paramref name="second"/>,
        /// <paramref name="third"/> and <paramref name="fourth"/> (as many as 16 / Count needs), added pairwise: pₗ + pₗ₊₈
        /// for l &lt; 8, then l + 4, l + 2 and l + 1 (see <see cref="LaneSums"/>).
        /// </summary>
        static abstract float Total(TSelf first, TSelf second, TSelf third, TSelf fourth);
    }
}
