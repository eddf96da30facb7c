using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// Epoch-sampled stochastic gradient descent with negative sampling (umap-learn
    /// <c>optimize_layout_euclidean</c>), made reproducible under parallelism.
    /// </summary>
    /// <remarks>
    /// umap-learn walks the edge list in order and moves both ends of each sampled edge, which races when run
    /// on several threads; it therefore goes single-threaded when a seed is set. Here each vertex is updated
    /// only by the thread that owns it, from its own out-edges (the graph is symmetric, so every edge is seen
    /// from both ends), against the other vertices' positions at the start of the epoch. Because both
    /// directions of an edge fire in the same epochs, the attraction a vertex receives as the other end in
    /// umap-learn is applied here as a second, equal step (the 2× below); negative samples move only the
    /// vertex itself, exactly as in umap-learn. Random streams are keyed by (seed, epoch, vertex), so the
    /// result is bit-for-bit the same for a given seed whatever the number of threads. densMAP's term
    /// (<see cref="DensityRegularization"/>) is symmetric in the two ends of an edge, so it rides on the same scheme.
    /// </remarks>
    internal static class LayoutOptimizer
    {
        /// <summary>Vertices per work item: big enough to amortise scheduling, small enough to balance.</summary>
        private const int VertexChunk = 512;

        /// <summary>
        /// Optimises <paramref name="embedding"/> (n × dim, updated in place) for the symmetric graph
        /// <paramref name="graph"/>, whose edges must already be pruned.
        /// </summary>
        public static void Optimize(RowMatrix embedding, CsrMatrix graph, LayoutSettings settings, FitMonitor monitor)
        {
            int n = embedding.Rows;
            int dim = embedding.Columns;
            if (graph.Rows != n)
                throw new ArgumentException("The graph and the embedding must have the same number of vertices.");

            var gradient = new UmapGradient(settings.A, settings.B, settings.RepulsionStrength);
            var sampler = new EdgeSampler(EdgeSampling.FiringRates(graph.Values), settings.NegativeSampleRate);

            var snapshot = new float[embedding.Values.Length];
            int epochs = settings.Epochs;
            float alpha = (float)settings.LearningRate;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                monitor.ThrowIfCancellationRequested();
                Array.Copy(embedding.Values, snapshot, snapshot.Length);
                int currentEpoch = epoch;
                float currentAlpha = alpha;
                DensityRegularization density = null;
                if (settings.Density?.IsActive(epoch, epochs) == true)
                {
                    density = settings.Density;
                    density.BeginEpoch(snapshot, dim, settings.Threads);
                }
                ParallelRange.For(n, VertexChunk, settings.Threads, (start, end) =>
                    StepVertices(start, end, embedding.Values, snapshot, graph, dim, in gradient, currentAlpha, currentEpoch, in sampler, settings.Seed, density),
                    monitor.Cancellation);

                // umap-learn decays the rate after each epoch from the epoch index, so the first two epochs share it.
                alpha = (float)(settings.LearningRate * (1.0 - (double)epoch / epochs));
                if ((epoch + 1) * 10 / epochs != epoch * 10 / epochs || epoch + 1 == epochs)
                {
                    monitor.Report(UmapStage.Layout, epoch + 1, epochs);
                    monitor.Info($"Layout: epoch {epoch + 1} of {epochs}.");
                }
            }
        }

        /// <summary>One epoch's updates of the vertices in [<paramref name="start"/>, <paramref name="end"/>).</summary>
        private static void StepVertices(
            int start, int end, float[] positions, float[] snapshot, CsrMatrix graph, int dim,
            in UmapGradient gradient, float alpha, int epoch, in EdgeSampler sampler, ulong seed, DensityRegularization density)
        {
            int[] offsets = graph.RowOffsets;
            int[] columns = graph.ColumnIndices;
            int n = graph.Rows;
            for (int i = start; i < end; i++)
            {
                var rng = FastRandom.ForStream(seed, (ulong)epoch, (ulong)i);
                int from = offsets[i], to = offsets[i + 1];
                StepVertex(
                    positions.AsSpan(i * dim, dim), i, columns.AsSpan(from, to - from), from, snapshot, n, dim,
                    in gradient, alpha, AttractionSteps, epoch, in sampler, ref rng, density);
            }
        }

        /// <summary>Attraction is applied twice per sampled edge end: once for each direction of the edge (see remarks).</summary>
        private const float AttractionSteps = 2f;

        /// <summary>Negative samples gathered before their repulsion is applied together (see <see cref="NegativeSampling"/>).</summary>
        private const int NegativeBatch = 64;

        /// <summary>
        /// Applies every edge of one vertex due in <paramref name="epoch"/>: attraction towards the other end, one
        /// edge after the other, then the repulsion of the negative samples those edges owe, moving only
        /// <paramref name="current"/>.
        /// </summary>
        /// <param name="current">The vertex's coordinates, updated in place.</param>
        /// <param name="self">The vertex's own index among the tails (so it is never its own negative sample), or −1.</param>
        /// <param name="tails">The other ends of the vertex's edges.</param>
        /// <param name="firstEdge">Position of the vertex's first edge in the schedule of <paramref name="sampler"/>.</param>
        /// <param name="others">Positions of all tail vertices, row-major, read-only here.</param>
        /// <param name="tailCount">Number of tail vertices (negative samples are drawn from them).</param>
        /// <param name="dim">Embedding dimension.</param>
        /// <param name="gradient">The gradient coefficients.</param>
        /// <param name="alpha">Learning rate of this epoch.</param>
        /// <param name="attractionSteps">Multiplier of the attractive step.</param>
        /// <param name="epoch">Current epoch index.</param>
        /// <param name="sampler">The edges' sampling schedule.</param>
        /// <param name="rng">The vertex's random stream for this epoch.</param>
        /// <param name="density">The densMAP term when it acts in this epoch (then <paramref name="self"/> is a vertex of its graph), else null.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void StepVertex(
            Span<float> current, int self, ReadOnlySpan<int> tails, int firstEdge, float[] others, int tailCount, int dim,
            in UmapGradient gradient, float alpha, float attractionSteps, int epoch, in EdgeSampler sampler, ref FastRandom rng,
            DensityRegularization density = null)
        {
            Span<int> samples = stackalloc int[NegativeBatch];
            Span<float> push = stackalloc float[dim];
            int owed = 0;
            float step = attractionSteps * alpha;
            for (int e = 0; e < tails.Length; e++)
            {
                int firing = sampler.Firing(firstEdge + e, epoch);
                if (firing == 0)
                    continue;

                var other = new ReadOnlySpan<float>(others, tails[e] * dim, dim);
                float distanceSquared = SquaredDistance(current, other);
                float coefficient = gradient.Attraction(distanceSquared);
                if (density is null)
                {
                    for (int d = 0; d < dim; d++)
                        current[d] += step * UmapGradient.ClipComponent(coefficient * (current[d] - other[d]));
                }
                else
                {
                    // umap-learn clips the density term on its own and adds it to the clipped attraction.
                    float correction = density.Coefficient(self, tails[e], firstEdge + e, distanceSquared);
                    for (int d = 0; d < dim; d++)
                    {
                        float difference = current[d] - other[d];
                        current[d] += step * (UmapGradient.ClipComponent(coefficient * difference) + UmapGradient.ClipComponent(correction * difference));
                    }
                }

                owed += sampler.NegativeSamples(firing);
                while (owed >= NegativeBatch)
                {
                    Repel(current, self, samples, others, tailCount, dim, in gradient, alpha, push, ref rng);
                    owed -= NegativeBatch;
                }
            }
            if (owed > 0)
                Repel(current, self, samples.Slice(0, owed), others, tailCount, dim, in gradient, alpha, push, ref rng);
        }

        /// <summary>Draws <paramref name="samples"/>.Length negative samples and applies their summed repulsion.</summary>
        private static void Repel(Span<float> current, int self, Span<int> samples, float[] others, int tailCount, int dim, in UmapGradient gradient, float alpha, Span<float> push, ref FastRandom rng)
        {
            rng.FillInts(samples, tailCount);
            push.Clear();
            NegativeSampling.AccumulateRepulsion(current, self, samples, others, dim, in gradient, push);
            for (int d = 0; d < dim; d++)
                current[d] += alpha * push[d];
        }

        /// <summary>Squared Euclidean distance between two embedded points (a handful of coordinates: a plain loop wins).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static float SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            float sum = 0f;
            for (int d = 0; d < x.Length; d++)
            {
                float diff = x[d] - y[d];
                sum += diff * diff;
            }
            return sum;
        }
    }
}
