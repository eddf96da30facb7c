using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>Parameters of the layout optimisation (umap-learn names in brackets).</summary>
    internal sealed class LayoutSettings
    {
        /// <summary>Training epochs [n_epochs].</summary>
        public int Epochs { get; init; }

        /// <summary>Curve parameter a.</summary>
        public double A { get; init; }

        /// <summary>Curve parameter b.</summary>
        public double B { get; init; }

        /// <summary>Weight of the repulsive term [repulsion_strength, gamma].</summary>
        public double RepulsionStrength { get; init; } = UmapDefaults.RepulsionStrength;

        /// <summary>Initial learning rate, decayed linearly to 0 [learning_rate, alpha].</summary>
        public double LearningRate { get; init; } = UmapDefaults.LearningRate;

        /// <summary>Negative samples per positive sample [negative_sample_rate].</summary>
        public int NegativeSampleRate { get; init; } = UmapDefaults.NegativeSampleRate;

        /// <summary>Seed of every random stream of the optimisation.</summary>
        public ulong Seed { get; init; }

        /// <summary>The densMAP term (built for the same graph), or null for plain UMAP.</summary>
        public DensityRegularization? Density { get; init; }

        /// <summary>Threads to use; the result does not depend on it.</summary>
        public int Threads { get; init; } = 1;
    }
}
