using System;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// One worker's scratch for the layout, handed to it explicitly and reused from block to block: its chunk's move
    /// lists and replay order, the replay's buffers, and its tally of the other ends' steps. Only that worker touches it
    /// while it works.
    /// </summary>
    internal sealed class LayoutWorker
    {
        public LayoutWorker(OtherEndAttraction.Tally tally) => Tally = tally;

        /// <summary>The steps this worker's attractions owe the other ends.</summary>
        public OtherEndAttraction.Tally Tally { get; }

        /// <summary>The chunk's move lists, one after the other (see <see cref="MoveSchedule"/>).</summary>
        public int[] Moves = new int[1 << 15];

        /// <summary>Vertex i of the chunk has <c>Moves[Starts[i] .. Starts[i + 1]]</c>.</summary>
        public int[] Starts = new int[1];

        /// <summary>The chunk's vertices in replay order, and their sort keys.</summary>
        public int[] Order = Array.Empty<int>();

        public int[] Keys = Array.Empty<int>();

        /// <summary>Replay: the lanes' moves interleaved.</summary>
        public int[] Interleaved = Array.Empty<int>();

        /// <summary>Replay: beside each interleaved move, the vertex it measures against.</summary>
        public int[] Others = Array.Empty<int>();

        /// <summary>Replay: per attraction, where its steps start in <see cref="Steps"/>, then its other end.</summary>
        public int[] Pulls = Array.Empty<int>();

        /// <summary>Replay: every step's lanes' steps per axis.</summary>
        public float[] Steps = Array.Empty<float>();

        /// <summary>Replay: the lanes' coordinates per axis, then their differences to the other ends.</summary>
        public float[] Axes = Array.Empty<float>();

        /// <summary>Room for a chunk of <paramref name="vertices"/> vertices.</summary>
        public void Reserve(int vertices)
        {
            if (Order.Length < vertices)
            {
                Starts = new int[vertices + 1];
                Order = new int[vertices];
                Keys = new int[vertices];
            }
        }

        /// <summary>Room for an interleaved list of <paramref name="length"/> moves.</summary>
        public void ReserveInterleaved(int length)
        {
            if (Interleaved.Length < length)
            {
                Interleaved = new int[Math.Max(length, 4096)];
                Others = new int[Math.Max(length, 4096)];
                Pulls = new int[2 * Math.Max(length, 4096)];
            }
        }

        /// <summary>Room for <paramref name="longest"/> steps of <paramref name="lanes"/> lanes in <paramref name="dim"/> axes.</summary>
        public void ReserveReplay(int lanes, int dim, int longest)
        {
            if (Steps.Length < longest * lanes * dim)
                Steps = new float[Math.Max(longest * lanes, 4096) * dim];
            // Heap, not stack: the embedding's dimension is the user's to choose.
            if (Axes.Length < 2 * dim * lanes)
                Axes = new float[2 * dim * lanes];
        }
    }
}
