using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Transform
{
    /// <summary>
    /// Maps points of the embedding back to the input space, as umap-learn's <c>inverse_transform</c> does: the
    /// point's nearest training points in the embedding (as many as the input has features, at most every training
    /// row), weighted by the low-dimensional membership 1 / (1 + a·d^2b); a start at the weighted mean of their input
    /// rows; then a short optimisation in the input space that pulls towards those rows (each in proportion to its
    /// weight) and pushes away from random training rows, scaled by the training rows' smooth-kNN sigma and rho.
    /// Euclidean input metric only (its gradient is (x − y) / d).
    /// </summary>
    /// <remarks>
    /// Unlike umap-learn, the neighbours are the exact nearest in the embedding (umap-learn walks a Delaunay
    /// triangulation, which misplaces points outside the training hull), and a point's result depends only on the
    /// point, the model and the seed, never on the batch around it.
    /// </remarks>
    internal sealed class InverseEmbedder
    {
        private const ulong StreamSalt = 0x494E564552534521; // "INVERSE!"

        /// <summary>umap-learn's clip on every gradient component.</summary>
        private const float GradientClip = 4f;

        /// <summary>umap-learn's guard against division by zero in the inverse gradients.</summary>
        private const float Guard = 1e-6f;

        private readonly RowMatrix _training;
        private readonly RowMatrix _embedding;
        private readonly float[] _sigmas;
        private readonly float[] _rhos;
        private readonly double _a;
        private readonly double _b;
        private readonly int _neighbors;
        private readonly float _learningRate;
        private readonly float _repulsion;
        private readonly int _negativeSampleRate;
        private readonly ulong _seed;

        public InverseEmbedder(RowMatrix training, RowMatrix embedding, KnnGraph neighbors, UmapParameters parameters, FitSummary fit)
        {
            _training = training;
            _embedding = embedding;
            (_sigmas, _rhos) = Graph.SmoothKnnDistances.Compute(neighbors, parameters.LocalConnectivity, parameters.NumberOfThreads);
            _a = fit.A;
            _b = fit.B;
            _neighbors = Math.Min(training.Columns, training.Rows);
            _learningRate = (float)(parameters.LearningRate / 4.0);
            _repulsion = (float)parameters.RepulsionStrength;
            _negativeSampleRate = (int)parameters.NegativeSampleRate;
            _seed = FastRandom.Mix(parameters.Seed ^ StreamSalt);
        }

        /// <summary>
        /// Optimisation epochs by default: none, so the result is the membership-weighted mean of the neighbours'
        /// input rows. umap-learn runs 100 (for up to 10,000 points); the epochs pull each point towards individual
        /// neighbours and away from random rows: better classified, but further from the true row, at a far higher cost
        /// (docs/measurements.md).
        /// </summary>
        public const int DefaultEpochs = 0;

        /// <summary>Per-point buffers, reused point after point by one thread.</summary>
        internal sealed class Scratch
        {
            public Scratch(int neighbors)
            {
                Indices = new int[neighbors];
                Distances = new float[neighbors];
                Weights = new float[neighbors];
                NextSample = new float[neighbors];
                NextNegative = new float[neighbors];
            }

            public int[] Indices { get; }

            public float[] Distances { get; }

            public float[] Weights { get; }

            public float[] NextSample { get; }

            public float[] NextNegative { get; }
        }

        public Scratch CreateScratch() => new(_neighbors);

        /// <summary>Writes the input-space point for embedding point <paramref name="point"/> into <paramref name="destination"/>.</summary>
        public void Invert(ReadOnlySpan<float> point, Span<float> destination, int epochs, Scratch scratch)
        {
            int k = _neighbors;
            NearestInEmbedding(point, scratch.Indices, scratch.Distances);
            var weights = scratch.Weights;
            double total = 0;
            for (int j = 0; j < k; j++)
            {
                weights[j] = (float)(1.0 / (1.0 + _a * PortableMath.Pow(scratch.Distances[j], 2 * _b)));
                total += weights[j];
            }
            if (!(total > 0))
            {
                // A point so far off the map that every membership underflows: its nearest points, equally weighted.
                weights.AsSpan().Fill(1f);
                total = k;
            }
            float maxWeight = 0;
            foreach (float w in weights)
                maxWeight = Math.Max(maxWeight, w);

            destination.Clear();
            for (int j = 0; j < k; j++)
                Accumulate(destination, _training.ReadOnlyRow(scratch.Indices[j]), (float)(weights[j] / total));
            if (epochs > 0)
                Optimize(point, destination, epochs, maxWeight, scratch);
        }

        private void Optimize(ReadOnlySpan<float> point, Span<float> x, int epochs, float maxWeight, Scratch scratch)
        {
            int k = _neighbors;
            var weights = scratch.Weights;
            var next = scratch.NextSample;
            var nextNegative = scratch.NextNegative;
            // Each edge fires every maxWeight / w epochs, its negative samples negativeSampleRate times as often.
            for (int j = 0; j < k; j++)
            {
                next[j] = maxWeight / weights[j];
                nextNegative[j] = next[j] / Math.Max(1, _negativeSampleRate);
            }
            var rng = FastRandom.ForStream(_seed, RowHash.Compute(VectorView.Dense(point)));
            float alpha = _learningRate;
            int n = _training.Rows;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                for (int j = 0; j < k; j++)
                {
                    if (next[j] > epoch + 1)
                        continue;
                    int target = scratch.Indices[j];
                    // Attraction towards the neighbour's input row, stronger for close neighbours of small sigma.
                    Attract(x, target, -1f / (weights[j] * _sigmas[target] + Guard), alpha);
                    next[j] += maxWeight / weights[j];

                    float perNegative = maxWeight / weights[j] / Math.Max(1, _negativeSampleRate);
                    int negatives = _negativeSampleRate == 0 ? 0 : (int)((epoch + 1 - nextNegative[j]) / perNegative);
                    for (int s = 0; s < negatives; s++)
                        Repel(x, rng.NextInt(n), alpha);
                    nextNegative[j] += negatives * perNegative;
                }
                alpha = _learningRate * (1f - (float)(epoch + 1) / epochs);
            }
        }

        private void Attract(Span<float> x, int row, float coefficient, float alpha)
        {
            var y = _training.ReadOnlyRow(row);
            Move(x, y, coefficient, MathF.Sqrt(DistanceKernels.SquaredEuclidean(x, y)), alpha);
        }

        /// <summary>Repulsion from a random training row, by its membership exp(−(d − rho) / sigma) as seen from that row.</summary>
        private void Repel(Span<float> x, int row, float alpha)
        {
            var y = _training.ReadOnlyRow(row);
            float d = MathF.Sqrt(DistanceKernels.SquaredEuclidean(x, y));
            float sigma = _sigmas[row];
            float membership = (float)PortableMath.Exp(-Math.Max(d - _rhos[row], Guard) / (sigma + Guard));
            Move(x, y, _repulsion * membership / ((1f - membership) * sigma + Guard), d, alpha);
        }

        /// <summary>x += clip(coefficient · (x − y) / d) · alpha, component by component (the Euclidean gradient).</summary>
        private static void Move(Span<float> x, ReadOnlySpan<float> y, float coefficient, float d, float alpha)
        {
            if (Vector512.IsHardwareAccelerated)
                Move<Lanes512>(x, y, coefficient / (Guard + d), alpha);
            else if (Vector256.IsHardwareAccelerated)
                Move<Lanes256>(x, y, coefficient / (Guard + d), alpha);
            else if (Vector128.IsHardwareAccelerated)
                Move<Lanes128>(x, y, coefficient / (Guard + d), alpha);
            else
                Move<SoftwareLanes>(x, y, coefficient / (Guard + d), alpha);
        }

        private static void Move<TLanes>(Span<float> x, ReadOnlySpan<float> y, float scale, float alpha)
            where TLanes : struct, ILanes<TLanes>
        {
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            int i = 0;
            for (; i + TLanes.Count <= x.Length; i += TLanes.Count)
                Move<TLanes>(ref px, ref py, (nuint)i, scale, alpha);
            for (; i < x.Length; i++)
                Move<OneLane>(ref px, ref py, (nuint)i, scale, alpha);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Move<TLanes>(ref float x, ref float y, nuint at, float scale, float alpha)
            where TLanes : struct, ILanes<TLanes>
        {
            var xv = TLanes.Load(ref x, at);
            var step = TLanes.Min(TLanes.Max(TLanes.Create(scale) * (xv - TLanes.Load(ref y, at)), TLanes.Create(-GradientClip)), TLanes.Create(GradientClip));
            TLanes.Store(xv + step * TLanes.Create(alpha), ref x, at);
        }

        private static void Accumulate(Span<float> destination, ReadOnlySpan<float> row, float weight) =>
            VectorArithmetic.AddScaled(destination, row, weight);

        /// <summary>The <see cref="Scratch.Indices"/>.Length nearest training points in the embedding, ascending (exact).</summary>
        private void NearestInEmbedding(ReadOnlySpan<float> point, Span<int> indices, Span<float> distances)
        {
            NeighborHeap.Clear(distances, indices);
            int dim = _embedding.Columns;
            var values = _embedding.Values;
            // Distances in double: a point far off the map (coordinates up to float.MaxValue) must not overflow them.
            for (int c = 0; c < _embedding.Rows; c++)
            {
                double sum = 0;
                for (int d = 0; d < dim; d++)
                {
                    double diff = (double)point[d] - values[c * dim + d];
                    sum += diff * diff;
                }
                float distance = (float)Math.Sqrt(sum);
                if (distance <= distances[0])
                    NeighborHeap.Push(distances, indices, distance, c);
            }
            NeighborHeap.SortAscending(distances, indices);
        }
    }
}
