using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
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
    /// vertex itself, one after the other, exactly as in umap-learn. Random streams are keyed by (seed, epoch, vertex), so the
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

        /// <summary>Vertices whose moves are replayed side by side (see <see cref="MoveSchedule"/>): the AVX2 replay's eight lanes.</summary>
        private const int Lanes = 8;

        /// <summary>A worker thread's scratch, reused from epoch to epoch: a chunk's move lists and replay order.</summary>
        private sealed class ChunkMoves
        {
            public int[] Moves = new int[1 << 15];
            public int[] Starts = new int[VertexChunk + 1];
            public int[] Order = new int[VertexChunk];
            public int[] Keys = new int[VertexChunk];

            public void Reserve(int vertices)
            {
                if (Order.Length < vertices)
                {
                    Starts = new int[vertices + 1];
                    Order = new int[vertices];
                    Keys = new int[vertices];
                }
            }
        }

        [ThreadStatic]
        private static ChunkMoves t_chunk;

        /// <summary>One epoch's updates of the vertices in [<paramref name="start"/>, <paramref name="end"/>).</summary>
        private static void StepVertices(
            int start, int end, float[] positions, float[] snapshot, CsrMatrix graph, int dim,
            in UmapGradient gradient, float alpha, int epoch, in EdgeSampler sampler, ulong seed, DensityRegularization density)
        {
            int[] offsets = graph.RowOffsets;
            int[] columns = graph.ColumnIndices;
            int n = graph.Rows;
            int count = end - start;
            var chunk = t_chunk ??= new ChunkMoves();
            chunk.Reserve(count);
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                int v = start + i;
                var rng = FastRandom.ForStream(seed, (ulong)epoch, (ulong)v);
                chunk.Starts[i] = total;
                total = MoveSchedule.Build(offsets[v + 1] - offsets[v], offsets[v], n, epoch, in sampler, ref rng, ref chunk.Moves, total);
                chunk.Order[i] = i;
                chunk.Keys[i] = chunk.Starts[i] - total;
            }
            chunk.Starts[count] = total;

            // Lanes run in step, so vertices with similar numbers of moves are grouped (longest first); a vertex's
            // result does not depend on its group.
            Array.Sort(chunk.Keys, chunk.Order, 0, count);
            float attractionStep = AttractionSteps * alpha;
            for (int g = 0; g < count; g += Lanes)
            {
                var group = new ReadOnlySpan<int>(chunk.Order, g, Math.Min(Lanes, count - g));
#if NET9_0_OR_GREATER
                // The lists go through AVX2 when the machine has it; the choice is the same for every vertex of a fit,
                // so results still do not depend on the thread count.
                if (VectorizedMoveReplay.IsSupported)
                {
                    VectorizedMoveReplay.Replay(start, group, chunk.Moves, chunk.Starts, positions, snapshot, offsets, columns, dim, in gradient, attractionStep, alpha, density);
                    continue;
                }
#endif
                ReplayInterleaved(start, group, chunk.Moves, chunk.Starts, positions, snapshot, offsets, columns, dim, in gradient, attractionStep, alpha, density);
            }
        }

        /// <summary>
        /// Replays the move lists of the <paramref name="group"/> of vertices (indices from <paramref name="start"/>)
        /// one step of each in turn, so the CPU overlaps their independent chains.
        /// </summary>
        private static void ReplayInterleaved(
            int start, ReadOnlySpan<int> group, int[] moves, int[] starts, float[] positions, float[] snapshot, int[] offsets, int[] columns, int dim,
            in UmapGradient gradient, float attractionStep, float alpha, DensityRegularization density)
        {
            int longest = 0;
            foreach (int i in group)
                longest = Math.Max(longest, starts[i + 1] - starts[i]);
            for (int s = 0; s < longest; s++)
            {
                foreach (int i in group)
                {
                    if (starts[i] + s >= starts[i + 1])
                        continue;
                    int v = start + i;
                    MoveSchedule.Apply(
                        moves[starts[i] + s], positions.AsSpan(v * dim, dim), v, columns.AsSpan(offsets[v], offsets[v + 1] - offsets[v]), offsets[v],
                        snapshot, dim, in gradient, attractionStep, alpha, density);
                }
            }
        }

        /// <summary>Attraction is applied twice per sampled edge end: once for each direction of the edge (see remarks).</summary>
        private const float AttractionSteps = 2f;

        /// <summary>
        /// Applies every edge of one vertex due in <paramref name="epoch"/>, one after the other as umap-learn does:
        /// attraction towards the other end, then the repulsion of the negative samples the edge owes, moving only
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
        internal static void StepVertex(
            Span<float> current, int self, ReadOnlySpan<int> tails, int firstEdge, float[] others, int tailCount, int dim,
            in UmapGradient gradient, float alpha, float attractionSteps, int epoch, in EdgeSampler sampler, ref FastRandom rng)
        {
            ref int[] moves = ref (t_chunk ??= new ChunkMoves()).Moves;
            int count = MoveSchedule.Build(tails.Length, firstEdge, tailCount, epoch, in sampler, ref rng, ref moves);
            Prefetch(moves.AsSpan(0, count), tails, others, dim);
            float attractionStep = attractionSteps * alpha;
            for (int s = 0; s < count; s++)
                MoveSchedule.Apply(moves[s], current, self, tails, firstEdge, others, dim, in gradient, attractionStep, alpha, null);
        }

        /// <summary>
        /// Asks for the coordinates every move will read before the moves start: a lone vertex (a new row being
        /// placed) runs one dependent chain, so without this each sample that left the cache (the neighbour search
        /// just swept the training data through it) would stall the chain for a whole memory round trip.
        /// </summary>
        private static unsafe void Prefetch(ReadOnlySpan<int> moves, ReadOnlySpan<int> tails, float[] others, int dim)
        {
            if (!Sse.IsSupported)
                return;
            fixed (float* basePointer = others)
            {
                foreach (int move in moves)
                    Sse.Prefetch0(basePointer + (move >= 0 ? tails[move] : ~move) * dim);
            }
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
