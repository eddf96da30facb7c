using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

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
    /// umap-learn. docs/layout-scheme.md compares this scheme with the others that were tried. A vertex's moves are
    /// written by <see cref="MoveSchedule"/> and applied by <see cref="MoveReplay"/>, the gradient step.
    /// The loops are marked <see cref="MethodImplOptions.AggressiveOptimization"/>: called a few thousand times within
    /// seconds, while the fit keeps compiling new methods, they would otherwise run a first fit's early epochs
    /// unoptimised (docs/measurements.md).
    /// </remarks>
    internal static class LayoutOptimizer
    {
        /// <summary>Vertices per work item: big enough to amortise scheduling, small enough to balance.</summary>
        private const int VertexChunk = 512;

        /// <summary>
        /// Vertices move in this many consecutive blocks per epoch; the block's moves and the pulls it owes other ends
        /// land when it ends, so no vertex reads a position older than a sixteenth of an epoch. Stale positions are
        /// what separates this scheme from umap-learn's immediate moves, and on continuous data they cost quality as the
        /// blocks grow longer; each block costs a pass over the tallies and a synchronisation, and sixteen is where
        /// our fits matched umap-learn's loop run from the same graph and start (docs/measurements.md, docs/layout-scheme.md).
        /// </summary>
        private const int Blocks = 16;

        /// <summary>
        /// Chains a 128-bit replay runs side by side. A step is a long dependent chain of arithmetic that four lanes
        /// leave mostly idle; four independent chains keep the processor busy (docs/measurements.md). The wider widths
        /// already fill it: a second chain made them slower.
        /// </summary>
        private const int Chains128 = 4;

        /// <summary>Values per work item when the tallies land.</summary>
        private const int ApplyChunk = 8192;

        /// <summary>
        /// Optimises <paramref name="embedding"/> (n × dim, updated in place) for the symmetric graph
        /// <paramref name="graph"/>, whose edges must already be pruned.
        /// </summary>
        public static void Optimize(RowMatrix embedding, CsrMatrix graph, LayoutSettings settings, FitMonitor monitor)
        {
            if (graph.Rows != embedding.Rows)
                throw new ArgumentException("The graph and the embedding must have the same number of vertices.");

            var run = new Run(embedding, graph, settings, monitor);
            int epochs = settings.Epochs;
            float alpha = (float)settings.LearningRate;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                monitor.ThrowIfCancellationRequested();
                var density = settings.Density;
                if (density?.IsActive(epoch, epochs) == true)
                {
                    density.BeginEpoch(run.Snapshot, embedding.Columns, settings.Threads);
                    run.Epoch(epoch, alpha, new WithDensity(density));
                }
                else
                {
                    run.Epoch(epoch, alpha, default(WithoutDensity));
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

        /// <summary>One optimisation: its context, the other ends' tallies and the workers that reuse their scratch.</summary>
        private sealed class Run
        {
            private readonly LayoutContext _context;
            private readonly OtherEndAttraction _otherEnds;
            private readonly ConcurrentBag<LayoutWorker> _idle = new ConcurrentBag<LayoutWorker>();
            private readonly int _threads;
            private readonly FitMonitor _monitor;

            public Run(RowMatrix embedding, CsrMatrix graph, LayoutSettings settings, FitMonitor monitor)
            {
                // Where the other vertices stood when the current block started; every block's end brings it up to date.
                Snapshot = (float[])embedding.Values.Clone();
                var gradient = new UmapGradient(settings.A, settings.B, settings.RepulsionStrength);
                var schedule = new EdgeSchedule(EdgeSchedule.FiringRates(graph.Values), settings.NegativeSampleRate);
                _context = LayoutContext.ForFit(embedding.Values, Snapshot, graph, embedding.Columns, gradient, schedule, settings.Seed);
                _otherEnds = new OtherEndAttraction(graph.Rows, embedding.Columns);
                _threads = settings.Threads;
                _monitor = monitor;
            }

            public float[] Snapshot { get; }

            /// <summary>One epoch: each block's vertices move, then the steps owed to their edges' other ends land.</summary>
            public void Epoch<TDensity>(int epoch, float alpha, TDensity density)
                where TDensity : struct, IDensityTerm
            {
                var context = _context.ForEpoch(epoch, alpha);
                int n = context.VertexCount;
                for (int block = 0; block < Blocks; block++)
                {
                    int first = (int)((long)n * block / Blocks), last = (int)((long)n * (block + 1) / Blocks);
                    // Chunks only schedule the work (a vertex's moves do not depend on its chunk), so they may
                    // follow the thread count: small enough that every thread gets a share of a block.
                    int chunk = Math.Clamp((last - first) / (4 * _threads), 32, VertexChunk);
                    ParallelRange.For(last - first, chunk, _threads, Rent, (start, end, worker) =>
                        StepVertices(in context, first + start, first + end, worker, in density), _idle.Add, _monitor.Cancellation);
                    ParallelRange.For(n, ApplyChunk, _threads, (start, end) =>
                        _otherEnds.Apply(start, end, context.Positions, context.Snapshot, alpha), _monitor.Cancellation);
                }
            }

            private LayoutWorker Rent() => _idle.TryTake(out var worker) ? worker : new LayoutWorker(_otherEnds.CreateTally());
        }

        /// <summary>One epoch's moves of the vertices in [<paramref name="start"/>, <paramref name="end"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void StepVertices<TDensity>(in LayoutContext context, int start, int end, LayoutWorker worker, in TDensity density)
            where TDensity : struct, IDensityTerm
        {
            int count = end - start;
            BuildMoveLists(in context, start, count, worker);

            // Lanes run in step, so vertices with similar numbers of moves are grouped (longest first); a vertex's
            // result does not depend on its group or on the vector width.
            Array.Sort(worker.Keys, worker.Order, 0, count);
            if (Vector512.IsHardwareAccelerated)
                ReplayGroups<Lanes512, TDensity>(in context, start, count, worker, in density);
            else if (Vector256.IsHardwareAccelerated)
                ReplayGroups<Lanes256, TDensity>(in context, start, count, worker, in density);
            else if (Vector128.IsHardwareAccelerated)
                ReplayGroups<Lanes128, TDensity>(in context, start, count, worker, in density, Chains128);
            else
                ReplayGroups<SoftwareLanes, TDensity>(in context, start, count, worker, in density);
        }

        /// <summary>
        /// Replays the chunk's vertices in the worker's order, in groups of <paramref name="chains"/> chains of
        /// <typeparamref name="TLanes"/>' count.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void ReplayGroups<TLanes, TDensity>(in LayoutContext context, int start, int count, LayoutWorker worker, in TDensity density, int chains = 1)
            where TLanes : struct, ILanes<TLanes>
            where TDensity : struct, IDensityTerm
        {
            int lanes = TLanes.Count * chains;
            for (int g = 0; g < count; g += lanes)
                MoveReplay.Replay<TLanes, TDensity>(in context, start, new ReadOnlySpan<int>(worker.Order, g, Math.Min(lanes, count - g)), worker, in density, chains);
        }

        /// <summary>Writes the move lists of <paramref name="count"/> vertices from <paramref name="start"/> into the worker's scratch.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void BuildMoveLists(in LayoutContext context, int start, int count, LayoutWorker worker)
        {
            worker.Reserve(count);
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                int v = start + i;
                var rng = FastRandom.ForStream(context.Seed, (ulong)context.Epoch, (ulong)v);
                worker.Starts[i] = total;
                total = MoveSchedule.Build(in context, context.Offsets[v + 1] - context.Offsets[v], context.Offsets[v], ref rng, ref worker.Moves, total);
                worker.Order[i] = i;
                worker.Keys[i] = worker.Starts[i] - total;
            }
            worker.Starts[count] = total;
        }
    }
}
