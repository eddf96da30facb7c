
namespace Microsoft.ML.Umap
{
    /// <summary>
    /// The settings a <see cref="UmapTransformer"/> was fitted with, as actually used: defaults resolved,
    /// a and b fitted, the epoch count chosen, and the initialisation that ran. Every setting that shapes the model is
    /// here; only the thread count (which never changes the result) and the progress and cancellation hooks are not.
    /// </summary>
    public sealed class UmapModelParameters
    {
        internal UmapModelParameters(Core.Model.UmapModel model)
            : this(model.Parameters, model.Summary, model.TransformEpochs, model.TrainingData.Count)
        {
        }

        internal UmapModelParameters(Core.Parametric.ParametricModel model)
            : this(model.Parameters, model.Summary, 0, model.TrainingRowCount)
        {
        }

        private UmapModelParameters(Core.Model.UmapParameters p, Core.Fitting.FitSummary summary, int transformEpochs, int trainingRows)
        {
            NumberOfComponents = p.NumberOfComponents;
            NumberOfNeighbors = summary.NeighborsUsed;
            MinimumDistance = p.MinimumDistance;
            Spread = p.Spread;
            NumberOfEpochs = summary.Epochs;
            LearningRate = p.LearningRate;
            NegativeSampleRate = p.NegativeSampleRate;
            RepulsionStrength = p.RepulsionStrength;
            LocalConnectivity = p.LocalConnectivity;
            SetOperationMixRatio = p.SetOperationMixRatio;
            A = summary.A;
            B = summary.B;
            Initialization = summary.InitializationUsed;
            Metric = p.Metric;
            MinkowskiP = p.MinkowskiP;
            CustomDistanceName = p.CustomDistanceName;
            LabelColumnName = p.LabelColumnName;
            TargetMetric = p.TargetMetric;
            TargetWeight = p.TargetWeight;
            TargetNumberOfNeighbors = p.LabelColumnName is null || p.TargetMetric != UmapTargetMetric.Euclidean ? 0 : p.TargetNumberOfNeighbors ?? p.NumberOfNeighbors;
            NeighborsWithinLabel = p.NeighborsWithinLabel;
            PrecomputedNeighborIndicesColumnName = p.PrecomputedNeighborIndicesColumnName;
            PrecomputedNeighborDistancesColumnName = p.PrecomputedNeighborDistancesColumnName;
            Seed = (int)(uint)p.Seed;
            NumberOfTransformEpochs = transformEpochs;
            DensityRegularization = p.Density != null;
            DensityRegularizationStrength = p.Density?.Strength ?? 0;
            DensityRegularizationFraction = p.Density?.Fraction ?? 0;
            DensityRegularizationVarianceShift = p.Density?.VarianceShift ?? 0;
            NeighborSearch = p.UsesExactSearch(trainingRows) ? UmapNeighborSearch.Exact : UmapNeighborSearch.Approximate;
        }

        /// <summary>Dimension of the embedding.</summary>
        public int NumberOfComponents { get; }

        /// <summary>Neighbours per point used (the point itself included); below the option on data with fewer rows.</summary>
        public int NumberOfNeighbors { get; }

        /// <summary>Minimum distance between embedded points.</summary>
        public double MinimumDistance { get; }

        /// <summary>Scale of the embedded points.</summary>
        public double Spread { get; }

        /// <summary>Epochs run.</summary>
        public int NumberOfEpochs { get; }

        /// <summary>Initial learning rate.</summary>
        public double LearningRate { get; }

        /// <summary>Negative samples per positive sample.</summary>
        public int NegativeSampleRate { get; }

        /// <summary>Weight of the repulsion.</summary>
        public double RepulsionStrength { get; }

        /// <summary>Local connectivity.</summary>
        public double LocalConnectivity { get; }

        /// <summary>Fuzzy union (1) to intersection (0) mix.</summary>
        public double SetOperationMixRatio { get; }

        /// <summary>Curve parameter a used (fitted unless given).</summary>
        public double A { get; }

        /// <summary>Curve parameter b used (fitted unless given).</summary>
        public double B { get; }

        /// <summary>The initialisation that ran (<see cref="UmapInitialization.Random"/> if spectral initialisation fell back).</summary>
        public UmapInitialization Initialization { get; }

        /// <summary>Input distance.</summary>
        public UmapMetric Metric { get; }

        /// <summary>The exponent p of <see cref="UmapMetric.Minkowski"/> (recorded whatever the metric).</summary>
        public double MinkowskiP { get; }

        /// <summary>The label column a supervised fit was steered by; null for an unsupervised fit.</summary>
        public string? LabelColumnName { get; }

        /// <summary>How labels were compared in a supervised fit (recorded whatever the fit).</summary>
        public UmapTargetMetric TargetMetric { get; }

        /// <summary>Weight of the labels against the data in a supervised fit (recorded whatever the fit).</summary>
        public double TargetWeight { get; }

        /// <summary>Neighbours in the graph of Euclidean targets; 0 unless the fit was supervised by Euclidean targets.</summary>
        public int TargetNumberOfNeighbors { get; }

        /// <summary>True when labelled rows took their neighbours among rows of their own label.</summary>
        public bool NeighborsWithinLabel { get; }

        /// <summary>The column the fit took each row's neighbour indices from instead of searching (null: it searched); new rows that carry it use it too.</summary>
        public string? PrecomputedNeighborIndicesColumnName { get; }

        /// <summary>The column of the distances to those neighbours (null: the fit searched).</summary>
        public string? PrecomputedNeighborDistancesColumnName { get; }

        /// <summary>The name of the custom distance (<see cref="UmapCustomDistances"/>); null if the metric is not custom or the function has no name.</summary>
        public string? CustomDistanceName { get; }

        /// <summary>The seed used (drawn from the MLContext when not given).</summary>
        public int Seed { get; }

        /// <summary>Optimisation epochs spent on each new row by <see cref="UmapTransformer.Transform"/>.</summary>
        public int NumberOfTransformEpochs { get; }

        /// <summary>True for a densMAP fit (which cannot embed new rows).</summary>
        public bool DensityRegularization { get; }

        /// <summary>Weight of the densMAP term; 0 when <see cref="DensityRegularization"/> is false.</summary>
        public double DensityRegularizationStrength { get; }

        /// <summary>Fraction of the epochs in which the densMAP term acted; 0 when <see cref="DensityRegularization"/> is false.</summary>
        public double DensityRegularizationFraction { get; }

        /// <summary>Variance shift of the densMAP term; 0 when <see cref="DensityRegularization"/> is false.</summary>
        public double DensityRegularizationVarianceShift { get; }

        /// <summary>The neighbour search the fit used and new rows use: <see cref="UmapNeighborSearch.Exact"/> or <see cref="UmapNeighborSearch.Approximate"/>.</summary>
        public UmapNeighborSearch NeighborSearch { get; }
    }
}
