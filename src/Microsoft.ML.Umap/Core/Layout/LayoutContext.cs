using System;
using Microsoft.ML.Umap.Core.Graph;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// Everything one epoch of the layout reads: where the vertices stand, the graph they move along, and how often and
    /// how far they step. Immutable, passed by reference to every move, so no layout function needs a long argument list.
    /// Fields rather than properties, so the hot loops read the gradient and the schedule in place instead of copying them.
    /// </summary>
    internal readonly struct LayoutContext
    {
        private LayoutContext(float[] positions, float[] snapshot, int[] offsets, int[] columns, int dim, int vertexCount, UmapGradient gradient, EdgeSchedule schedule, ulong seed, int epoch, float alpha)
        {
            Positions = positions;
            Snapshot = snapshot;
            Offsets = offsets;
            Columns = columns;
            Dim = dim;
            VertexCount = vertexCount;
            Gradient = gradient;
            Schedule = schedule;
            Seed = seed;
            Epoch = epoch;
            Alpha = alpha;
        }

        /// <summary>The fit's embedding (row-major, <see cref="Dim"/> per vertex); only each vertex's own thread writes its row.</summary>
        public readonly float[] Positions;

        /// <summary>Where the vertices stood when the current block started: what every move measures against.</summary>
        public readonly float[] Snapshot;

        /// <summary>Vertex v's edges are <c>Columns[Offsets[v] .. Offsets[v + 1]]</c>.</summary>
        public readonly int[] Offsets;

        public readonly int[] Columns;

        public readonly int Dim;

        /// <summary>Vertices negative samples are drawn from.</summary>
        public readonly int VertexCount;

        public readonly UmapGradient Gradient;

        /// <summary>When each edge fires and how many negative samples it owes.</summary>
        public readonly EdgeSchedule Schedule;

        /// <summary>Seed of the random streams, keyed by (epoch, vertex).</summary>
        public readonly ulong Seed;

        public readonly int Epoch;

        /// <summary>Learning rate of this epoch.</summary>
        public readonly float Alpha;

        /// <summary>The context of a fit's layout over <paramref name="graph"/> (epoch and rate set by <see cref="ForEpoch"/>).</summary>
        public static LayoutContext ForFit(float[] positions, float[] snapshot, CsrMatrix graph, int dim, UmapGradient gradient, EdgeSchedule schedule, ulong seed) =>
            new LayoutContext(positions, snapshot, graph.RowOffsets, graph.ColumnIndices, dim, graph.Rows, gradient, schedule, seed, 0, 0f);

        /// <summary>
        /// The context in which a new row moves against a fixed <paramref name="embedding"/>: its edges are its own (passed to
        /// each move), and it writes only its own coordinates.
        /// </summary>
        public static LayoutContext ForNewRow(float[] embedding, int dim, UmapGradient gradient, EdgeSchedule schedule) =>
            new LayoutContext(Array.Empty<float>(), embedding, Array.Empty<int>(), Array.Empty<int>(), dim, embedding.Length / Math.Max(1, dim), gradient, schedule, 0, 0, 0f);

        /// <summary>This context in <paramref name="epoch"/>, at learning rate <paramref name="alpha"/>.</summary>
        public LayoutContext ForEpoch(int epoch, float alpha) =>
            new LayoutContext(Positions, Snapshot, Offsets, Columns, Dim, VertexCount, Gradient, Schedule, Seed, epoch, alpha);

        /// <summary>The other ends of vertex <paramref name="vertex"/>'s edges.</summary>
        public ReadOnlySpan<int> Tails(int vertex) => Columns.AsSpan(Offsets[vertex], Offsets[vertex + 1] - Offsets[vertex]);
    }
}
