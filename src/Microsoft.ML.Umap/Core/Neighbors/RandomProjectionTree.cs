using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A random-projection tree (pynndescent <c>make_euclidean_tree</c>): each node splits its points by the
    /// hyperplane equidistant from two of them picked at random, until at most <c>leafSize</c> remain. Points
    /// in the same leaf are likely neighbours, which makes the leaves a good start for NN-descent.
    /// Stored flat: a permutation of the point indices in which every leaf is a contiguous run.
    /// </summary>
    internal sealed class RandomProjectionTree
    {
        // Margins this close to zero are ties: the point goes to a random side (as pynndescent does).
        private const float TieMargin = 1e-8f;

        private RandomProjectionTree(int[] points, int[] leafStarts, int leafCount)
        {
            Points = points;
            LeafStarts = leafStarts;
            LeafCount = leafCount;
        }

        /// <summary>Point indices, permuted so that each leaf is contiguous.</summary>
        public int[] Points { get; }

        /// <summary>Leaf l holds <c>Points[LeafStarts[l] .. LeafStarts[l + 1]]</c>.</summary>
        public int[] LeafStarts { get; }

        public int LeafCount { get; }

        public ReadOnlySpan<int> Leaf(int leaf) => Points.AsSpan(LeafStarts[leaf], LeafStarts[leaf + 1] - LeafStarts[leaf]);

        /// <summary>Builds a tree over every row of <paramref name="data"/>; the seed fixes every random choice.</summary>
        public static RandomProjectionTree Build(RowMatrix data, int leafSize, ulong seed)
        {
            int n = data.Rows;
            var points = new int[n];
            for (int i = 0; i < n; i++)
                points[i] = i;
            var leafStarts = new int[n / Math.Max(1, leafSize / 2) + 2];
            int leafCount = 0;
            var rng = FastRandom.ForStream(seed, 0x52505452 /* "RPTR" */);
            var normal = new float[data.Columns];
            var sides = new bool[n];

            // Iterative depth-first split with an explicit stack of [start, end) ranges; leaves come out in order.
            var stack = new (int Start, int End)[64];
            int top = 0;
            stack[top++] = (0, n);
            while (top > 0)
            {
                var (start, end) = stack[--top];
                if (end - start <= leafSize)
                {
                    leafStarts[leafCount++] = start;
                    continue;
                }

                int mid = Split(data, points.AsSpan(start, end - start), normal, sides, ref rng);
                if (top + 2 > stack.Length)
                    Array.Resize(ref stack, stack.Length * 2);
                // Right half pushed first so the left half is processed (and emitted) first.
                stack[top++] = (start + mid, end);
                stack[top++] = (start, start + mid);
            }

            Array.Resize(ref leafStarts, leafCount + 1);
            leafStarts[leafCount] = n;
            return new RandomProjectionTree(points, leafStarts, leafCount);
        }

        /// <summary>Partitions <paramref name="points"/> in place; returns the size of the left part (never 0 or all).</summary>
        private static int Split(RowMatrix data, Span<int> points, float[] normal, bool[] sides, ref FastRandom rng)
        {
            int count = points.Length;
            int a = rng.NextInt(count);
            int b = rng.NextInt(count - 1);
            if (b >= a)
                b++;
            var left = data.ReadOnlyRow(points[a]);
            var right = data.ReadOnlyRow(points[b]);

            // Hyperplane normal = left − right through the midpoint: margin = normal · x − normal · (left + right) / 2.
            double offset = 0;
            for (int d = 0; d < normal.Length; d++)
            {
                normal[d] = left[d] - right[d];
                offset -= normal[d] * (left[d] + right[d]) * 0.5;
            }

            int leftCount = 0;
            for (int i = 0; i < count; i++)
            {
                float margin = (float)(Dot(normal, data.ReadOnlyRow(points[i])) + offset);
                bool isLeft = Math.Abs(margin) < TieMargin ? (rng.NextUInt32() & 1) == 0 : margin > 0;
                sides[i] = isLeft;
                if (isLeft)
                    leftCount++;
            }

            if (leftCount == 0 || leftCount == count)
            {
                // Every point on one side (duplicates, say): split at random instead.
                leftCount = 0;
                for (int i = 0; i < count; i++)
                {
                    sides[i] = (rng.NextUInt32() & 1) == 0;
                    if (sides[i])
                        leftCount++;
                }
                if (leftCount == 0 || leftCount == count)
                {
                    for (int i = 0; i < count; i++)
                        sides[i] = i < count / 2;
                    leftCount = count / 2;
                }
            }

            // Stable partition: left points first, in their original order.
            var buffer = System.Buffers.ArrayPool<int>.Shared.Rent(count);
            int l = 0, r = leftCount;
            for (int i = 0; i < count; i++)
                buffer[sides[i] ? l++ : r++] = points[i];
            buffer.AsSpan(0, count).CopyTo(points);
            System.Buffers.ArrayPool<int>.Shared.Return(buffer);
            return leftCount;
        }

        private static float Dot(float[] x, ReadOnlySpan<float> y) =>
            System.Numerics.Tensors.TensorPrimitives.Dot(x, y);
    }
}
