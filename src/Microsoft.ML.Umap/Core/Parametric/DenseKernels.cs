using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>What a dense layer does to its sums once they are complete.</summary>
    internal enum LayerActivation
    {
        /// <summary>The sums as they are (the last layer), a zero always +0.</summary>
        Linear,

        /// <summary>max(0, sum), as x &gt; 0 ? x : +0.</summary>
        Relu,

        /// <summary>The sums where the mask matrix is positive, +0 elsewhere: the gradient through a ReLU.</summary>
        MaskByPositive,
    }

    /// <summary>
    /// The matrix products of a multilayer perceptron, forward and backward, written once over the vector width
    /// (<see cref="ILanes{TSelf}"/>) so that every width gives the same bits.
    /// </summary>
    /// <remarks>
    /// Vectors run along a product's output columns, never along the terms of a sum: each output value is one sum,
    /// started from the bias and added term by term in the order of the inner index, in one lane. Its bits therefore do
    /// not depend on the vector width, on which vector of a row it falls in (the last vector of a row overlaps the one
    /// before and computes its lanes again, to the same bits), on how rows are blocked, or on the thread that ran it.
    /// A zero term is skipped when every row of its block has it: adding ±0 changes at most the sign of a zero sum, and
    /// every layer ends by making zeros +0 (ReLU and <see cref="LayerActivation.Linear"/> both do), so skipping never
    /// changes a layer's output bits. Sparse inputs such as pixels skip most of the first layer's work that way. The
    /// terms a block needs are listed before its sums start (<see cref="NonzeroTerms"/>), so the sums' loop has no branch
    /// on the data: after a ReLU about half the values are zero in no pattern a processor can predict, and a branch per
    /// term cost the hidden layers five times their arithmetic (docs/measurements.md).
    /// </remarks>
    internal static class DenseKernels
    {
        /// <summary>Rows (or, for a weight gradient, inputs) computed together, sharing each vector of weights loaded.</summary>
        private const int RowBlock = 4;

        /// <summary>Most terms whose list is kept on the stack; longer lists are rented.</summary>
        private const int MaximumStackTerms = 1024;

        /// <summary>
        /// y[r, j] = activation(bias[j] + Σₖ x[r, k]·w[k, j]) for rows r &lt; <paramref name="rows"/>: x is rows × inputs,
        /// w inputs × outputs, y rows × outputs, all row-major and dense. <paramref name="mask"/> (rows × outputs) is read
        /// for <see cref="LayerActivation.MaskByPositive"/> only; an empty <paramref name="bias"/> starts the sums at 0.
        /// </summary>
        public static void Affine(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int rows, int inputs, int outputs, LayerActivation activation, ReadOnlySpan<float> mask = default)
        {
            if (x.Length < rows * inputs || weights.Length != inputs * outputs || y.Length < rows * outputs || (!bias.IsEmpty && bias.Length != outputs)
                || (activation == LayerActivation.MaskByPositive && mask.Length < rows * outputs))
                throw new ArgumentException("The matrices' sizes do not match.");
            if (Vector512.IsHardwareAccelerated)
                Affine<Lanes512>(x, weights, bias, y, rows, inputs, outputs, activation, mask);
            else if (Vector256.IsHardwareAccelerated)
                Affine<Lanes256>(x, weights, bias, y, rows, inputs, outputs, activation, mask);
            else if (Vector128.IsHardwareAccelerated)
                Affine<Lanes128>(x, weights, bias, y, rows, inputs, outputs, activation, mask);
            else
                Affine<SoftwareLanes>(x, weights, bias, y, rows, inputs, outputs, activation, mask);
        }

        /// <summary><see cref="Affine"/> in lanes of <typeparamref name="TLanes"/> (unchecked sizes).</summary>
        internal static void Affine<TLanes>(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int rows, int inputs, int outputs, LayerActivation activation, ReadOnlySpan<float> mask)
            where TLanes : struct, ILanes<TLanes>
        {
            var operands = new Operands(
                ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(y), 1, inputs, outputs,
                ref MemoryMarshal.GetReference(bias), !bias.IsEmpty, ref MemoryMarshal.GetReference(mask), activation);
            // Blocks of rows; a term is an input, its values a row apart.
            Blocks<TLanes>(operands, 0, rows, inputs);
        }

        /// <summary>
        /// The blocks of four members (rows of a forward product, inputs of a weight gradient) from <paramref name="first"/>
        /// to <paramref name="end"/>: each block's needed terms listed (or all taken, if dense), then its strips.
        /// <paramref name="termCount"/> terms, laid out as the operands' strides say.
        /// </summary>
        private static void Blocks<TLanes>(Operands given, int first, int end, int termCount)
            where TLanes : struct, ILanes<TLanes>
        {
            scoped Operands operands = given; // a local the stack-held list of terms may be tied to
            nint termStride = operands.TermStride, memberStride = operands.MemberStride;
            int[]? rented = null;
            Span<int> terms = termCount <= MaximumStackTerms ? stackalloc int[termCount + 3] : (rented = ArrayPool<int>.Shared.Rent(termCount + 3));
            operands.Terms = ref MemoryMarshal.GetReference(terms);
            bool dense = false;
            for (int member = first; member < end; member += RowBlock)
            {
                int block = Math.Min(RowBlock, end - member);
                if (!(dense = KeepsDense(dense, (member - first) / RowBlock)))
                    operands.TermCount = NonzeroTerms(ref Unsafe.Add(ref operands.X, member * memberStride), termStride, memberStride, block, termCount, terms);
                if (dense || (dense = IsDense(operands.TermCount, termCount)))
                {
                    operands.TermCount = termCount;
                    Strips<TLanes, AllTerms>(ref operands, member, block);
                }
                else
                {
                    Strips<TLanes, ListedTerms>(ref operands, member, block);
                }
            }
            if (rented is not null)
                ArrayPool<int>.Shared.Return(rented);
        }

        /// <summary>The strips of one block of members, over every vector of output columns.</summary>
        private static void Strips<TLanes, TTerms>(ref Operands operands, int member, int block)
            where TLanes : struct, ILanes<TLanes>
            where TTerms : struct, ITerms
        {
            if (operands.Outputs < TLanes.Count)
            {
                for (int j = 0; j < operands.Outputs; j++)
                    Strip<OneLane, OneVector, TTerms>(ref operands, member, block, j);
                return;
            }
            StripGroups<TLanes>(operands.Outputs, out int groups, out int perGroup);
            for (int g = 0, column = 0; g < groups; g++, column += perGroup * TLanes.Count)
            {
                switch (Math.Min(perGroup, (operands.Outputs - column + TLanes.Count - 1) / TLanes.Count))
                {
                    case 1: Strip<TLanes, OneVector, TTerms>(ref operands, member, block, column); break;
                    case 2: Strip<TLanes, TwoVectors, TTerms>(ref operands, member, block, column); break;
                    default: Strip<TLanes, ThreeVectors, TTerms>(ref operands, member, block, column); break;
                }
            }
        }

        /// <summary>
        /// Whether a block needs so many of its terms (seven in eight) that running through all of them in order is
        /// quicker than through the list of those it needs.
        /// </summary>
        private static bool IsDense(int needed, int count) => 8L * needed >= 7L * count;

        /// <summary>
        /// Whether block <paramref name="block"/> is taken as dense without listing its terms, after a dense one: hidden
        /// layers' blocks are nearly all dense, and listing each one's terms cost a tenth of the products. Every eighth
        /// block is listed anyway, so a product that turns sparse is noticed. Which blocks are listed never changes the
        /// sums (see the remarks above).
        /// </summary>
        private static bool KeepsDense(bool previousDense, int block) => previousDense && block % 8 != 0;

        /// <summary>Which terms a strip's sums run through: every one in order, or the block's list of needed ones.</summary>
        private interface ITerms
        {
            static abstract nint Term(ref int list, int index);
        }

        private struct AllTerms : ITerms
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static nint Term(ref int list, int index) => index;
        }

        private struct ListedTerms : ITerms
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static nint Term(ref int list, int index) => Unsafe.Add(ref list, index);
        }

        /// <summary>
        /// Lists in <paramref name="terms"/> the terms t &lt; <paramref name="count"/> where any of the block's
        /// <paramref name="block"/> members is not zero (member b's value of term t is at t·<paramref name="termStride"/> +
        /// b·<paramref name="memberStride"/> from <paramref name="first"/>), in order, and returns how many there are.
        /// <paramref name="terms"/> holds <paramref name="count"/> + 3 entries. Branch-free: every term is written, and the
        /// count moves past it only if it is needed. Which terms are listed does not depend on the vector width, so the
        /// sums do not either.
        /// </summary>
        private static int NonzeroTerms(ref float first, nint termStride, nint memberStride, int block, int count, Span<int> terms)
        {
            ref float m0 = ref first;
            ref float m1 = ref Unsafe.Add(ref first, block > 1 ? memberStride : 0);
            ref float m2 = ref Unsafe.Add(ref first, block > 2 ? 2 * memberStride : 0);
            ref float m3 = ref Unsafe.Add(ref first, block > 3 ? 3 * memberStride : 0);
            ref int list = ref MemoryMarshal.GetReference(terms);
            int listed = 0, t = 0;
            if (Vector128.IsHardwareAccelerated && termStride == 1)
            {
                // Four terms of the four members at once; the needed ones' indices are packed by a table of the 16 patterns.
                ref int packed = ref MemoryMarshal.GetReference(PackedLanes);
                for (; t + 4 <= count; t += 4)
                {
                    var zero = Vector128.Equals(Vector128.LoadUnsafe(ref m0, (nuint)t), Vector128<float>.Zero)
                        & Vector128.Equals(Vector128.LoadUnsafe(ref m1, (nuint)t), Vector128<float>.Zero)
                        & Vector128.Equals(Vector128.LoadUnsafe(ref m2, (nuint)t), Vector128<float>.Zero)
                        & Vector128.Equals(Vector128.LoadUnsafe(ref m3, (nuint)t), Vector128<float>.Zero);
                    uint needed = ~zero.ExtractMostSignificantBits() & 0xF;
                    (Vector128.Create(t) + Vector128.LoadUnsafe(ref packed, needed * 4)).StoreUnsafe(ref list, (nuint)listed);
                    listed += BitOperations.PopCount(needed);
                }
            }
            else if (Vector128.IsHardwareAccelerated && memberStride == 1 && block == 4)
            {
                // The four members of a term are side by side.
                for (nint at = t * termStride; t < count; t++, at += termStride)
                {
                    uint needed = ~Vector128.Equals(Vector128.LoadUnsafe(ref Unsafe.Add(ref m0, at)), Vector128<float>.Zero).ExtractMostSignificantBits() & 0xF;
                    Unsafe.Add(ref list, listed) = t;
                    listed += (int)((needed + 0xF) >> 4);
                }
            }
            for (nint at = t * termStride; t < count; t++, at += termStride)
            {
                Unsafe.Add(ref list, listed) = t;
                listed += IsNonzero(Unsafe.Add(ref m0, at)) | IsNonzero(Unsafe.Add(ref m1, at)) | IsNonzero(Unsafe.Add(ref m2, at)) | IsNonzero(Unsafe.Add(ref m3, at));
            }
            return listed;

            // 1 unless the value is ±0 (its bits but the sign all clear), without a floating-point comparison's branch for NaN.
            static int IsNonzero(float value) => BitConverter.SingleToUInt32Bits(value) << 1 != 0 ? 1 : 0;
        }

        /// <summary>For each 4-bit pattern, the positions of its set bits packed to the front (then zeros): 16 rows of four.</summary>
        private static ReadOnlySpan<int> PackedLanes =>
        [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,
            2, 0, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 0, 1, 2, 0,
            3, 0, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 0, 1, 3, 0,
            2, 3, 0, 0, 0, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2, 3,
        ];

        /// <summary>
        /// How a row's output vectors are shared out among strips: as few strips as the registers allow (three vectors of
        /// sums for four rows where there are 32 vector registers, two elsewhere), each with as near the same number of
        /// vectors as can be, so no strip runs with few accumulators while another has many. Four vectors would fit the
        /// registers too, but the JIT then runs out of inlining budget and calls the lane operations (docs/measurements.md).
        /// </summary>
        private static void StripGroups<TLanes>(int outputs, out int groups, out int perGroup)
            where TLanes : struct, ILanes<TLanes>
        {
            int vectors = (outputs + TLanes.Count - 1) / TLanes.Count;
            int widest = TLanes.Count >= 16 ? 3 : 2;
            groups = (vectors + widest - 1) / widest;
            perGroup = (vectors + groups - 1) / groups;
        }

        /// <summary>The operands of one matrix product, held as references so the strips take them in one argument.</summary>
        private ref struct Operands
        {
            /// <summary>The values each term's vectors are multiplied by: the rows (inputs × their count).</summary>
            public ref float X;

            /// <summary>Each term's vectors: the weights' rows (forward), or the deltas' rows (a weight gradient).</summary>
            public ref float Vectors;

            /// <summary>The outputs, or the gradient.</summary>
            public ref float Out;
            public ref float Bias;
            public ref float Mask;

            /// <summary>The terms the current block needs (<see cref="NonzeroTerms"/>), and how many.</summary>
            public ref int Terms;
            public int TermCount;

            /// <summary>Member m's value of term t is at t·<see cref="TermStride"/> + m·<see cref="MemberStride"/> from <see cref="X"/>.</summary>
            public readonly nint TermStride;
            public readonly nint MemberStride;
            public readonly int Outputs;
            public readonly bool HasBias;
            public readonly LayerActivation Activation;

            public Operands(ref float x, ref float vectors, ref float output, nint termStride, nint memberStride, int outputs, ref float bias, bool hasBias, ref float mask, LayerActivation activation)
            {
                X = ref x;
                Vectors = ref vectors;
                Out = ref output;
                Bias = ref bias;
                Mask = ref mask;
                Terms = ref Unsafe.NullRef<int>();
                TermCount = 0;
                TermStride = termStride;
                MemberStride = memberStride;
                Outputs = outputs;
                HasBias = hasBias;
                Activation = activation;
            }
        }

        /// <summary>How many vectors of output columns a strip computes (1 to 3), as a type so each strip is compiled for its count.</summary>
        private interface IStripWidth
        {
            static abstract int Vectors { get; }
        }

        private struct OneVector : IStripWidth
        {
            public static int Vectors => 1;
        }

        private struct TwoVectors : IStripWidth
        {
            public static int Vectors => 2;
        }

        private struct ThreeVectors : IStripWidth
        {
            public static int Vectors => 3;
        }

        /// <summary>
        /// The column where a strip's vector <paramref name="vector"/> starts: <paramref name="column"/> plus whole vectors,
        /// except that a vector that would pass the row's end ends on it instead, overlapping the one before.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static nuint VectorColumn<TLanes>(int column, int vector, int outputs)
            where TLanes : struct, ILanes<TLanes> =>
            (nuint)Math.Min(column + vector * TLanes.Count, outputs - TLanes.Count);

        /// <summary>
        /// Up to three vectors of output columns from <paramref name="column"/> on, for up to four members from
        /// <paramref name="member"/> on (rows of a forward product, inputs of a weight gradient): every vector loaded
        /// serves four members, every member's value up to three vectors.
        /// </summary>
        private static void Strip<TLanes, TWidth, TTerms>(ref Operands p, int member, int block, int column)
            where TLanes : struct, ILanes<TLanes>
            where TWidth : struct, IStripWidth
            where TTerms : struct, ITerms
        {
            if (block == 1)
            {
                StripOfOne<TLanes, TWidth, TTerms>(ref p, member, column);
                return;
            }
            int outputs = p.Outputs;
            nuint c0 = VectorColumn<TLanes>(column, 0, outputs);
            nuint c1 = TWidth.Vectors > 1 ? VectorColumn<TLanes>(column, 1, outputs) : c0;
            nuint c2 = TWidth.Vectors > 2 ? VectorColumn<TLanes>(column, 2, outputs) : c0;
            var tile = new Tile<TLanes>(Start<TLanes>(ref p, c0), TWidth.Vectors > 1 ? Start<TLanes>(ref p, c1) : default, TWidth.Vectors > 2 ? Start<TLanes>(ref p, c2) : default);
            Accumulate<TLanes, TWidth, TTerms>(ref tile, ref Unsafe.Add(ref p.X, member * p.MemberStride), p.TermStride, p.MemberStride, block, ref p.Vectors, outputs, ref p.Terms, p.TermCount, c0, c1, c2);
            StoreRow<TLanes, TWidth>(ref p, member, tile.S00, tile.S01, tile.S02, c0, c1, c2);
            if (block > 1)
                StoreRow<TLanes, TWidth>(ref p, member + 1, tile.S10, tile.S11, tile.S12, c0, c1, c2);
            if (block > 2)
                StoreRow<TLanes, TWidth>(ref p, member + 2, tile.S20, tile.S21, tile.S22, c0, c1, c2);
            if (block > 3)
                StoreRow<TLanes, TWidth>(ref p, member + 3, tile.S30, tile.S31, tile.S32, c0, c1, c2);
        }

        /// <summary>Four members' sums over up to three vectors of columns: a strip's accumulators.</summary>
        private struct Tile<TLanes>
            where TLanes : struct, ILanes<TLanes>
        {
            public TLanes S00, S01, S02, S10, S11, S12, S20, S21, S22, S30, S31, S32;

            /// <summary>Every member's sums starting from the same three vectors.</summary>
            public Tile(TLanes first, TLanes second, TLanes third)
            {
                S00 = S10 = S20 = S30 = first;
                S01 = S11 = S21 = S31 = second;
                S02 = S12 = S22 = S32 = third;
            }
        }

        /// <summary>
        /// The loop both products' strips share: for each term t listed (or every term, <see cref="AllTerms"/>), the four
        /// members' values of t (member m's at t·<paramref name="termStride"/> + m·<paramref name="memberStride"/> from
        /// <paramref name="scalars"/>; members past <paramref name="block"/> read member 0's, and their sums are not
        /// stored) times t's vectors (at t·<paramref name="vectorStride"/> from <paramref name="vectors"/>, columns
        /// <paramref name="c0"/>, <paramref name="c1"/>, <paramref name="c2"/>), added to the tile in term order.
        /// </summary>
        /// <remarks>
        /// Compiled on its own, with the tile's twelve sums in registers: the loop is near the JIT's inlining budget, and
        /// every lane operation in it must be inlined (docs/measurements.md).
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Accumulate<TLanes, TWidth, TTerms>(ref Tile<TLanes> tile, ref float scalars, nint termStride, nint memberStride, int block, ref float vectors, nint vectorStride, ref int terms, int count, nuint c0, nuint c1, nuint c2)
            where TLanes : struct, ILanes<TLanes>
            where TWidth : struct, IStripWidth
            where TTerms : struct, ITerms
        {
            TLanes s00 = tile.S00, s01 = tile.S01, s02 = tile.S02;
            TLanes s10 = tile.S10, s11 = tile.S11, s12 = tile.S12;
            TLanes s20 = tile.S20, s21 = tile.S21, s22 = tile.S22;
            TLanes s30 = tile.S30, s31 = tile.S31, s32 = tile.S32;
            nint m1 = block > 1 ? memberStride : 0, m2 = block > 2 ? 2 * memberStride : 0, m3 = block > 3 ? 3 * memberStride : 0;
            for (int i = 0; i < count; i++)
            {
                nint t = TTerms.Term(ref terms, i);
                ref float a = ref Unsafe.Add(ref scalars, t * termStride);
                ref float w = ref Unsafe.Add(ref vectors, t * vectorStride);
                TLanes b0 = TLanes.Create(a), b1 = TLanes.Create(Unsafe.Add(ref a, m1)), b2 = TLanes.Create(Unsafe.Add(ref a, m2)), b3 = TLanes.Create(Unsafe.Add(ref a, m3));
                var v = TLanes.Load(ref w, c0);
                s00 += b0 * v;
                s10 += b1 * v;
                s20 += b2 * v;
                s30 += b3 * v;
                if (TWidth.Vectors > 1)
                {
                    v = TLanes.Load(ref w, c1);
                    s01 += b0 * v;
                    s11 += b1 * v;
                    s21 += b2 * v;
                    s31 += b3 * v;
                }
                if (TWidth.Vectors > 2)
                {
                    v = TLanes.Load(ref w, c2);
                    s02 += b0 * v;
                    s12 += b1 * v;
                    s22 += b2 * v;
                    s32 += b3 * v;
                }
            }
            (tile.S00, tile.S01, tile.S02) = (s00, s01, s02);
            (tile.S10, tile.S11, tile.S12) = (s10, s11, s12);
            (tile.S20, tile.S21, tile.S22) = (s20, s21, s22);
            (tile.S30, tile.S31, tile.S32) = (s30, s31, s32);
        }

        /// <summary>One member (a row embedded alone): the sums of <see cref="Strip"/>, without the three copies a block would compute.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StripOfOne<TLanes, TWidth, TTerms>(ref Operands p, int member, int column)
            where TLanes : struct, ILanes<TLanes>
            where TWidth : struct, IStripWidth
            where TTerms : struct, ITerms
        {
            int outputs = p.Outputs;
            nuint c0 = VectorColumn<TLanes>(column, 0, outputs);
            nuint c1 = TWidth.Vectors > 1 ? VectorColumn<TLanes>(column, 1, outputs) : c0;
            nuint c2 = TWidth.Vectors > 2 ? VectorColumn<TLanes>(column, 2, outputs) : c0;
            TLanes s0 = Start<TLanes>(ref p, c0), s1 = TWidth.Vectors > 1 ? Start<TLanes>(ref p, c1) : s0, s2 = TWidth.Vectors > 2 ? Start<TLanes>(ref p, c2) : s0;
            ref float x = ref Unsafe.Add(ref p.X, member * p.MemberStride);
            ref int terms = ref p.Terms;
            for (int i = 0; i < p.TermCount; i++)
            {
                nint k = TTerms.Term(ref terms, i);
                ref float w = ref Unsafe.Add(ref p.Vectors, k * outputs);
                var b = TLanes.Create(Unsafe.Add(ref x, k * p.TermStride));
                s0 += b * TLanes.Load(ref w, c0);
                if (TWidth.Vectors > 1)
                    s1 += b * TLanes.Load(ref w, c1);
                if (TWidth.Vectors > 2)
                    s2 += b * TLanes.Load(ref w, c2);
            }
            StoreRow<TLanes, TWidth>(ref p, member, s0, s1, s2, c0, c1, c2);
        }

        /// <summary>Where the sums of the columns from <paramref name="column"/> on start: the bias, or 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TLanes Start<TLanes>(ref Operands p, nuint column)
            where TLanes : struct, ILanes<TLanes> =>
            p.HasBias ? TLanes.Load(ref p.Bias, column) : TLanes.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<TLanes, TWidth>(ref Operands p, int member, TLanes s0, TLanes s1, TLanes s2, nuint c0, nuint c1, nuint c2)
            where TLanes : struct, ILanes<TLanes>
            where TWidth : struct, IStripWidth
        {
            nuint at = (nuint)((nint)member * p.Outputs);
            StoreActivated(ref p, s0, at + c0);
            if (TWidth.Vectors > 1)
                StoreActivated(ref p, s1, at + c1);
            if (TWidth.Vectors > 2)
                StoreActivated(ref p, s2, at + c2);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreActivated<TLanes>(ref Operands p, TLanes sums, nuint at)
            where TLanes : struct, ILanes<TLanes>
        {
            var result = p.Activation switch
            {
                LayerActivation.Relu => TLanes.Select(TLanes.GreaterThan(sums, TLanes.Zero), sums, TLanes.Zero),
                LayerActivation.MaskByPositive => TLanes.Select(TLanes.GreaterThan(TLanes.Load(ref p.Mask, at), TLanes.Zero), sums, TLanes.Zero),
                _ => sums + TLanes.Zero, // −0 + +0 = +0; every other value unchanged
            };
            TLanes.Store(result, ref p.Out, at);
        }

        /// <summary>
        /// The weight gradient g[k, j] = Σᵣ x[r, k]·d[r, j] (rows in order) for the inputs k in [<paramref name="firstInput"/>,
        /// <paramref name="endInput"/>): x is rows × inputs, d rows × outputs, g inputs × outputs. Each gradient row depends
        /// only on its own input column, so threads may split the inputs any way they like.
        /// </summary>
        public static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> gradient, int rows, int inputs, int outputs, int firstInput, int endInput)
        {
            if (x.Length < rows * inputs || d.Length < rows * outputs || gradient.Length != inputs * outputs || firstInput < 0 || endInput > inputs || firstInput > endInput)
                throw new ArgumentException("The matrices' sizes do not match.");
            if (Vector512.IsHardwareAccelerated)
                WeightGradient<Lanes512>(x, d, gradient, rows, inputs, outputs, firstInput, endInput);
            else if (Vector256.IsHardwareAccelerated)
                WeightGradient<Lanes256>(x, d, gradient, rows, inputs, outputs, firstInput, endInput);
            else if (Vector128.IsHardwareAccelerated)
                WeightGradient<Lanes128>(x, d, gradient, rows, inputs, outputs, firstInput, endInput);
            else
                WeightGradient<SoftwareLanes>(x, d, gradient, rows, inputs, outputs, firstInput, endInput);
        }

        /// <summary><see cref="WeightGradient"/> in lanes of <typeparamref name="TLanes"/> (unchecked sizes).</summary>
        internal static void WeightGradient<TLanes>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> gradient, int rows, int inputs, int outputs, int firstInput, int endInput)
            where TLanes : struct, ILanes<TLanes>
        {
            var operands = new Operands(
                ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(d), ref MemoryMarshal.GetReference(gradient), inputs, 1, outputs,
                ref Unsafe.NullRef<float>(), false, ref Unsafe.NullRef<float>(), LayerActivation.Linear);
            // Blocks of inputs; a term is a row, its four inputs' values side by side.
            Blocks<TLanes>(operands, firstInput, endInput, rows);
        }

        /// <summary>The bias gradient g[j] = Σᵣ d[r, j], rows in order (d is rows × outputs).</summary>
        public static void ColumnSums(ReadOnlySpan<float> d, Span<float> sums, int rows, int outputs)
        {
            if (d.Length < rows * outputs || sums.Length != outputs)
                throw new ArgumentException("The matrices' sizes do not match.");
            sums.Clear();
            for (int r = 0; r < rows; r++)
                Add(sums, d.Slice(r * outputs, outputs));
        }

        /// <summary>sum[j] += term[j], one IEEE addition per element.</summary>
        private static void Add(Span<float> sum, ReadOnlySpan<float> term)
        {
            ref float ps = ref MemoryMarshal.GetReference(sum);
            ref float pt = ref MemoryMarshal.GetReference(term);
            int n = sum.Length, j = 0;
            if (Vector128.IsHardwareAccelerated)
            {
                for (; j + Vector128<float>.Count <= n; j += Vector128<float>.Count)
                    (Vector128.LoadUnsafe(ref ps, (nuint)j) + Vector128.LoadUnsafe(ref pt, (nuint)j)).StoreUnsafe(ref ps, (nuint)j);
            }
            for (; j < n; j++)
                Unsafe.Add(ref ps, j) += Unsafe.Add(ref pt, j);
        }

        /// <summary>The transpose of the rows × columns matrix <paramref name="source"/> into <paramref name="destination"/> (columns × rows).</summary>
        public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
        {
            if (source.Length != rows * columns || destination.Length != rows * columns)
                throw new ArgumentException("The matrices' sizes do not match.");
            ref float from = ref MemoryMarshal.GetReference(source);
            ref float to = ref MemoryMarshal.GetReference(destination);
            for (int r = 0; r < rows; r++, from = ref Unsafe.Add(ref from, columns))
            {
                for (int c = 0; c < columns; c++)
                    Unsafe.Add(ref to, (nint)c * rows + r) = Unsafe.Add(ref from, c);
            }
        }
    }
}
