using System;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>
    /// A fitted parametric UMAP model: the settings it was fitted with, what the fit settled, and the encoder network,
    /// which embeds any row in one forward pass. It keeps no training rows. Immutable and thread-safe.
    /// </summary>
    internal sealed class ParametricModel
    {
        public ParametricModel(UmapParameters parameters, FitSummary summary, EncoderSettings encoder, EncoderNetwork network, int trainingRowCount)
        {
            if (network.OutputCount != parameters.NumberOfComponents)
                throw new ArgumentException("The encoder must output NumberOfComponents values.", nameof(network));
            Parameters = parameters;
            Summary = summary;
            Encoder = encoder;
            Network = network;
            TrainingRowCount = trainingRowCount;
        }

        public UmapParameters Parameters { get; }

        public FitSummary Summary { get; }

        /// <summary>The encoder's settings as given (its layers, epochs, batch size, learning rate).</summary>
        public EncoderSettings Encoder { get; }

        public EncoderNetwork Network { get; }

        /// <summary>Rows the model was fitted on (the rows themselves are not kept).</summary>
        public int TrainingRowCount { get; }

        /// <summary>The rows this model's metric accepts.</summary>
        public Distances.MetricDomain Domain => Parameters.Domain;

        public int FeatureCount => Network.InputCount;

        public int ComponentCount => Network.OutputCount;

        /// <summary>Scratch for <see cref="Embed(VectorView, Span{float}, Scratch)"/>, one per thread.</summary>
        public Scratch CreateScratch() => new Scratch(FeatureCount, Network.CreateScratch(1));

        /// <summary>The embedding of one row (finite values, <see cref="FeatureCount"/> of them) into <paramref name="destination"/>.</summary>
        /// <exception cref="InvalidOperationException">The network's output is not finite (values far beyond the training rows').</exception>
        public void Embed(VectorView row, Span<float> destination, Scratch scratch)
        {
            row.CopyTo(scratch.Row);
            Network.Forward(scratch.Row, 1, destination, scratch.Layers);
            FiniteLayout.CheckNewRow(destination);
        }

        /// <summary>The embedding of every row of <paramref name="data"/> on the model's threads.</summary>
        /// <exception cref="InvalidOperationException">A row's embedding is not finite.</exception>
        public RowMatrix Embed(VectorSet data, System.Threading.CancellationToken cancellation)
        {
            var result = Network.Embed(data, Parameters.NumberOfThreads, cancellation);
            for (int i = 0; i < result.Rows; i++)
                FiniteLayout.CheckNewRow(result.ReadOnlyRow(i));
            return result;
        }

        /// <summary>A dense copy of the row and the layers' buffers.</summary>
        public sealed class Scratch
        {
            public Scratch(int features, EncoderNetwork.Scratch layers)
            {
                Row = new float[features];
                Layers = layers;
            }

            public float[] Row { get; }

            public EncoderNetwork.Scratch Layers { get; }
        }
    }
}
