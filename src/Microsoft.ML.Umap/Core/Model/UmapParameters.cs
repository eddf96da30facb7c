using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Model
{
    /// <summary>
    /// Every setting of a fit, validated, with the public option names. Immutable: the estimator builds one
    /// from its options, and the fitted model keeps it as the record of what produced the embedding.
    /// </summary>
    internal sealed record UmapParameters
    {
        public int NumberOfComponents { get; init; } = UmapDefaults.NumberOfComponents;

        public int NumberOfNeighbors { get; init; } = UmapDefaults.NumberOfNeighbors;

        public double MinimumDistance { get; init; } = UmapDefaults.MinimumDistance;

        public double Spread { get; init; } = UmapDefaults.Spread;

        public int? NumberOfEpochs { get; init; }

        public double LearningRate { get; init; } = UmapDefaults.LearningRate;

        public int NegativeSampleRate { get; init; } = UmapDefaults.NegativeSampleRate;

        public double RepulsionStrength { get; init; } = UmapDefaults.RepulsionStrength;

        public double LocalConnectivity { get; init; } = UmapDefaults.LocalConnectivity;

        public double SetOperationMixRatio { get; init; } = UmapDefaults.SetOperationMixRatio;

        public double? A { get; init; }

        public double? B { get; init; }

        public UmapInitialization Initialization { get; init; } = UmapInitialization.Spectral;

        /// <summary>The layout of <see cref="UmapInitialization.Custom"/>: n × NumberOfComponents.</summary>
        public RowMatrix? InitialCoordinates { get; init; }

        public UmapMetric Metric { get; init; } = UmapMetric.Euclidean;

        /// <summary>The exponent p of <see cref="UmapMetric.Minkowski"/>.</summary>
        public double MinkowskiP { get; init; } = UmapDefaults.MinkowskiP;

        /// <summary>The function of <see cref="UmapMetric.Custom"/>.</summary>
        public UmapDistanceFunction? CustomDistance { get; init; }

        /// <summary>The name <see cref="CustomDistance"/> is registered under, which a saved model stores; null if it has none.</summary>
        public string? CustomDistanceName { get; init; }

        public UmapNeighborSearch NeighborSearch { get; init; } = UmapNeighborSearch.Auto;

        public ulong Seed { get; init; }

        /// <summary>The label column of a supervised fit [y in fit(X, y)], or null for unsupervised UMAP.</summary>
        public string? LabelColumnName { get; init; }

        /// <summary>The column of each row's nearest neighbours' row indices given instead of a search (umap-learn precomputed_knn); null: search.</summary>
        public string? PrecomputedNeighborIndicesColumnName { get; init; }

        /// <summary>The column of the distances to those neighbours; set together with <see cref="PrecomputedNeighborIndicesColumnName"/>.</summary>
        public string? PrecomputedNeighborDistancesColumnName { get; init; }

        /// <summary>How labels are compared in a supervised fit (umap-learn target_metric).</summary>
        public UmapTargetMetric TargetMetric { get; init; } = UmapTargetMetric.Categorical;

        /// <summary>How much the labels weigh against the data in a supervised fit (umap-learn target_weight).</summary>
        public double TargetWeight { get; init; } = UmapDefaults.TargetWeight;

        /// <summary>Neighbours in the target graph of numeric labels; null: NumberOfNeighbors.</summary>
        public int? TargetNumberOfNeighbors { get; init; }

        /// <summary>Labelled rows take their neighbours among rows of their own class (see <see cref="Neighbors.SameLabelNeighbors"/>).</summary>
        public bool NeighborsWithinLabel { get; init; }

        /// <summary>Optimisation epochs for each new row; null: a third of the fit's epochs (as uwot does).</summary>
        public int? NumberOfTransformEpochs { get; init; }

        /// <summary>The densMAP settings, or null for plain UMAP [densmap].</summary>
        public DensitySettings? Density { get; init; }

        /// <summary>Threads for every stage; results do not depend on it.</summary>
        public int NumberOfThreads { get; init; } = DefaultThreads;

        /// <summary>Every core, up to <see cref="UmapLimits.MaximumThreads"/>.</summary>
        public static int DefaultThreads => Math.Min(Environment.ProcessorCount, UmapLimits.MaximumThreads);

        /// <summary>The rows the configured metric can measure.</summary>
        public Distances.MetricDomain Domain => new Distances.MetricDomain(Metric, MinkowskiP);

        /// <summary>The epoch count used for <paramref name="rows"/> rows (umap-learn's default when not set).</summary>
        public int EpochsFor(int rows) => NumberOfEpochs ?? DefaultEpochsFor(rows);

        /// <summary>umap-learn's default epoch count, which densMAP raises by 200.</summary>
        public int DefaultEpochsFor(int rows) => DefaultEpochs(rows) + (Density is null ? 0 : UmapDefaults.DensityExtraEpochs);

        /// <summary>Epochs spent on each new row by a model fitted for <paramref name="fitEpochs"/> epochs.</summary>
        public int TransformEpochsFor(int fitEpochs) => NumberOfTransformEpochs ?? fitEpochs / UmapDefaults.TransformEpochsDivisor;

        /// <summary>umap-learn's default: 500 epochs up to 10,000 rows, 200 above.</summary>
        public static int DefaultEpochs(int rows) => rows <= UmapDefaults.SmallDataRows ? UmapDefaults.SmallDataEpochs : UmapDefaults.LargeDataEpochs;

        /// <summary>True when the neighbours of <paramref name="rows"/> rows are searched exactly.</summary>
        public bool UsesExactSearch(int rows) =>
            Metric == UmapMetric.Precomputed // neighbours are read off the given distances, always exactly
            || NeighborSearch == UmapNeighborSearch.Exact || (NeighborSearch == UmapNeighborSearch.Auto && rows < UmapDefaults.ExactSearchRows);

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
        public void Validate()
        {
            Check(NumberOfComponents >= 1 && NumberOfComponents <= UmapLimits.MaximumComponents, nameof(NumberOfComponents), NumberOfComponents, $"must be between 1 and {UmapLimits.MaximumComponents}");
            Check(NumberOfNeighbors >= 2 && NumberOfNeighbors <= UmapLimits.MaximumNeighbors, nameof(NumberOfNeighbors), NumberOfNeighbors, $"must be between 2 (the point itself and one neighbour) and {UmapLimits.MaximumNeighbors}");
            Check(Spread >= UmapLimits.MinimumSpread && Spread <= UmapLimits.MaximumSpread, nameof(Spread), Spread, $"must be between {UmapLimits.MinimumSpread} and {UmapLimits.MaximumSpread}");
            Check(MinimumDistance >= 0 && double.IsFinite(MinimumDistance), nameof(MinimumDistance), MinimumDistance, "must be non-negative and finite");
            Check(MinimumDistance <= Spread, nameof(MinimumDistance), MinimumDistance, $"must not exceed Spread ({Spread})");
            Check(NumberOfEpochs is null || (NumberOfEpochs >= 0 && NumberOfEpochs <= UmapLimits.MaximumEpochs), nameof(NumberOfEpochs), NumberOfEpochs, $"must be between 0 and {UmapLimits.MaximumEpochs} (or null for the default)");
            Check(NumberOfTransformEpochs is null || (NumberOfTransformEpochs >= 0 && NumberOfTransformEpochs <= UmapLimits.MaximumEpochs), nameof(NumberOfTransformEpochs), NumberOfTransformEpochs, $"must be between 0 and {UmapLimits.MaximumEpochs} (or null for a third of the fit's epochs)");
            Check(LearningRate > 0 && LearningRate <= UmapLimits.MaximumLearningRate, nameof(LearningRate), LearningRate, $"must be positive and at most {UmapLimits.MaximumLearningRate}");
            Check(NegativeSampleRate >= 0 && NegativeSampleRate <= UmapLimits.MaximumNegativeSampleRate, nameof(NegativeSampleRate), NegativeSampleRate, $"must be between 0 and {UmapLimits.MaximumNegativeSampleRate}");
            Check(RepulsionStrength >= 0 && RepulsionStrength <= UmapLimits.MaximumRepulsionStrength, nameof(RepulsionStrength), RepulsionStrength, $"must be between 0 and {UmapLimits.MaximumRepulsionStrength}");
            Check(LocalConnectivity >= 0 && LocalConnectivity <= UmapLimits.MaximumLocalConnectivity, nameof(LocalConnectivity), LocalConnectivity, $"must be between 0 and {UmapLimits.MaximumLocalConnectivity}");
            Check(SetOperationMixRatio >= 0 && SetOperationMixRatio <= 1, nameof(SetOperationMixRatio), SetOperationMixRatio, "must be between 0 and 1");
            Check(A is null || IsCurveA(A.Value), nameof(A), A, $"must be positive and at most {UmapLimits.MaximumA:G} (or null to fit it)");
            Check(B is null || IsCurveB(B.Value), nameof(B), B, $"must be positive and at most {UmapLimits.MaximumB} (or null to fit it)");
            Check(Enum.IsDefined(Initialization), nameof(Initialization), Initialization, "is not a known initialisation");
            Check(InitialCoordinates is null || Initialization == UmapInitialization.Custom, nameof(InitialCoordinates), "coordinates", $"are only used with Initialization = Custom (Initialization is {Initialization})");
            Check(InitialCoordinates is null || InitialCoordinates.Columns == NumberOfComponents, nameof(InitialCoordinates), InitialCoordinates?.Columns, $"must have NumberOfComponents ({NumberOfComponents}) values per row");
            Check(Enum.IsDefined(Metric), nameof(Metric), Metric, "is not a known metric");
            Check(Enum.IsDefined(NeighborSearch), nameof(NeighborSearch), NeighborSearch, "is not a known neighbour search");
            Check(Enum.IsDefined(TargetMetric), nameof(TargetMetric), TargetMetric, "is not a known target metric");
            Check(TargetWeight >= 0 && TargetWeight <= 1, nameof(TargetWeight), TargetWeight, "must be between 0 and 1");
            Check(TargetNumberOfNeighbors is null || (TargetNumberOfNeighbors >= 2 && TargetNumberOfNeighbors <= UmapLimits.MaximumNeighbors), nameof(TargetNumberOfNeighbors), TargetNumberOfNeighbors, $"must be between 2 and {UmapLimits.MaximumNeighbors} (or null for NumberOfNeighbors)");
            Check(MinkowskiP >= UmapLimits.MinimumMinkowskiP && MinkowskiP <= UmapLimits.MaximumMinkowskiP, nameof(MinkowskiP), MinkowskiP, $"must be between {UmapLimits.MinimumMinkowskiP} and {UmapLimits.MaximumMinkowskiP}");
            Check(Metric != UmapMetric.Custom || CustomDistance != null, nameof(CustomDistance), "null", "must be set when Metric is Custom");
            Check(Metric == UmapMetric.Custom || CustomDistance == null, nameof(CustomDistance), "a function", $"is only used with Metric = Custom (Metric is {Metric})");
            Check((PrecomputedNeighborIndicesColumnName is null) == (PrecomputedNeighborDistancesColumnName is null), nameof(PrecomputedNeighborDistancesColumnName), PrecomputedNeighborDistancesColumnName,
                $"must be set together with PrecomputedNeighborIndicesColumnName (which is {PrecomputedNeighborIndicesColumnName ?? "null"}): the neighbours' indices and their distances come as a pair");
            Density?.Validate();
            Check(NumberOfThreads >= 1 && NumberOfThreads <= UmapLimits.MaximumThreads, nameof(NumberOfThreads), NumberOfThreads, $"must be between 1 and {UmapLimits.MaximumThreads}");
        }

        /// <summary>True for a usable curve parameter a, given or fitted.</summary>
        public static bool IsCurveA(double a) => a > 0 && a <= UmapLimits.MaximumA;

        /// <summary>True for a usable curve parameter b, given or fitted.</summary>
        public static bool IsCurveB(double b) => b > 0 && b <= UmapLimits.MaximumB;

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for <paramref name="name"/> unless <paramref name="condition"/> holds.</summary>
        /// <remarks>The parameter name is the option's (what the user set), not the method parameter that carried it.</remarks>
        internal static void Check([DoesNotReturnIf(false)] bool condition, string name, object? value, string rule)
        {
            if (!condition)
                Reject(name, value, rule);
        }

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> saying that option <paramref name="name"/> <paramref name="rule"/>.</summary>
        [DoesNotReturn]
        internal static void Reject(string name, object? value, string rule) =>
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}; got {value ?? "null"}.");
    }
}
