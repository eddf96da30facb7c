using System;
#if NET9_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// One worker's scratch for the layout, handed to it explicitly and reused from block to block: its chunk's move
    /// lists and replay order, the vectorised replay's buffers, and its tally of the other ends' steps. Only that
    /// worker touches it while it works.
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

        /// <summary>Vectorised replay: the lanes' moves interleaved, the positions of attractions among them, and every step's lanes' steps per axis.</summary>
        public int[] Interleaved = Array.Empty<int>();

        public int[] Pulls = Array.Empty<int>();

        public float[] Steps = Array.Empty<float>();

#if NET9_0_OR_GREATER
        /// <summary>Vectorised replay: the lanes' coordinates per axis, then their differences to the other ends.</summary>
        public Vector256<float>[] Axes = Array.Empty<Vector256<float>>();
#endif

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
    }
}
