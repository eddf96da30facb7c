using System;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Transform;

namespace Microsoft.ML.Umap.Core.Model
{
    /// <summary>
    /// A fitted UMAP model: the settings it was fitted with, what the fit settled (a, b, epochs, neighbours,
    /// initialisation), the training rows, their neighbour graph and their embedding. Maps any row to its
    /// embedding. Immutable and thread-safe.
    /// </summary>
    internal sealed class UmapModel
    {
        private readonly TrainingRowIndex _trainingIndex;
        private readonly NewPointEmbedder _embedder;
        private readonly Lazy<InverseEmbedder> _inverse;
        private readonly INearestNeighborSearch _search;

        public UmapModel(UmapParameters parameters, FitSummary summary, VectorSet trainingData, RowMatrix embedding, KnnGraph neighbors)
        {
            if (trainingData.Count != embedding.Rows || neighbors.PointCount != trainingData.Count)
                throw new ArgumentException("The training data, its neighbour graph and the embedding must have the same number of rows.");
            if (embedding.Columns != parameters.NumberOfComponents)
                throw new ArgumentException("The embedding must have NumberOfComponents columns.");
            Parameters = parameters;
            Summary = summary;
            TrainingData = trainingData;
            Embedding = embedding;
            Neighbors = neighbors;
            _trainingIndex = new TrainingRowIndex(trainingData);
            _search = NeighborSearchFactory.Create(trainingData, parameters, neighbors);
            _embedder = new NewPointEmbedder(_search, embedding, parameters, summary, MeanFiniteDistance(neighbors));
            _inverse = new Lazy<InverseEmbedder>(() => new InverseEmbedder(((DenseVectorSet)TrainingData).Matrix, Embedding, Neighbors, Parameters, Summary));
        }

        /// <summary>
        /// Maps embedding points back to the input space (see <see cref="InverseEmbedder"/>), each independently, on
        /// the model's threads. Needs the Euclidean metric and dense training rows.
        /// </summary>
        /// <exception cref="NotSupportedException">The model's metric or storage has no inverse here.</exception>
        public float[][] Invert(float[][] points, int epochs, FitMonitor monitor)
        {
            ThrowIfNotInvertible();
            var inverse = _inverse.Value;
            var result = new float[points.Length][];
            ParallelRange.For(points.Length, 16, Parameters.NumberOfThreads, inverse.CreateScratch, (start, end, scratch) =>
            {
                for (int i = start; i < end; i++)
                {
                    result[i] = new float[FeatureCount];
                    inverse.Invert(points[i], result[i], epochs, scratch);
                }
                monitor.ThrowIfCancellationRequested();
            }, static _ => { }, monitor.Cancellation);
            return result;
        }

        /// <summary>One embedding point back to the input space, on the calling thread (for row-by-row mapping).</summary>
        public void Invert(ReadOnlySpan<float> point, Span<float> destination, int epochs, InverseEmbedder.Scratch scratch)
        {
            ThrowIfNotInvertible();
            _inverse.Value.Invert(point, destination, epochs, scratch);
        }

        /// <summary>Scratch for <see cref="Invert(ReadOnlySpan{float}, Span{float}, int, InverseEmbedder.Scratch)"/>, one per thread.</summary>
        public InverseEmbedder.Scratch CreateInverseScratch()
        {
            ThrowIfNotInvertible();
            return _inverse.Value.CreateScratch();
        }

        /// <summary>Throws <see cref="NotSupportedException"/>, saying why, when this model has no inverse here.</summary>
        public void ThrowIfNotInvertible()
        {
            if (Parameters.Metric == UmapMetric.Precomputed)
                throw new NotSupportedException("A model fitted on precomputed distances has no input space to map back to: its rows are distances, not points (umap-learn cannot invert it either).");
            if (Parameters.Metric != UmapMetric.Euclidean)
                throw new NotSupportedException($"InverseTransform follows the gradient of the input metric, which this library provides for Euclidean only; this model uses {Parameters.Metric}.");
            if (TrainingData.IsSparse)
                throw new NotSupportedException("InverseTransform needs dense training rows; this model stores sparse ones (umap-learn does not invert sparse data either).");
            if (Parameters.Density != null)
                throw new NotSupportedException("InverseTransform is not available for densMAP models (umap-learn's is not either).");
        }

