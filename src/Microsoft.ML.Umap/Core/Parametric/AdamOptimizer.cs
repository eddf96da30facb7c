using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// Adam (Kingma and Ba) over a network's parameters: per parameter, running means of the gradient and of its square,
    /// and a step of the learning rate times their ratio. Element by element, one IEEE operation at a time, so every
    /// vector width gives the same bits.
    /// </summary>
    internal sealed class AdamOptimizer
    {
        public const float Beta1 = 0.9f;
        public const float Beta2 = 0.999f;

        /// <summary>Keeps the step finite where the gradient has always been 0 (Keras' default).</summary>
        public const float Epsilon = 1e-7f;

        private readonly float[][] _firstMoments;
        private readonly float[][] _secondMoments;

        // β₁ᵗ and β₂ᵗ, multiplied up step by step in double (exact operations, the same on every machine).
        private double _beta1Power = 1;
        private double _beta2Power = 1;

        /// <param name="sizes">The length of each parameter array this optimiser updates, numbered in the order <see cref="Update"/> receives them.</param>
        public AdamOptimizer(ReadOnlySpan<int> sizes)
        {
            _firstMoments = new float[sizes.Length][];
            _secondMoments = new float[sizes.Length][];
            for (int i = 0; i < sizes.Length; i++)
            {
                _firstMoments[i] = new float[sizes[i]];
                _secondMoments[i] = new float[sizes[i]];
            }
        }

        /// <summary>Starts the next step: the bias-corrected step size for <paramref name="learningRate"/>, used by every <see cref="Update"/> of the step.</summary>
        public float BeginStep(double learningRate)
        {
            _beta1Power *= Beta1;
            _beta2Power *= Beta2;
            return (float)(learningRate * Math.Sqrt(1 - _beta2Power) / (1 - _beta1Power));
        }

        /// <summary>
        /// Updates the elements [<paramref name="start"/>, <paramref name="end"/>) of parameter array <paramref name="index"/>
        /// from their gradient; any split of an array into ranges gives the same bits.
        /// </summary>
        public void Update(int index, float[] parameters, float[] gradient, float stepSize, int start, int end)
        {
            var first = _firstMoments[index];
            var second = _secondMoments[index];
            if (parameters.Length != first.Length || gradient.Length != first.Length || start < 0 || end > first.Length || start > end)
                throw new ArgumentException("The parameter and gradient arrays do not match the optimiser's.");
            if (Vector512.IsHardwareAccelerated)
                Update<Lanes512>(parameters, gradient, first, second, stepSize, start, end);
            else if (Vector256.IsHardwareAccelerated)
                Update<Lanes256>(parameters, gradient, first, second, stepSize, start, end);
            else if (Vector128.IsHardwareAccelerated)
                Update<Lanes128>(parameters, gradient, first, second, stepSize, start, end);
            else
                Update<SoftwareLanes>(parameters, gradient, first, second, stepSize, start, end);
        }

        internal static void Update<TLanes>(float[] parameters, float[] gradient, float[] first, float[] second, float stepSize, int start, int end)
            where TLanes : struct, ILanes<TLanes>
        {
            ref float p = ref MemoryMarshal.GetArrayDataReference(parameters);
            ref float g = ref MemoryMarshal.GetArrayDataReference(gradient);
            ref float m = ref MemoryMarshal.GetArrayDataReference(first);
            ref float v = ref MemoryMarshal.GetArrayDataReference(second);
            int i = start;
            for (; i + TLanes.Count <= end; i += TLanes.Count)
                Update<TLanes>(ref p, ref g, ref m, ref v, stepSize, (nuint)i);
            for (; i < end; i++)
                Update<OneLane>(ref p, ref g, ref m, ref v, stepSize, (nuint)i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Update<TLanes>(ref float p, ref float g, ref float m, ref float v, float stepSize, nuint at)
            where TLanes : struct, ILanes<TLanes>
        {
            var gradient = TLanes.Load(ref g, at);
            var mean = TLanes.Create(Beta1) * TLanes.Load(ref m, at) + TLanes.Create(1 - Beta1) * gradient;
            var square = TLanes.Create(Beta2) * TLanes.Load(ref v, at) + TLanes.Create(1 - Beta2) * (gradient * gradient);
            TLanes.Store(mean, ref m, at);
            TLanes.Store(square, ref v, at);
            var step = TLanes.Create(stepSize) * mean / (TLanes.Sqrt(square) + TLanes.Create(Epsilon));
            TLanes.Store(TLanes.Load(ref p, at) - step, ref p, at);
        }
    }
}
