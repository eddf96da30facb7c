using System;
using System.Linq;
using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap.Core.Parametric
{
    /// <summary>How the encoder of a parametric model is trained.</summary>
    internal enum EncoderTrainingScheme
    {
        /// <summary>Regression of the network onto the non-parametric embedding, then the UMAP objective.</summary>
        EmbeddingRegression,

        /// <summary>The UMAP objective alone (ParametricUMAP's): edges sampled by weight, negative samples, cross-entropy.</summary>
        UmapObjective,

        /// <summary>The UMAP objective with every row also pulled towards its row of the non-parametric embedding.</summary>
        AnchoredObjective,
    }

    /// <summary>The encoder's architecture and training, validated. Immutable.</summary>
    internal sealed record EncoderSettings
    {
        /// <summary>
        /// Six dense ReLU layers of 96 units (umap-learn's ParametricUMAP has three of 100): on MNIST, trained on
        /// <see cref="DefaultInputComponents"/> principal components, deeper networks kept test digits' neighbourhoods
        /// and classes better than three wider or longer-trained layers in the same training time; six of 96 trained
        /// for <see cref="DefaultObjectiveEpochs"/> epochs kept new digits' neighbourhoods better than six of 80, 112 or
        /// 128 in the same time (docs/measurements.md).
        /// </summary>
        public static readonly int[] DefaultHiddenLayers = { 96, 96, 96, 96, 96, 96 };

        public const int MaximumLayers = 16;
        public const int MaximumLayerSize = 16_384;
        public const int MaximumEpochs = 10_000;
        public const int MaximumBatchSize = 65_536;
        public const double MaximumLearningRate = 1.0;

        /// <summary>Largest network accepted, weights and biases together (2²⁷ floats): a bound on what a forged or mistyped size can allocate.</summary>
        public const long MaximumParameters = 128L << 20;

        public int[] HiddenLayers { get; init; } = DefaultHiddenLayers;

        /// <summary>Passes over the training rows; null: <see cref="DefaultEpochs"/>.</summary>
        public int? Epochs { get; init; }

        /// <summary>Passes over the graph's edges with the UMAP objective after a regression; null: <see cref="DefaultRefinementEpochs"/>.</summary>
        public int? RefinementEpochs { get; init; }

        /// <summary>
        /// Rows per step: 512 with <see cref="DefaultLearningRate"/> learnt as much from an epoch as 256 did, in fewer,
        /// cheaper steps (each step's fixed costs are paid half as often).
        /// </summary>
        public const int DefaultBatchSize = 512;

        public int BatchSize { get; init; } = DefaultBatchSize;

        /// <summary>Adam's initial rate: 0.005 beat 0.003 on all three quality figures for each seed tried, and 0.007 suits the batches of 512 (docs/measurements.md).</summary>
        public const float DefaultLearningRate = 0.007f;

        public double LearningRate { get; init; } = RateOf(DefaultLearningRate);

        /// <summary>
        /// The public option's float rate as the double its shortest decimal reads (0.005f gives 0.005, not
        /// 0.004999999888...), so that a rate means the same whether it came from the options or from here.
        /// </summary>
        public static double RateOf(float rate) =>
            double.Parse(rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// The anchored objective by default: the objective alone kept new rows' neighbourhoods better than a regression
        /// onto the layout but their classes apart less well; anchored, it did both.
        /// </summary>
        public EncoderTrainingScheme Scheme { get; init; } = EncoderTrainingScheme.AnchoredObjective;

        /// <summary>The objective's epochs by default: fewer left new rows' trustworthiness further below the non-parametric transform's than issue 32 allows, on MNIST (docs/measurements.md).</summary>
        public const int DefaultObjectiveEpochs = 60;

        public int DefaultEpochs => Scheme == EncoderTrainingScheme.EmbeddingRegression ? 20 : DefaultObjectiveEpochs;

        /// <summary>Adam steps a default number of epochs gives at least: few rows make few batches an epoch, too few to learn from.</summary>
        public const int MinimumDefaultSteps = 6_000;

        /// <summary>Most epochs the default gives, however few the rows.</summary>
        public const int MaximumDefaultEpochs = 1_000;

        /// <summary>
        /// The epochs used for <paramref name="rows"/> training rows: <see cref="Epochs"/> when set, else
        /// <see cref="DefaultEpochs"/>, raised until the epochs make <see cref="MinimumDefaultSteps"/> steps.
        /// </summary>
        public int EpochsFor(int rows)
        {
            if (Epochs is int epochs)
                return epochs;
            long rowsPerBatch = Scheme == EncoderTrainingScheme.EmbeddingRegression ? BatchSize : Math.Max(1, BatchSize / 2);
            long batches = Math.Max(1, (rows + rowsPerBatch - 1) / rowsPerBatch);
            long needed = (MinimumDefaultSteps + batches - 1) / batches;
            return (int)Math.Clamp(needed, DefaultEpochs, Math.Max(DefaultEpochs, MaximumDefaultEpochs));
        }

        public const int DefaultRefinementEpochs = 0;

        /// <summary>
        /// Principal components the encoder trains on by default: on MNIST's pixels, this many made a training step much
        /// cheaper at the same quality, time the deeper <see cref="DefaultHiddenLayers"/> use; fewer or more did no
        /// better (docs/measurements.md). Rows of at most this many features are taken as they are.
        /// </summary>
        public const int DefaultInputComponents = 64;

        /// <summary>
        /// Principal components of the training rows the encoder trains on (<see cref="InputProjection"/>), 0 for the
        /// raw rows; null: <see cref="DefaultInputComponents"/>. See <see cref="InputComponentsFor"/>.
        /// </summary>
        public int? InputComponents { get; init; }

        /// <summary>
        /// The principal components used for rows of <paramref name="inputs"/> features: <see cref="InputComponents"/>
        /// (or its default), or 0 (the raw rows) when that is not fewer than the features, since a projection onto all
        /// of them would only rotate the rows at extra cost.
        /// </summary>
        public int InputComponentsFor(int inputs)
        {
            int components = InputComponents ?? DefaultInputComponents;
            return components < inputs ? components : 0;
        }

        /// <summary>The sizes of every layer for <paramref name="inputs"/> features and <paramref name="components"/> outputs.</summary>
        public int[] LayerSizes(int inputs, int components) => new[] { inputs }.Concat(HiddenLayers).Append(components).ToArray();

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
        public void Validate()
        {
            UmapParameters.Check(HiddenLayers is not null, "Parametric.HiddenLayerSizes", null, "must be set (an empty array for a network without hidden layers)");
            UmapParameters.Check(HiddenLayers.Length <= MaximumLayers, "Parametric.HiddenLayerSizes", HiddenLayers.Length, $"must hold at most {MaximumLayers} layer sizes");
            foreach (int size in HiddenLayers)
                UmapParameters.Check(size >= 1 && size <= MaximumLayerSize, "Parametric.HiddenLayerSizes", size, $"must hold sizes between 1 and {MaximumLayerSize}");
            UmapParameters.Check(Epochs is null || (Epochs >= 0 && Epochs <= MaximumEpochs), "Parametric.NumberOfEpochs", Epochs, $"must be between 0 and {MaximumEpochs} (or null for the default)");
            UmapParameters.Check(RefinementEpochs is null || (RefinementEpochs >= 0 && RefinementEpochs <= MaximumEpochs), "Parametric.NumberOfRefinementEpochs", RefinementEpochs, $"must be between 0 and {MaximumEpochs} (or null for the default)");
            UmapParameters.Check(BatchSize >= 1 && BatchSize <= MaximumBatchSize, "Parametric.BatchSize", BatchSize, $"must be between 1 and {MaximumBatchSize}");
            UmapParameters.Check(LearningRate > 0 && LearningRate <= MaximumLearningRate, "Parametric.LearningRate", LearningRate, $"must be positive and at most {MaximumLearningRate}");
            UmapParameters.Check(Enum.IsDefined(Scheme), "Parametric.Training", Scheme, "is not a known training scheme");
            UmapParameters.Check(InputComponents is null || (InputComponents >= 0 && InputComponents <= MaximumLayerSize), "Parametric.NumberOfInputComponents", InputComponents, $"must be between 0 and {MaximumLayerSize} (or null for the default)");
        }

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a network of these layers on <paramref name="inputs"/> features would be too large.</summary>
        public void CheckSize(int inputs, int components)
        {
            var sizes = LayerSizes(inputs, components);
            long parameters = 0;
            for (int l = 0; l + 1 < sizes.Length; l++)
                parameters += (long)sizes[l] * sizes[l + 1] + sizes[l + 1];
            UmapParameters.Check(parameters <= MaximumParameters, "Parametric.HiddenLayerSizes", string.Join(", ", HiddenLayers),
                $"give an encoder of {parameters:N0} weights on {inputs:N0} features, more than the {MaximumParameters:N0} allowed");
        }
    }
}
