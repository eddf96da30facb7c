using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// NN-descent's working lists (pynndescent's heap): for every point, its best <see cref="Capacity"/> candidates so
    /// far as a bounded heap (<see cref="NeighborHeap"/>) of (reduced distance, index), each with a flag saying whether
    /// it arrived since the point's candidates were last sampled.
    /// </summary>
    internal sealed class NeighborLists
    {
        /// <summary>The flag of an entry not yet joined with its list's other entries.</summary>
        public const byte New = 1;

        public NeighborLists(int points, int capacity)
        {
            Points = points;
            Capacity = capacity;
            Indices = new int[checked(points * capacity)];
            Distances = new float[Indices.Length];
            Flags = new byte[Indices.Length];
            NeighborHeap.Clear(Distances, Indices);
        }

        public int Points { get; }

        /// <summary>Entries per point: the neighbours other than the point itself.</summary>
        public int Capacity { get; }

        /// <summary>Point i's entries at [i·Capacity, (i + 1)·Capacity), a heap with its worst entry first; −1 marks an empty slot.</summary>
        public int[] Indices { get; }

        public float[] Distances { get; }

        public byte[] Flags { get; }

        /// <summary>The worst distance <paramref name="point"/> keeps: a candidate must be at most this close to enter.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Threshold(int point) => Distances[point * Capacity];

        /// <summary>Offers <paramref name="candidate"/> to <paramref name="point"/>'s list; true when the list changed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Offer(int point, int candidate, float distance, byte flag = New)
        {
            int offset = point * Capacity;
            return distance <= Distances[offset]
                && NeighborHeap.CheckedPush(Distances.AsSpan(offset, Capacity), Indices.AsSpan(offset, Capacity), Flags.AsSpan(offset, Capacity), distance, candidate, flag);
        }

        /// <summary>The lists sorted, each after its point itself, as a k-nearest-neighbour graph of true distances.</summary>
        public KnnGraph ToGraph<TDistance>(in TDistance metric, int threads)
            where TDistance : struct, IDistance
        {
            int n = Points, others = Capacity, k = others + 1;
            var indices = new int[checked(n * k)];
            var distances = new float[indices.Length];
            var distance = metric;
            ParallelRange.For(n, 4096, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var heapD = Distances.AsSpan(i * others, others);
                    var heapI = Indices.AsSpan(i * others, others);
                    NeighborHeap.SortAscending(heapD, heapI);
                    indices[i * k] = i;
                    distances[i * k] = 0f;
                    for (int j = 0; j < others; j++)
                    {
                        indices[i * k + 1 + j] = heapI[j];
                        distances[i * k + 1 + j] = heapI[j] >= 0 ? distance.ToDistance(heapD[j]) : float.PositiveInfinity;
                    }
                }
            });
            return new KnnGraph(indices, distances, n, k);
        }
    }
}