        public UmapParameters Parameters { get; }

        /// <summary>The rows this model's metric can measure.</summary>
        public Distances.MetricDomain Domain => Parameters.Domain;

        /// <summary>What the fit settled: a, b, epochs, neighbours, initialisation.</summary>
        public FitSummary Summary { get; }

        public double A => Summary.A;

        public double B => Summary.B;

        public int Epochs => Summary.Epochs;

        /// <summary>Optimisation epochs spent on each new row.</summary>
        public int TransformEpochs => _embedder.Epochs;

        public int NeighborsUsed => Summary.NeighborsUsed;

        public UmapInitialization InitializationUsed => Summary.InitializationUsed;

        /// <summary>The training rows, n × d, dense or sparse.</summary>
        public VectorSet TrainingData { get; }

        /// <summary>The training embedding, n × NumberOfComponents.</summary>
        public RowMatrix Embedding { get; }

        /// <summary>The training rows' k-nearest-neighbour graph, which approximate queries walk.</summary>
        public KnnGraph Neighbors { get; }

        /// <summary>Length of the input vectors.</summary>
        public int FeatureCount => TrainingData.Dimension;

        /// <summary>Length of the embedding vectors.</summary>
        public int ComponentCount => Embedding.Columns;

        /// <summary>
        /// Writes the embedding of <paramref name="row"/> (finite values, <see cref="FeatureCount"/> of them) into
        /// <paramref name="destination"/>. A training row gets exactly its training embedding; any other row is
        /// placed against the training embedding, with a result that depends only on the row and the model.
        /// </summary>
        /// <exception cref="NotSupportedException">The row is new and the model is a densMAP model.</exception>
        public void Embed(VectorView row, Span<float> destination, NewPointEmbedder.Scratch scratch) =>
            Embed(row, destination, scratch, default, default);

        /// <summary>A row's nearest training rows, as many as <paramref name="indices"/> holds, nearest first (the search new rows use).</summary>
        public void QueryTrainingNeighbors(VectorView row, Span<int> indices, Span<float> distances) => _search.Query(row, indices, distances);

        /// <summary>Neighbours each new row is placed from (<see cref="NeighborsUsed"/>, or fewer on a tiny model).</summary>
        public int NewRowNeighborCount => _embedder.NeighborCount;

        /// <summary>
        /// As <see cref="Embed(VectorView, Span{float}, NewPointEmbedder.Scratch)"/>, with the new row's nearest
        /// training rows given (<see cref="NewRowNeighborCount"/> of them, nearest first, validated) instead of searched;
        /// empty spans search.
        /// </summary>
        public void Embed(VectorView row, Span<float> destination, NewPointEmbedder.Scratch scratch, ReadOnlySpan<int> neighborIndices, ReadOnlySpan<float> neighborDistances) =>
            Embed(row, destination, scratch, neighborIndices, neighborDistances, _embedder.Epochs);

        /// <summary>As above with <paramref name="epochs"/> epochs of optimisation for a new row (0: its starting position only).</summary>
        public void Embed(VectorView row, Span<float> destination, NewPointEmbedder.Scratch scratch, ReadOnlySpan<int> neighborIndices, ReadOnlySpan<float> neighborDistances, int epochs)
        {
            ulong hash = RowHash.Compute(row);
            int match = _trainingIndex.Find(row, hash);
            if (match >= 0)
            {
                Embedding.ReadOnlyRow(match).CopyTo(destination);
                return;
            }
            if (Parameters.Density != null)
                throw new NotSupportedException("This UMAP model was fitted with DensityRegularization (densMAP), which cannot place rows that were not in its training data (umap-learn cannot either). It still returns the embedding of its training rows; fit without DensityRegularization to embed new rows.");
            if (neighborIndices.IsEmpty)
                _embedder.Embed(row, hash, destination, scratch);
            else
                _embedder.Embed(neighborIndices, neighborDistances, hash, destination, scratch, epochs);
            FiniteLayout.CheckNewRow(destination);
        }

        private static double MeanFiniteDistance(KnnGraph graph)
        {
            double sum = 0;
            long count = 0;
            foreach (float d in graph.Distances)
            {
                if (float.IsFinite(d))
                {
                    sum += d;
                    count++;
                }
            }
            return count == 0 ? 0 : sum / count;
        }
    }
}
