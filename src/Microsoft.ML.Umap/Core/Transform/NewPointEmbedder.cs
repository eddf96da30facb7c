using System;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Transform
{
    /// <summary>
    /// Embeds rows the model was not trained on, as umap-learn's <c>transform</c> does: the row's k nearest
    /// training rows, their memberships by smooth kNN with the local connectivity reduced by one, a start at the
    /// membership-weighted mean of their embeddings, then a short optimisation of the row alone against the fixed
    /// training embedding (attraction to its neighbours, repulsion from negative samples) at a quarter of the
    /// learning rate.
    /// </summary>
    /// <remarks>
    /// Unlike umap-learn, a row's result depends only on the row, the model and the seed: the epoch count and the
    /// weight normalisation are per row rather than per batch, and the random stream is keyed by the row's values,
    /// so batching, row order and thread count never change it.
    /// </remarks>
    internal sealed class NewPointEmbedder
    {
        // Keeps transform streams apart from the fit's (which are keyed by epoch and vertex index).
        private const ulong StreamSalt = 0x5452414E53464F52; // "TRANSFOR"

        /// <summary>New rows move at this fraction of the fit's learning rate (umap-learn: initial_alpha / 4).</summary>
        private const double LearningRateFraction = 0.25;

        /// <summary>
        /// Training embeddings of at least this many rows take a new row's moves of an epoch in two groups, each
        /// measured from one position and summed: the attractions (<see cref="NewRowMoves.AttractTogether"/>),
        /// then the negative samples from where they left the row (<see cref="NewRowMoves.RepelTogether"/>);
        /// smaller ones one move after the other as umap-learn does. Among a few hundred training rows several samples
        /// of one epoch often land near the row and together push it too far; in an embedding of thousands they rarely
        /// do, the placed rows' quality holds and the independent moves overlap in the CPU (docs/measurements.md).
        /// </summary>
        public const int MovesTogetherFromRows = 4096;

        private readonly INearestNeighborSearch _search;
        private readonly RowMatrix _embedding;
        private readonly UmapGradient _gradient;
        private readonly int _neighbors;
        private readonly double _localConnectivity;
        private readonly double _meanNeighborDistance;
        private readonly int _epochs;
        private readonly double _learningRate;
        private readonly double _negativeSampleRate;
        private readonly bool _movesTogether;
        private readonly ulong _seed;

        public NewPointEmbedder(INearestNeighborSearch search, RowMatrix embedding, UmapParameters parameters, FitSummary fit, double meanNeighborDistance)
        {
            _search = search;
            _embedding = embedding;
            _gradient = new UmapGradient(fit.A, fit.B, parameters.RepulsionStrength);
            _neighbors = Math.Min(fit.NeighborsUsed, search.PointCount);
            _localConnectivity = Math.Max(0.0, parameters.LocalConnectivity - 1.0);
            _meanNeighborDistance = meanNeighborDistance;
            _epochs = parameters.TransformEpochsFor(fit.Epochs);
            _learningRate = parameters.LearningRate * LearningRateFraction;
            _negativeSampleRate = parameters.NegativeSampleRate;
            _movesTogether = embedding.Rows >= MovesTogetherFromRows;
            _seed = FastRandom.Mix(parameters.Seed ^ StreamSalt);
        }

        /// <summary>Epochs of optimisation per row.</summary>
        public int Epochs => _epochs;

        /// <summary>
        /// Scratch for placing rows one after the other (one per cursor or prediction engine, never shared): a row
        /// allocates nothing once its arrays have grown to the model's neighbour count.
        /// </summary>
        internal sealed class Scratch
        {
            /// <summary>An epoch's moves (see <see cref="MoveSchedule"/>), grown when needed.</summary>
            public int[] Moves = new int[1 << 10];

            /// <summary>The row's neighbours (indices, distances), their memberships, and the edges kept for the optimisation.</summary>
            public int[] Indices = Array.Empty<int>();

            public float[] Distances = Array.Empty<float>();

            public float[] Weights = Array.Empty<float>();

            public int[] Tails = Array.Empty<int>();

            public float[] Rates = Array.Empty<float>();

            /// <summary>Grows the per-neighbour arrays to <paramref name="neighbors"/> entries.</summary>
            public void Reserve(int neighbors)
            {
                if (Indices.Length >= neighbors)
                    return;
                Indices = new int[neighbors];
                Distances = new float[neighbors];
                Weights = new float[neighbors];
                Tails = new int[neighbors];
                Rates = new float[neighbors];
            }
        }

        /// <summary>
        /// Writes the embedding of <paramref name="row"/> (finite values) into <paramref name="destination"/>;
        /// <paramref name="rowKey"/> (a hash of the row's values) keys its random stream.
        /// </summary>
        public void Embed(VectorView row, ulong rowKey, Span<float> destination, Scratch scratch)
        {
            scratch.Reserve(_neighbors);
            var indices = scratch.Indices.AsSpan(0, _neighbors);
            var distances = scratch.Distances.AsSpan(0, _neighbors);
            _search.Query(row, indices, distances);
            Embed(indices, distances, rowKey, destination, scratch);
        }

        /// <summary>Neighbours per new row: the fit's, or every training row when there are fewer.</summary>
        public int NeighborCount => _neighbors;

        /// <summary>
        /// Writes the embedding of a row whose <see cref="NeighborCount"/> nearest training rows are given (ascending
        /// by distance, true distances; −1 marks a missing one) into <paramref name="destination"/>.
        /// </summary>
        public void Embed(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances, ulong rowKey, Span<float> destination, Scratch scratch) =>
            Embed(indices, distances, rowKey, destination, scratch, _epochs);

        /// <summary>
        /// As <see cref="Embed(ReadOnlySpan{int}, ReadOnlySpan{float}, ulong, Span{float}, Scratch)"/> with
        /// <paramref name="epochs"/> epochs of optimisation; 0 stops at the starting position (the membership-weighted
        /// mean of the neighbours' positions).
        /// </summary>
        public void Embed(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances, ulong rowKey, Span<float> destination, Scratch scratch, int epochs)
        {
            int k = _neighbors;
            int dim = _embedding.Columns;
            int valid = 0;
            while (valid < k && indices[valid] >= 0)
                valid++;
            if (valid == 0)
                throw new InvalidOperationException("The model has no training rows to place the new row against.");

            // umap-learn runs smooth kNN on the k distances with the first one skipped, as in a fit (where it is
            // the point itself), and targets log2(k).
            double rowMean = 0;
            for (int j = 0; j < valid; j++)
                rowMean += distances[j];
            rowMean /= valid;
            var (sigma, rho) = SmoothKnnDistances.SmoothRow(distances.Slice(1, valid - 1), rowMean, _meanNeighborDistance, PortableMath.Log2(k), _localConnectivity);

            scratch.Reserve(k);
            var weights = scratch.Weights.AsSpan(0, valid);
            float maxWeight = 0f;
            for (int j = 0; j < valid; j++)
            {
                weights[j] = MembershipStrengths.Membership(distances[j], (float)sigma, (float)rho);
                maxWeight = Math.Max(maxWeight, weights[j]);
            }

            InitialPosition(indices[..valid], weights, destination);
            if (epochs == 0 || maxWeight <= 0f)
                return;

            // Edges too weak to fire once in the run are dropped; the rest fire in proportion to their weight.
            int kept = 0;
            var tails = scratch.Tails;
            var rates = scratch.Rates;
            for (int j = 0; j < valid; j++)
            {
                if (weights[j] >= maxWeight / epochs)
                {
                    tails[kept] = indices[j];
                    rates[kept] = weights[j] / maxWeight;
                    kept++;
                }
            }

            var context = LayoutContext.ForNewRow(_embedding.Values, dim, _gradient, new EdgeSchedule(rates, _negativeSampleRate));
            float alpha = (float)_learningRate;
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                var rng = FastRandom.ForStream(_seed, (ulong)epoch, rowKey);
                NewRowMoves.Step(context.ForEpoch(epoch, alpha), destination, tails.AsSpan(0, kept), ref rng, ref scratch.Moves, _movesTogether);
                alpha = (float)(_learningRate * (1.0 - (double)epoch / epochs));
            }
        }

        /// <summary>
        /// The membership-weighted mean of the neighbours' embeddings; a neighbour of membership 1 (an identical
        /// row) gives its position outright (umap-learn <c>init_graph_transform</c>).
        /// </summary>
        private void InitialPosition(ReadOnlySpan<int> neighbors, ReadOnlySpan<float> weights, Span<float> destination)
        {
            destination.Clear();
            double total = 0;
            foreach (float w in weights)
                total += w;
            for (int j = 0; j < neighbors.Length; j++)
            {
                var position = _embedding.ReadOnlyRow(neighbors[j]);
                if (weights[j] == 1f)
                {
                    position.CopyTo(destination);
                    return;
                }
                for (int d = 0; d < destination.Length; d++)
                    destination[d] += (float)(weights[j] / total * position[d]);
            }
        }
    }
}
