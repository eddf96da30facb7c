using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A bounded max-heap of (distance, index) candidates kept in two caller-owned spans, so a search keeps
    /// no per-point objects. The root is the worst candidate kept; ties on distance rank the larger index as
    /// worse, which makes every search deterministic whatever order candidates arrive in.
    /// </summary>
    internal static class NeighborHeap
    {
        /// <summary>Fills a heap with empty slots (distance +∞, index −1).</summary>
        /// <remarks>
        /// Plain loops rather than <c>Span.Fill</c>: no precompiled image holds the framework's fill for these types, and
        /// NN-descent clears two heaps per point per round, which a first fit ran unoptimised.
        /// </remarks>
        public static void Clear(Span<float> distances, Span<int> indices)
        {
            for (int i = 0; i < distances.Length; i++)
                distances[i] = float.PositiveInfinity;
            for (int i = 0; i < indices.Length; i++)
                indices[i] = -1;
        }

        /// <summary>True when (d1, i1) ranks after (d2, i2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Worse(float d1, int i1, float d2, int i2) => d1 > d2 || (d1 == d2 && (uint)i1 > (uint)i2);

        /// <summary>
        /// Offers a candidate; it replaces the current worst if it ranks before it. The caller guarantees the
        /// index is not already in the heap (see <see cref="CheckedPush(Span{float}, Span{int}, float, int)"/> otherwise).
        /// Returns true if the heap changed.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Push(Span<float> distances, Span<int> indices, float distance, int index)
        {
            if (!Worse(distances[0], indices[0], distance, index))
                return false;
            SiftDown(distances, indices, default, distance, index, 0);
            return true;
        }

        /// <summary>As <see cref="Push"/>, but ignores an index the heap already holds.</summary>
        public static bool CheckedPush(Span<float> distances, Span<int> indices, float distance, int index) =>
            CheckedPush(distances, indices, default, distance, index, 0);

        /// <summary>
        /// As <see cref="Push"/>, ignoring an index the heap already holds, with a per-entry flag that moves with
        /// its entry (<paramref name="flags"/> may be empty when there are none).
        /// </summary>
        public static bool CheckedPush(Span<float> distances, Span<int> indices, Span<byte> flags, float distance, int index, byte flag)
        {
            if (!Worse(distances[0], indices[0], distance, index))
                return false;
            if (indices.Contains(index))
                return false;
            SiftDown(distances, indices, flags, distance, index, flag);
            return true;
        }

        private static void SiftDown(Span<float> distances, Span<int> indices, Span<byte> flags, float distance, int index, byte flag)
        {
            bool hasFlags = !flags.IsEmpty;
            int size = distances.Length;
            int i = 0;
            while (true)
            {
                int left = 2 * i + 1;
                if (left >= size)
                    break;
                int right = left + 1;
                int child = right < size && Worse(distances[right], indices[right], distances[left], indices[left]) ? right : left;
                if (!Worse(distances[child], indices[child], distance, index))
                    break;
                distances[i] = distances[child];
                indices[i] = indices[child];
                if (hasFlags)
                    flags[i] = flags[child];
                i = child;
            }
            distances[i] = distance;
            indices[i] = index;
            if (hasFlags)
                flags[i] = flag;
        }

        /// <summary>Sorts the heap's contents in place into ascending (distance, index) order.</summary>
        public static void SortAscending(Span<float> distances, Span<int> indices)
        {
            // Heap sort: repeatedly move the worst to the end and restore the heap on the rest.
            for (int end = distances.Length - 1; end > 0; end--)
            {
                float d = distances[end];
                int idx = indices[end];
                distances[end] = distances[0];
                indices[end] = indices[0];
                SiftDown(distances.Slice(0, end), indices.Slice(0, end), default, d, idx, 0);
            }
        }
    }
}
