using System;
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
    /// changes a layer's output bits. Sparse inputs such as pixels skip most of the first layer's work that way.
    /// </remarks>
    internal static class DenseKernels
    {
        /// <summary>Rows computed together, sharing each weight vector loaded.</summary>
        private const int RowBlock = 4;

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
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float pw = ref MemoryMarshal.GetReference(weights);
            ref float pb = ref MemoryMarshal.GetReference(bias);
            ref float py = ref MemoryMarshal.GetReference(y);
            ref float pm = ref MemoryMarshal.GetReference(mask);
            bool hasBias = !bias.IsEmpty;
            int w = TLanes.Count;
            for (int r = 0; r < rows; r += RowBlock)
            {
                int block = Math.Min(RowBlock, rows - r);
                if (outputs < w)
                {
                    for (int j = 0; j < outputs; j++)
                        AffineStrip<OneLane>(ref px, ref pw, ref pb, ref py, ref pm, r, block, inputs, outputs, j, hasBias, activation);
                    continue;
                }
                for (int j = 0; j < outputs; j += w)
                    AffineStrip<TLanes>(ref px, ref pw, ref pb, ref py, ref pm, r, block, inputs, outputs, Math.Min(j, outputs - w), hasBias, activation);
            }
        }

        /// <summary>One vector of output columns from <paramref name="column"/> on, for up to four rows from <paramref name="row"/> on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AffineStrip<TLanes>(ref float x, ref float w, ref float bias, ref float y, ref float mask, int row, int block, int inputs, int outputs, int column, bool hasBias, LayerActivation activation)
            where TLanes : struct, ILanes<TLanes>
        {
            var start = hasBias ? TLanes.Load(ref bias, (nuint)column) : TLanes.Zero;
            ref float x0 = ref Unsafe.Add(ref x, (nint)row * inputs);
            if (block == 1)
            {
                // One row (a row embedded alone): the same sums, without the three copies a block would compute.
                var sum = start;
                for (int k = 0; k < inputs; k++)
                {
                    float a = Unsafe.Add(ref x0, k);
                    if (a != 0f)
                        sum += TLanes.Create(a) * TLanes.Load(ref w, (nuint)((nint)k * outputs + column));
                }
                StoreRow(sum, ref y, ref mask, row, outputs, column, activation);
                return;
            }
            TLanes s0 = start, s1 = start, s2 = start, s3 = start;
            ref float x1 = ref Unsafe.Add(ref x0, block > 1 ? inputs : 0);
            ref float x2 = ref Unsafe.Add(ref x0, block > 2 ? 2 * inputs : 0);
            ref float x3 = ref Unsafe.Add(ref x0, block > 3 ? 3 * inputs : 0);
            for (int k = 0; k < inputs; k++)
            {
                // Rows past the block read the block's first row again; their sums are never stored.
                float a0 = Unsafe.Add(ref x0, k), a1 = Unsafe.Add(ref x1, k), a2 = Unsafe.Add(ref x2, k), a3 = Unsafe.Add(ref x3, k);
                if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f)
                    continue;
                var weight = TLanes.Load(ref w, (nuint)((nint)k * outputs + column));
                s0 += TLanes.Create(a0) * weight;
                s1 += TLanes.Create(a1) * weight;
                s2 += TLanes.Create(a2) * weight;
                s3 += TLanes.Create(a3) * weight;
            }
            StoreRow(s0, ref y, ref mask, row, outputs, column, activation);
            if (block > 1)
                StoreRow(s1, ref y, ref mask, row + 1, outputs, column, activation);
            if (block > 2)
                StoreRow(s2, ref y, ref mask, row + 2, outputs, column, activation);
            if (block > 3)
                StoreRow(s3, ref y, ref mask, row + 3, outputs, column, activation);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<TLanes>(TLanes sums, ref float y, ref float mask, int row, int outputs, int column, LayerActivation activation)
            where TLanes : struct, ILanes<TLanes>
        {
            nuint at = (nuint)((nint)row * outputs + column);
            var result = activation switch
            {
                LayerActivation.Relu => TLanes.Select(TLanes.GreaterThan(sums, TLanes.Zero), sums, TLanes.Zero),
                LayerActivation.MaskByPositive => TLanes.Select(TLanes.GreaterThan(TLanes.Load(ref mask, at), TLanes.Zero), sums, TLanes.Zero),
                _ => sums + TLanes.Zero, // −0 + +0 = +0; every other value unchanged
            };
            TLanes.Store(result, ref y, at);
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
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float pd = ref MemoryMarshal.GetReference(d);
            ref float pg = ref MemoryMarshal.GetReference(gradient);
            int w = TLanes.Count;
            for (int k = firstInput; k < endInput; k += RowBlock)
            {
                int block = Math.Min(RowBlock, endInput - k);
                if (outputs < w)
                {
                    for (int j = 0; j < outputs; j++)
                        GradientStrip<OneLane>(ref px, ref pd, ref pg, k, block, rows, inputs, outputs, j);
                    continue;
                }
                for (int j = 0; j < outputs; j += w)
                    GradientStrip<TLanes>(ref px, ref pd, ref pg, k, block, rows, inputs, outputs, Math.Min(j, outputs - w));
            }
        }

        /// <summary>One vector of gradient columns from <paramref name="column"/> on, for up to four inputs from <paramref name="input"/> on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void GradientStrip<TLanes>(ref float x, ref float d, ref float g, int input, int block, int rows, int inputs, int outputs, int column)
            where TLanes : struct, ILanes<TLanes>
        {
            TLanes s0 = TLanes.Zero, s1 = TLanes.Zero, s2 = TLanes.Zero, s3 = TLanes.Zero;
            int o1 = block > 1 ? 1 : 0, o2 = block > 2 ? 2 : 0, o3 = block > 3 ? 3 : 0;
            for (int r = 0; r < rows; r++)
            {
                ref float xr = ref Unsafe.Add(ref x, (nint)r * inputs + input);
                float a0 = xr, a1 = Unsafe.Add(ref xr, o1), a2 = Unsafe.Add(ref xr, o2), a3 = Unsafe.Add(ref xr, o3);
                if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f)
                    continue;
                var delta = TLanes.Load(ref d, (nuint)((nint)r * outputs + column));
                s0 += TLanes.Create(a0) * delta;
                s1 += TLanes.Create(a1) * delta;
                s2 += TLanes.Create(a2) * delta;
                s3 += TLanes.Create(a3) * delta;
            }
            // Zeros made +0, as the forward products do, so a skipped term never shows.
            TLanes.Store(s0 + TLanes.Zero, ref g, (nuint)((nint)input * outputs + column));
            if (block > 1)
                TLanes.Store(s1 + TLanes.Zero, ref g, (nuint)((nint)(input + 1) * outputs + column));
            if (block > 2)
                TLanes.Store(s2 + TLanes.Zero, ref g, (nuint)((nint)(input + 2) * outputs + column));
            if (block > 3)
                TLanes.Store(s3 + TLanes.Zero, ref g, (nuint)((nint)(input + 3) * outputs + column));
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
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                    destination[c * rows + r] = source[r * columns + c];
            }
        }
    }
}
