namespace Microsoft.ML.Umap
{
    /// <summary>The stages of a UMAP fit, in the order they run.</summary>
    public enum UmapStage
    {
        /// <summary>Reading and validating the feature column.</summary>
        ReadingData,

        /// <summary>Finding each row's nearest neighbours.</summary>
        Neighbors,

        /// <summary>Building the fuzzy simplicial set (the weighted k-nearest-neighbour graph).</summary>
        Graph,

        /// <summary>Computing the initial layout (spectral or random).</summary>
        Initialization,

        /// <summary>Optimising the layout by stochastic gradient descent.</summary>
        Layout,

        /// <summary>Training the encoder network of a parametric model (a parametric fit).</summary>
        EncoderTraining,
    }

    /// <summary>
    /// A progress report of a UMAP fit: the stage that is running and how far it has got.
    /// </summary>
    public readonly struct UmapProgress
    {
        /// <summary>Creates a report.</summary>
        /// <param name="stage">The stage that is running.</param>
        /// <param name="completed">Units of work done in this stage (for <see cref="UmapStage.Layout"/>: epochs).</param>
        /// <param name="total">Units of work in this stage.</param>
        public UmapProgress(UmapStage stage, long completed, long total)
        {
            Stage = stage;
            Completed = completed;
            Total = total;
        }

        /// <summary>The stage that is running.</summary>
        public UmapStage Stage { get; }

        /// <summary>Units of work done in this stage (for <see cref="UmapStage.Layout"/>, epochs completed).</summary>
        public long Completed { get; }

        /// <summary>Units of work in this stage.</summary>
        public long Total { get; }

        /// <summary>The completed fraction of this stage, in [0, 1] (1 for a stage with nothing to do, reported as 0 of 0).</summary>
        public double Fraction => Total <= 0 ? 1.0 : (double)Completed / Total;

        /// <inheritdoc/>
        public override string ToString() => $"{Stage}: {Completed}/{Total}";
    }
}
