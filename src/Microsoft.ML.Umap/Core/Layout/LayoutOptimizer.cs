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
    /// on several threads; it therefore goes single-threaded when a seed is set. Here each epoch walks the vertices
    /// in <see cref="Blocks"/> consecutive blocks. Within a block each vertex is updated only by the thread that
    /// owns it, from its own out-edges, against the other vertices' positions at the start of the block: its
    /// attractions and negative samples one after the other, as in umap-learn. The pull each attraction gives the
    /// edge's other end (umap-learn's <c>move_other</c>) is tallied (<see cref="OtherEndAttraction"/>) and lands when
    /// the block ends, before the next block reads positions. Random streams are keyed by (seed, epoch, vertex) and
    /// the tallies are exact integer sums, so the result is bit-for-bit the same for a given seed whatever the number
    /// of threads. densMAP's term (<see cref="DensityRegularization"/>) rides on the attraction, on both ends, as in
    /// umap-learn. docs/layout-scheme.md compares this scheme with the others that were tried.
    /// </remarks>
    internal static class LayoutOptimizer
    {
        /// <summary>Vertices per work item: big enough to amortise scheduling, small enough to balance.</summary>
        private const int VertexChunk = 512;

        /// <summary>
        /// Vertices move in this many consecutive blocks per epoch, and the other ends' pulls land after each block.
        /// Landing them only once per epoch left MNIST 10k about 10% wider than umap-learn's layout from the same graph
        /// and start, and made densMAP's density term overshoot (kNN accuracy 0.89 against umap-learn's 0.92). Four
        /// blocks close most of both gaps; eight close slightly more but cost more (each block is a pass over the
        /// tallies and a synchronisation of the threads).
        /// </summary>
        private const int Blocks = 4;

        /// <summary>Values per work item when the tallies land.</summary>
        private const int ApplyChunk = 8192;

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

            var otherEnds = new OtherEndAttraction(n, dim);
            // Where the other vertices stood when the current block started; every block's end brings it up to date.
            var snapshot = (float[])embedding.Values.Clone();
            int epochs = settings.Epochs;
            float alpha = (float)settings.LearningRate;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                monitor.ThrowIfCancellationRequested();
                int currentEpoch = epoch;
                float currentAlpha = alpha;
                DensityRegularization density = null;
                if (settings.Density?.IsActive(epoch, epochs) == true)
                {
                    density = settings.Density;
                    density.BeginEpoch(snapshot, dim, settings.Threads);
                }
                for (int block = 0; block < Blocks; block++)
                {
                    int first = (int)((long)n * block / Blocks), last = (int)((long)n * (block + 1) / Blocks);
                    // Chunks only schedule the work (a vertex's moves do not depend on its chunk), so they may
                    // follow the thread count: small enough that every thread gets a share of a block.
                    int chunk = Math.Clamp((last - first) / (4 * settings.Threads), 32, VertexChunk);
                    ParallelRange.For(last - first, chunk, settings.Threads, (start, end) =>
                        StepVertices(first + start, first + end, embedding.Values, snapshot, graph, dim, in gradient, currentAlpha, currentEpoch, in sampler, settings.Seed, density, otherEnds),
                        monitor.Cancellation);
                    ParallelRange.For(n, ApplyChunk, settings.Threads, (start, end) =>
                        otherEnds.Apply(start, end, embedding.Values, snapshot, currentAlpha),
                        monitor.Cancellation);
                }

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
            in UmapGradient gradient, float alpha, int epoch, in EdgeSampler sampler, ulong seed, DensityRegularization density, OtherEndAttraction otherEnds)
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
            var otherEnd = otherEnds.Rent();
            for (int g = 0; g < count; g += Lanes)
            {
                var group = new ReadOnlySpan<int>(chunk.Order, g, Math.Min(Lanes, count - g));
#if NET9_0_OR_GREATER
                // The lists go through AVX2 when the machine has it; the choice is the same for every vertex of a fit,
                // so results still do not depend on the thread count.
                if (VectorizedMoveReplay.IsSupported)
                {
                    VectorizedMoveReplay.Replay(start, group, chunk.Moves, chunk.Starts, positions, snapshot, offsets, columns, dim, in gradient, alpha, density, otherEnd);
                    continue;
                }
#endif
                ReplayInterleaved(start, group, chunk.Moves, chunk.Starts, positions, snapshot, offsets, columns, dim, in gradient, alpha, density, otherEnd);
            }
            otherEnds.Return(otherEnd);
        }

        /// <summary>
        /// Replays the move lists of the <paramref name="group"/> of vertices (indices from <paramref name="start"/>)
        /// one step of each in turn, so the CPU overlaps their independent chains.
        /// </summary>
        private static void ReplayInterleaved(
            int start, ReadOnlySpan<int> group, int[] moves, int[] starts, float[] positions, float[] snapshot, int[] offsets, int[] columns, int dim,
            in UmapGradient gradient, float alpha, DensityRegularization density, OtherEndAttraction.Tally otherEnd)
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
                        snapshot, dim, in gradient, alpha, density, otherEnd);
                }
            }
        }

        /// <summary>
        /// Applies every edge of a new row (outside the graph) due in <paramref name="epoch"/>, one after the other as
        /// umap-learn's transform does: attraction towards the training point, then the repulsion of the negative
        /// samples the edge owes, moving only <paramref name="current"/>.
        /// </summary>
        /// <param name="current">The vertex's coordinates, updated in place.</param>
        /// <param name="tails">The other ends of the vertex's edges.</param>
        /// <param name="firstEdge">Position of the vertex's first edge in the schedule of <paramref name="sampler"/>.</param>
        /// <param name="others">Positions of all tail vertices, row-major, read-only here.</param>
        /// <param name="tailCount">Number of tail vertices (negative samples are drawn from them).</param>
        /// <param name="dim">Embedding dimension.</param>
        /// <param name="gradient">The gradient coefficients.</param>
        /// <param name="alpha">Learning rate of this epoch.</param>
        /// <param name="epoch">Current epoch index.</param>
        /// <param name="sampler">The edges' sampling schedule.</param>
        /// <param name="rng">The vertex's random stream for this epoch.</param>
        internal static void StepNewVertex(
            Span<float> current, ReadOnlySpan<int> tails, int firstEdge, float[] others, int tailCount, int dim,
            in UmapGradient gradient, float alpha, int epoch, in EdgeSampler sampler, ref FastRandom rng)
        {
            ref int[] moves = ref (t_chunk ??= new ChunkMoves()).Moves;
            int count = MoveSchedule.Build(tails.Length, firstEdge, tailCount, epoch, in sampler, ref rng, ref moves);
            Prefetch(moves.AsSpan(0, count), tails, others, dim);
            for (int s = 0; s < count; s++)
                MoveSchedule.Apply(moves[s], current, -1, tails, firstEdge, others, dim, in gradient, alpha, null, null);
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
