using System;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Transform;

namespace Microsoft.ML.Umap.Core
{
    /// <summary>
    /// A fitted UMAP model: the settings it was fitted with, the effective curve parameters, the training rows
    /// and their embedding, and what is needed to map a row to its embedding. Immutable and thread-safe.
    /// </summary>
    internal sealed class UmapModel
    {
        private readonly TrainingRowIndex _trainingIndex;

        public UmapModel(UmapParameters parameters, double a, double b, int epochs, int neighborsUsed, UmapInitialization initializationUsed, RowMatrix trainingData, RowMatrix embedding)
        {
            if (trainingData.Rows != embedding.Rows)
                throw new ArgumentException("The training data and the embedding must have the same number of rows.");
            if (embedding.Columns != parameters.NumberOfComponents)
                throw new ArgumentException("The embedding must have NumberOfComponents columns.");
            Parameters = parameters;
            A = a;
            B = b;
            Epochs = epochs;
            NeighborsUsed = neighborsUsed;
            InitializationUsed = initializationUsed;
            TrainingData = trainingData;
            Embedding = embedding;
            _trainingIndex = new TrainingRowIndex(trainingData);
        }

        public UmapParameters Parameters { get; }

        public double A { get; }

        public double B { get; }

        public int Epochs { get; }

        public int NeighborsUsed { get; }

        public UmapInitialization InitializationUsed { get; }

        /// <summary>The training rows, n × d.</summary>
        public RowMatrix TrainingData { get; }

        /// <summary>The training embedding, n × NumberOfComponents.</summary>
        public RowMatrix Embedding { get; }

        /// <summary>Length of the input vectors.</summary>
        public int FeatureCount => TrainingData.Columns;

        /// <summary>Length of the embedding vectors.</summary>
        public int ComponentCount => Embedding.Columns;

        /// <summary>
        /// Writes the embedding of <paramref name="row"/> (finite values, <see cref="FeatureCount"/> of them) into
        /// <paramref name="destination"/>. A training row gets exactly its training embedding.
        /// </summary>
        /// <exception cref="NotSupportedException">The row is not one of the training rows.</exception>
        public void Embed(ReadOnlySpan<float> row, Span<float> destination)
        {
            int match = _trainingIndex.Find(row);
            if (match < 0)
            {
                throw new NotSupportedException(
                    "This UMAP model can only map the rows it was trained on, and the row is not one of them. " +
                    "Embedding unseen rows is not supported by this version.");
            }
            Embedding.ReadOnlyRow(match).CopyTo(destination);
        }
    }
}
