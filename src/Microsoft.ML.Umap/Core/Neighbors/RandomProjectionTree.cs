using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// A random-projection tree (pynndescent <c>make_euclidean_tree</c>): each node splits its points by the
    /// hyperplane equidistant from two of them picked at random, until at most <c>leafSize</c> remain. Points
    /// in the same leaf are likely neighbours, which makes the leaves a good start for NN-descent and for
    /// queries. Stored flat: a permutation of the point indices in which every leaf is a contiguous run, and,
    /// when kept for queries, one hyperplane per internal node.
    /// </summary>
    internal sealed class RandomProjectionTree
    {
        // Margins this close to zero are ties: the point goes to a random side (as pynndescent does).
        private const float TieMargin = 1e-8f;

        private readonly bool _routable;
        private readonly float[] _hyperplanes;
        private readonly float[] _offsets;
        private readonly int[] _children;
        private readonly int _dimension;

        private RandomProjectionTree(int[] points, int[] leafStarts, int leafCount, bool routable, float[] hyperplanes, float[] offsets, int[] children, int dimension)
        {
            Points = points;
            LeafStarts = leafStarts;
            LeafCount = leafCount;
            _routable = routable;
            _hyperplanes = hyperplanes;
            _offsets = offsets;
            _children = children;
            _dimension = dimension;
        }

        /// <summary>Point indices, permuted so that each leaf is contiguous.</summary>
        public int[] Points { get; }

        /// <summary>Leaf l holds <c>Points[LeafStarts[l] .. LeafStarts[l + 1]]</c>.</summary>
        public int[] LeafStarts { get; }

        public int LeafCount { get; }

        public ReadOnlySpan<int> Leaf(int leaf) => Points.AsSpan(LeafStarts[leaf], LeafStarts[leaf + 1] - LeafStarts[leaf]);

        /// <summary>
        /// Builds a tree over every row of <paramref name="data"/>; the seed fixes every random choice. With
        /// <paramref name="keepHyperplanes"/> the splits are kept so <see cref="FindLeaf"/> can route new points.
        /// </summary>
        /// <remarks>
        /// An angular tree (for cosine and correlation, as pynndescent's <c>angular_random_projection_split</c>)
        /// splits by the hyperplane through the origin between the two points' directions.
        /// </remarks>
        public static RandomProjectionTree Build(RowMatrix data, int leafSize, ulong seed, bool keepHyperplanes = false, bool angular = false)
        {
            int n = data.Rows;
            int dim = data.Columns;
            var points = new int[n];
            for (int i = 0; i < n; i++)
                points[i] = i;
            // Splits can be uneven (one point against the rest, with heavy-tailed row norms), so leaves may hold
            // anything from 1 to leafSize points: the arrays grow as leaves and nodes appear.
            var leafStarts = new int[Math.Max(2, n / Math.Max(1, leafSize / 2) + 2)];
            int leafCount = 0;
            var rng = FastRandom.ForStream(seed, 0x52505452 /* "RPTR" */);
            var normal = new float[dim];
            var sides = new bool[n];

            // Internal nodes, recorded only for queries; a child is a node index, or ~leaf for a leaf.
            int nodeCapacity = keepHyperplanes ? leafStarts.Length : 0;
            var hyperplanes = keepHyperplanes ? new float[(long)nodeCapacity * dim] : Array.Empty<float>();
            var offsets = keepHyperplanes ? new float[nodeCapacity] : Array.Empty<float>();
            var children = keepHyperplanes ? new int[nodeCapacity * 2] : Array.Empty<int>();
            int nodeCount = 0;

            // Iterative depth-first split with an explicit stack; leaves come out left to right.
            var stack = new (int Start, int End, int Parent, int Side, int Depth)[64];
            int top = 0;
            stack[top++] = (0, n, -1, 0, 0);
            while (top > 0)
            {
                var (start, end, parent, side, depth) = stack[--top];
                if (end - start <= leafSize)
                {
                    if (parent >= 0)
                        children[parent * 2 + side] = ~leafCount;
                    if (leafCount + 1 >= leafStarts.Length)
                        Array.Resize(ref leafStarts, leafStarts.Length * 2);
                    leafStarts[leafCount++] = start;
                    continue;
                }

                // Past MaximumDepth the hyperplanes keep peeling off a few points at a time (heavy tails, near
                // duplicates): halve at random instead, which bounds the depth and the work.
                var (mid, offset) = depth < MaximumDepth
                    ? Split(data, points.AsSpan(start, end - start), normal, sides, angular, ref rng)
                    : RandomHalves(points.AsSpan(start, end - start), normal, sides, ref rng);
                int node = -1;
                if (keepHyperplanes)
                {
                    if (nodeCount == nodeCapacity)
                    {
                        nodeCapacity *= 2;
                        Array.Resize(ref hyperplanes, checked(nodeCapacity * dim));
                        Array.Resize(ref offsets, nodeCapacity);
                        Array.Resize(ref children, nodeCapacity * 2);
                    }
                    node = nodeCount++;
                    normal.CopyTo(hyperplanes, (long)node * dim);
                    offsets[node] = offset;
                    if (parent >= 0)
                        children[parent * 2 + side] = node;
                }
                if (top + 2 > stack.Length)
                    Array.Resize(ref stack, stack.Length * 2);
                // Right half pushed first so the left half is processed (and emitted) first.
                stack[top++] = (start + mid, end, node, 1, depth + 1);
                stack[top++] = (start, start + mid, node, 0, depth + 1);
            }

            Array.Resize(ref leafStarts, leafCount + 1);
            leafStarts[leafCount] = n;
            return new RandomProjectionTree(points, leafStarts, leafCount, keepHyperplanes, hyperplanes, offsets, children, dim);
        }

        /// <summary>
        /// Depth after which nodes are halved at random rather than by a hyperplane (pynndescent stops splitting at
        /// depth 100 and leaves an oversized leaf instead, which costs quadratic time in NN-descent).
        /// </summary>
        private const int MaximumDepth = 100;

        /// <summary>
        /// Sends a random half of <paramref name="points"/> left. The node keeps a zero hyperplane, so a query
        /// routed through it always goes left.
        /// </summary>
        private static (int LeftCount, float Offset) RandomHalves(Span<int> points, float[] normal, bool[] sides, ref FastRandom rng)
        {
            Array.Clear(normal);
            // A partial Fisher–Yates shuffle picks the left half; the partition below keeps both halves in order.
            int count = points.Length, half = count / 2;
            var chosen = ArrayPool<int>.Shared.Rent(count);
            for (int i = 0; i < count; i++)
                chosen[i] = i;
            for (int i = 0; i < half; i++)
            {
                int j = i + rng.NextInt(count - i);
                (chosen[i], chosen[j]) = (chosen[j], chosen[i]);
            }
            Array.Clear(sides, 0, count);
            for (int i = 0; i < half; i++)
                sides[chosen[i]] = true;
            ArrayPool<int>.Shared.Return(chosen);
            Partition(points, sides, half);
            return (half, 0f);
        }

        /// <summary>The leaf a point falls in, following the kept hyperplanes (ties go left).</summary>
        public int FindLeaf(ReadOnlySpan<float> point)
        {
            Span<int> leaf = stackalloc int[1];
            FindLeaves(new[] { this }, point, leaf);
            return leaf[0];
        }

        /// <summary>
        /// The leaf <paramref name="point"/> falls in for each tree, written to <paramref name="leaves"/>. The trees are
        /// descended a level at a time together, each node's children asked for before its margin is measured: a
        /// query's route is a chain of cache misses (the hyperplanes below the top levels are cold), and chains of
        /// several trees wait side by side instead of one after another.
        /// </summary>
        public static void FindLeaves(ReadOnlySpan<RandomProjectionTree> trees, ReadOnlySpan<float> point, Span<int> leaves)
        {
            Span<int> nodes = stackalloc int[trees.Length];
            int descending = 0;
            for (int t = 0; t < trees.Length; t++)
            {
                var tree = trees[t];
                if (!tree._routable)
                    throw new InvalidOperationException("This tree was built without its hyperplanes.");
                if (tree.LeafCount == 1)
                {
                    leaves[t] = 0;
                    nodes[t] = -1;
                    continue;
                }
                nodes[t] = 0;
                descending++;
            }
            while (descending > 0)
            {
                for (int t = 0; t < trees.Length; t++)
                {
                    if (nodes[t] < 0)
                        continue;
                    var tree = trees[t];
                    int node = nodes[t];
                    tree.PrefetchChildren(node);
                    float margin = Dot(tree._hyperplanes.AsSpan(node * tree._dimension, tree._dimension), point) + tree._offsets[node];
                    int child = tree._children[node * 2 + (margin >= 0 ? 0 : 1)];
                    if (child < 0)
                    {
                        leaves[t] = ~child;
                        descending--;
                    }
                    nodes[t] = child < 0 ? -1 : child;
                }
            }
        }

        /// <summary>Asks for the hyperplanes of the internal nodes below <paramref name="node"/>.</summary>
        private unsafe void PrefetchChildren(int node)
        {
            if (!Prefetch.IsSupported)
                return;
            int rowBytes = _dimension * sizeof(float);
            fixed (float* planes = _hyperplanes)
            {
                for (int side = 0; side < 2; side++)
                {
                    int child = _children[node * 2 + side];
                    if (child < 0)
                        continue;
                    byte* start = (byte*)(planes + (long)child * _dimension);
                    for (byte* line = (byte*)((nint)start & ~(nint)63); line < start + rowBytes; line += 64)
                        Prefetch.ToNearestCache(line);
                }
            }
        }

        /// <summary>Partitions <paramref name="points"/> in place; returns the size of the left part (never 0 or all) and the hyperplane offset.</summary>
        private static (int LeftCount, float Offset) Split(RowMatrix data, Span<int> points, float[] normal, bool[] sides, bool angular, ref FastRandom rng)
        {
            int count = points.Length;
            int a = rng.NextInt(count);
            int b = rng.NextInt(count - 1);
            if (b >= a)
                b++;
            var left = data.ReadOnlyRow(points[a]);
            var right = data.ReadOnlyRow(points[b]);

            double offset = 0;
            if (angular)
            {
                // Normal = difference of the unit directions, through the origin.
                float leftNorm = Norm(left), rightNorm = Norm(right);
                leftNorm = leftNorm > 0 ? leftNorm : 1f;
                rightNorm = rightNorm > 0 ? rightNorm : 1f;
                for (int d = 0; d < normal.Length; d++)
                    normal[d] = left[d] / leftNorm - right[d] / rightNorm;
            }
            else
            {
                // Normal = left − right through the midpoint: margin = normal · x − normal · (left + right) / 2.
                for (int d = 0; d < normal.Length; d++)
                {
                    normal[d] = left[d] - right[d];
                    offset -= normal[d] * (left[d] + right[d]) * 0.5;
                }
            }

            int leftCount = 0;
            for (int i = 0; i < count; i++)
            {
                if (i + PrefetchRows < count)
                    data.PrefetchRow(points[i + PrefetchRows]);
                float margin = (float)(Dot(normal, data.ReadOnlyRow(points[i])) + offset);
                bool isLeft = Math.Abs(margin) < TieMargin ? (rng.NextUInt32() & 1) == 0 : margin > 0;
                sides[i] = isLeft;
                // Counted without a branch: the side is a coin toss the processor cannot predict.
                leftCount += isLeft ? 1 : 0;
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

            Partition(points, sides, leftCount);
            return (leftCount, (float)offset);
        }

        /// <summary>
        /// How far ahead <see cref="Split"/> asks for rows. Below the top levels a node's points are scattered over the
        /// matrix, so each margin would otherwise wait on its row's cache misses one after another.
        /// </summary>
        private const int PrefetchRows = 8;

        /// <summary>Stable partition: the points marked in <paramref name="sides"/> first, each side in its original order.</summary>
        /// <remarks>
        /// Branch-free: every point is written to both places, the left part (compacted in place, never ahead of the
        /// reading) and the right part's buffer, and only its own side's position advances, so a write to the other
        /// side lands on a slot that is written again later or lies past that side's end.
        /// </remarks>
        private static void Partition(Span<int> points, bool[] sides, int leftCount)
        {
            int count = points.Length;
            var right = ArrayPool<int>.Shared.Rent(count - leftCount + 1);
            int l = 0, r = 0;
            for (int i = 0; i < count; i++)
            {
                int point = points[i];
                int isLeft = sides[i] ? 1 : 0;
                points[l] = point;
                right[r] = point;
                l += isLeft;
                r += 1 - isLeft;
            }
            right.AsSpan(0, count - leftCount).CopyTo(points.Slice(leftCount));
            ArrayPool<int>.Shared.Return(right);
        }

        /// <remarks>
        /// A call of its own: inlined into <see cref="Split"/>, the kernel's vector helpers no longer fitted the JIT's
        /// inlining budget there and ran as calls, which made the trees several times slower to build in the package's
        /// ReadyToRun image (docs/measurements.md).
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DistanceKernels.Dot(x, y);

        private static float Norm(ReadOnlySpan<float> x) => MathF.Sqrt(Dot(x, x));
    }
}
