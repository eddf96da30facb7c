using Microsoft.ML.Umap.Core.Parametric;

namespace Microsoft.ML.Umap
{
    /// <summary>How the encoder of a parametric UMAP model learns (see <see cref="UmapEncoderOptions.Training"/>).</summary>
    public enum UmapEncoderTraining
    {
        /// <summary>
        /// Fit UMAP as usual, train the network to reproduce that embedding (mean squared error), then, if
        /// <see cref="UmapEncoderOptions.NumberOfRefinementEpochs"/> asks for it, refine it with the UMAP objective. The
        /// network reproduces the layout's clusters better than the neighbourhoods inside them.
        /// </summary>
        EmbeddingThenObjective = 0,

        /// <summary>
        /// Train the network on the UMAP objective alone, as umap-learn's ParametricUMAP does: edges of the fuzzy graph
        /// sampled by weight, negative samples, the layout's cross-entropy gradients. No layout is optimised, so the fit
        /// is the quickest, but the network keeps classes apart less well than with the other two.
        /// </summary>
        Objective = 1,

        /// <summary>
        /// Fit UMAP as usual, then train the network on the UMAP objective (as <see cref="Objective"/>) while pulling every
        /// row towards its place in that embedding: the layout sets where the clusters go, the objective the
        /// neighbourhoods inside them. The default.
        /// </summary>
        EmbeddingAnchoredObjective = 2,
    }

    /// <summary>
    /// Makes a UMAP fit parametric [umap-learn ParametricUMAP]: besides the fuzzy graph, the fit trains an encoder, a
    /// small neural network (dense layers with ReLU between them) from the feature vector to the embedding. The
    /// fitted model keeps only the network, not the training rows, so it is small, and a new row is embedded by one
    /// pass through the network, with no neighbour search. Set it as <see cref="UmapEstimator.Options.Parametric"/>.
    /// </summary>
    /// <remarks>
    /// A parametric model transforms, saves, loads and serves through a prediction engine like any UMAP model. It
    /// cannot give back its training embedding, neighbours or graph, nor update or invert, because those need the
    /// training rows it does not keep: transform the training rows to get their embedding. The embedding of a training
    /// row is the network's, close to but not the same as a non-parametric fit's.
    /// </remarks>
    public sealed class UmapEncoderOptions
    {
        /// <summary>
        /// Units of each hidden layer, input side first; at most 16 layers of 1 to 16,384 units; an empty array makes a
        /// linear map. Default six layers of 96 (umap-learn's ParametricUMAP has three of 100; on MNIST, with
        /// the default <see cref="NumberOfInputComponents"/>, six of 96 did better in less training time).
        /// </summary>
        public int[] HiddenLayerSizes { get; set; } = (int[])EncoderSettings.DefaultHiddenLayers.Clone();

        /// <summary>
        /// Training epochs, 0 to 10,000: passes over the training rows (regression onto the embedding), or as many edge
        /// samples as there are rows (the objective). Null: 20 (regression) or 60 (the objective, anchored or not),
        /// raised until training takes at least 6,000 steps (at most 1,000 epochs).
        /// </summary>
        public int? NumberOfEpochs { get; set; }

        /// <summary>
        /// Epochs of the UMAP objective after the regression (<see cref="UmapEncoderTraining.EmbeddingThenObjective"/>
        /// only), 0 to 10,000 (always 0 for a supervised fit, whose labels the objective would not see). Null: 0, because
        /// on MNIST one epoch lowered the quality the regression had reached (docs/measurements.md).
        /// </summary>
        public int? NumberOfRefinementEpochs { get; set; }

        /// <summary>Rows per training step, 1 to 65,536 (with the objective, half of them are edges' heads, half their tails). Default 512.</summary>
        public int BatchSize { get; set; } = EncoderSettings.DefaultBatchSize;

        /// <summary>Initial learning rate of Adam, decayed linearly to 0; above 0, at most 1. Default 0.007.</summary>
        public float LearningRate { get; set; } = EncoderSettings.DefaultLearningRate;

        /// <summary>How the encoder learns. Default <see cref="UmapEncoderTraining.EmbeddingAnchoredObjective"/>.</summary>
        public UmapEncoderTraining Training { get; set; } = UmapEncoderTraining.EmbeddingAnchoredObjective;

        /// <summary>
        /// Principal components of the training rows the encoder learns from, 0 to 16,384; 0 trains it on the raw rows.
        /// The components (directions estimated from at most 10,000 of the training rows, evenly spaced) are centred
        /// projections, so the network's first layer costs that many products per unit instead of one per feature; the
        /// projection is folded into the first layer when training ends, so the model, Transform and ONNX export see a
        /// plain network on the raw feature vector. A value not below the number of features trains on the raw rows
        /// (a projection onto all of them would only rotate them). Null: 64, which on MNIST made training much cheaper
        /// at the same quality (docs/measurements.md).
        /// </summary>
        public int? NumberOfInputComponents { get; set; }

        /// <summary>The settings as the core takes them; they are validated by the caller.</summary>
        internal EncoderSettings ToSettings() => new()
        {
            HiddenLayers = HiddenLayerSizes is null ? null! : (int[])HiddenLayerSizes.Clone(),
            Epochs = NumberOfEpochs,
            RefinementEpochs = NumberOfRefinementEpochs,
            BatchSize = BatchSize,
            InputComponents = NumberOfInputComponents,
            LearningRate = EncoderSettings.RateOf(LearningRate),
            Scheme = Training switch
            {
                UmapEncoderTraining.EmbeddingThenObjective => EncoderTrainingScheme.EmbeddingRegression,
                UmapEncoderTraining.Objective => EncoderTrainingScheme.UmapObjective,
                UmapEncoderTraining.EmbeddingAnchoredObjective => EncoderTrainingScheme.AnchoredObjective,
                _ => (EncoderTrainingScheme)(-1),
            },
        };
    }
}
