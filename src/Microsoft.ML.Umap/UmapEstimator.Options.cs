using System;
using System.ComponentModel;
using System.Threading;
using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap
{
    public sealed partial class UmapEstimator
    {
        /// <summary>
        /// Settings of a UMAP fit. Names follow ML.NET; defaults and meanings follow umap-learn (its names in
        /// brackets).
        /// </summary>
        /// <remarks>
        /// <list type="table">
        /// <listheader><term>Option</term><description>umap-learn</description></listheader>
        /// <item><term><see cref="NumberOfComponents"/></term><description>n_components</description></item>
        /// <item><term><see cref="NumberOfNeighbors"/></term><description>n_neighbors</description></item>
        /// <item><term><see cref="MinimumDistance"/></term><description>min_dist</description></item>
        /// <item><term><see cref="Spread"/></term><description>spread</description></item>
        /// <item><term><see cref="NumberOfEpochs"/></term><description>n_epochs</description></item>
        /// <item><term><see cref="LearningRate"/></term><description>learning_rate</description></item>
        /// <item><term><see cref="NegativeSampleRate"/></term><description>negative_sample_rate</description></item>
        /// <item><term><see cref="RepulsionStrength"/></term><description>repulsion_strength</description></item>
        /// <item><term><see cref="LocalConnectivity"/></term><description>local_connectivity</description></item>
        /// <item><term><see cref="SetOperationMixRatio"/></term><description>set_op_mix_ratio</description></item>
        /// <item><term><see cref="A"/>, <see cref="B"/></term><description>a, b</description></item>
        /// <item><term><see cref="Initialization"/></term><description>init</description></item>
        /// <item><term><see cref="Metric"/></term><description>metric</description></item>
        /// <item><term><see cref="LabelColumnName"/></term><description>y in fit(X, y)</description></item>
        /// <item><term><see cref="TargetMetric"/>, <see cref="TargetWeight"/>, <see cref="TargetNumberOfNeighbors"/></term><description>target_metric, target_weight, target_n_neighbors</description></item>
        /// <item><term><see cref="NeighborsWithinLabel"/></term><description>(none: not in umap-learn)</description></item>
        /// <item><term><see cref="PrecomputedNeighborIndicesColumnName"/>, <see cref="PrecomputedNeighborDistancesColumnName"/></term><description>precomputed_knn</description></item>
        /// <item><term><see cref="DensityRegularization"/></term><description>densmap</description></item>
        /// <item><term><see cref="DensityRegularizationStrength"/>, <see cref="DensityRegularizationFraction"/>, <see cref="DensityRegularizationVarianceShift"/></term><description>dens_lambda, dens_frac, dens_var_shift</description></item>
        /// <item><term><see cref="NeighborSearch"/></term><description>force_approximation_algorithm</description></item>
        /// <item><term><see cref="Seed"/></term><description>random_state</description></item>
        /// <item><term><see cref="NumberOfThreads"/></term><description>n_jobs</description></item>
        /// <item><term><see cref="Parametric"/></term><description>ParametricUMAP instead of UMAP</description></item>
        /// </list>
        /// </remarks>
        public sealed class Options
        {
            /// <summary>Name of the input column: a known- or variable-size vector of <see cref="float"/>. Default "Features".</summary>
            public string InputColumnName { get; set; } = UmapDefaults.InputColumnName;

            /// <summary>The former name of <see cref="InputColumnName"/>.</summary>
            [Obsolete("Use InputColumnName, the name ML.NET's transforms use.")]
            [EditorBrowsable(EditorBrowsableState.Never)]
            public string FeatureColumnName
            {
                get => InputColumnName;
                set => InputColumnName = value;
            }

            /// <summary>
            /// Name of a label column that makes the fit supervised [fit(X, y)]; null (default) for unsupervised UMAP.
            /// With <see cref="UmapTargetMetric.Categorical"/> it may be a key (key 0 = unlabelled), numeric (NaN =
            /// unlabelled), Boolean or text (empty = unlabelled) column; rows without a label make the fit
            /// semi-supervised. Transforming new rows never reads it.
            /// </summary>
            public string? LabelColumnName { get; set; }

            /// <summary>How labels are compared [target_metric]. Default <see cref="UmapTargetMetric.Categorical"/>.</summary>
            public UmapTargetMetric TargetMetric { get; set; } = UmapTargetMetric.Categorical;

            /// <summary>Weight of the labels against the data, 0 to 1 [target_weight]. Default 0.5.</summary>
            public float TargetWeight { get; set; } = (float)UmapDefaults.TargetWeight;

            /// <summary>Neighbours in the graph of Euclidean targets [target_n_neighbors], 2 to 1,000; null uses <see cref="NumberOfNeighbors"/>.</summary>
            public int? TargetNumberOfNeighbors { get; set; }

            /// <summary>
            /// With categorical labels, a labelled row takes its <see cref="NumberOfNeighbors"/> nearest neighbours
            /// among the rows that carry its label, and an unlabelled row among all rows. Not in umap-learn, whose
            /// behaviour is the default (false): there the labels only reweight the data's neighbour graph, so a
            /// labelled row whose nearest neighbours all carry other labels stays among them. Turn it on when every
            /// labelled row must land with its class (semi-supervised digits and MNIST with and without it: the
            /// repository's docs/measurements.md). No edge then joins two rows of different labels, so <see cref="TargetWeight"/> has no
            /// effect. When every row is labelled, each class becomes its own connected component. The
            /// spectral layout then places the classes by their centroids. Costs one more neighbour search over the
            /// labelled rows. Requires <see cref="LabelColumnName"/> with <see cref="UmapTargetMetric.Categorical"/>.
            /// </summary>
            public bool NeighborsWithinLabel { get; set; }

            /// <summary>
            /// Name of a vector column holding each row's nearest neighbours as row indices of the data (0-based, in
            /// row order), the row itself first, then by increasing distance: what an approximate-nearest-neighbour
            /// index or a vector database returns [umap-learn precomputed_knn]. Set it with
            /// <see cref="PrecomputedNeighborDistancesColumnName"/>; the fit then uses these neighbours instead of
            /// searching. Each row needs at least <see cref="NumberOfNeighbors"/> entries (the first ones are used);
            /// indices may be any integer or floating-point type holding whole numbers. Given the exact neighbours, the
            /// embedding is the one <see cref="UmapNeighborSearch.Exact"/> gives. When data to transform carries both
            /// columns (each new row's nearest training rows, nearest first), new rows are placed from them; data without
            /// them is searched against the stored training rows as usual. Default null: search.
            /// </summary>
            public string? PrecomputedNeighborIndicesColumnName { get; set; }

            /// <summary>
            /// Name of a vector column holding the distances to the neighbours in
            /// <see cref="PrecomputedNeighborIndicesColumnName"/> (same length, ascending, finite, 0 for the row itself),
            /// in the metric the neighbours were found with. Single or Double.
            /// </summary>
            public string? PrecomputedNeighborDistancesColumnName { get; set; }

            /// <summary>Name of the output column that receives the embedding. Default "Embedding".</summary>
            public string OutputColumnName { get; set; } = UmapDefaults.OutputColumnName;

            /// <summary>Dimension of the embedding [n_components], 1 to 1,000. Default 2.</summary>
            public int NumberOfComponents { get; set; } = UmapDefaults.NumberOfComponents;

            /// <summary>
            /// Size of the local neighbourhood, the point itself included [n_neighbors]: larger values keep more
            /// global structure, smaller ones more local detail. 2 to 1,000. Default 15.
            /// </summary>
            public int NumberOfNeighbors { get; set; } = UmapDefaults.NumberOfNeighbors;

            /// <summary>
            /// Smallest distance between embedded points [min_dist]: small values give tight clumps, large values an
            /// even spread. Between 0 and <see cref="Spread"/>. Default 0.1.
            /// </summary>
            public float MinimumDistance { get; set; } = (float)UmapDefaults.MinimumDistance;

            /// <summary>Scale of the embedded points, with <see cref="MinimumDistance"/> [spread]; 0.001 to 1,000. Default 1.</summary>
            public float Spread { get; set; } = (float)UmapDefaults.Spread;

            /// <summary>
            /// Optimisation epochs [n_epochs]; null picks umap-learn's default: 500 up to 10,000 rows, 200 above.
            /// 0 returns the initial layout; at most 10,000.
            /// </summary>
            public int? NumberOfEpochs { get; set; }

            /// <summary>Initial learning rate of the layout optimisation, decayed linearly to 0 [learning_rate]; above 0, up to 1,000. Default 1.</summary>
            public float LearningRate { get; set; } = (float)UmapDefaults.LearningRate;

            /// <summary>Negative samples per positive edge sample [negative_sample_rate], 0 to 100. Default 5.</summary>
            public int NegativeSampleRate { get; set; } = UmapDefaults.NegativeSampleRate;

            /// <summary>Weight of the repulsion between non-neighbours [repulsion_strength, gamma], 0 to 1,000. Default 1.</summary>
            public float RepulsionStrength { get; set; } = (float)UmapDefaults.RepulsionStrength;

            /// <summary>
            /// Number of nearest neighbours each point is assumed fully connected to [local_connectivity]; may be
            /// fractional; 0 to 1,000. Default 1.
            /// </summary>
            public float LocalConnectivity { get; set; } = (float)UmapDefaults.LocalConnectivity;

            /// <summary>
            /// How the two directed neighbour graphs are combined [set_op_mix_ratio]: 1 is the fuzzy union, 0 the
            /// fuzzy intersection. Default 1.
            /// </summary>
            public float SetOperationMixRatio { get; set; } = (float)UmapDefaults.SetOperationMixRatio;

            /// <summary>
            /// Parameter a of the embedding similarity 1 / (1 + a·d^(2b)); null fits it from
            /// <see cref="MinimumDistance"/> and <see cref="Spread"/>. Above 0, up to 1e12.
            /// </summary>
            public float? A { get; set; }

            /// <summary>Parameter b of the embedding similarity, above 0 and up to 5; null fits it (see <see cref="A"/>).</summary>
            public float? B { get; set; }

            /// <summary>How the layout starts [init]. Default <see cref="UmapInitialization.Spectral"/>.</summary>
            public UmapInitialization Initialization { get; set; } = UmapInitialization.Spectral;

            /// <summary>
            /// The starting layout when <see cref="Initialization"/> is <see cref="UmapInitialization.Custom"/>
            /// [init=array]: one array of <see cref="NumberOfComponents"/> finite values per training row, in row
            /// order. Rows that coincide are separated by a little noise, as umap-learn does.
            /// </summary>
            public float[][]? InitialCoordinates { get; set; }

            /// <summary>
            /// Distance between input rows [metric]. Default <see cref="UmapMetric.Euclidean"/>. Every metric works
            /// with exact and approximate search and with sparse columns; bounded ones (cosine, correlation,
            /// Hellinger, Jaccard) disconnect neighbours at their maximum distance, as umap-learn does.
            /// </summary>
            public UmapMetric Metric { get; set; } = UmapMetric.Euclidean;

            /// <summary>The exponent p of <see cref="UmapMetric.Minkowski"/> [metric_kwds={"p": …}], 0.1 to 100. Default 2.</summary>
            public double MinkowskiP { get; set; } = UmapDefaults.MinkowskiP;

            /// <summary>
            /// The distance used when <see cref="Metric"/> is <see cref="UmapMetric.Custom"/>. Models fitted with it
            /// can transform new rows, and can be saved only if <see cref="CustomDistanceName"/> is also set (a
            /// function cannot be written to a file). It must return a non-negative finite number. It receives dense
            /// vectors, so a sparse column is expanded to its full width for every distance: sparse columns wider than
            /// 65,536 slots are refused.
            /// </summary>
            public UmapDistanceFunction? CustomDistance { get; set; }

            /// <summary>
            /// The name of the custom distance, registered with <see cref="UmapCustomDistances.Register"/>: a model
            /// fitted with it stores the name, so it can be saved and loaded wherever the name is registered. When
            /// <see cref="CustomDistance"/> is null, the function is looked up by this name. Requires
            /// <see cref="Metric"/> = <see cref="UmapMetric.Custom"/>.
            /// </summary>
            public string? CustomDistanceName { get; set; }

            /// <summary>
            /// How nearest neighbours are found. Default <see cref="UmapNeighborSearch.Auto"/>: exact below 4,096
            /// rows, NN-descent above (umap-learn's behaviour).
            /// </summary>
            public UmapNeighborSearch NeighborSearch { get; set; } = UmapNeighborSearch.Auto;

            /// <summary>
            /// Seed of every random choice [random_state]; null takes one from the <see cref="MLContext"/>, so
            /// <c>new MLContext(seed: 1)</c> gives a reproducible fit. A seeded fit is bit-for-bit reproducible on the
            /// same machine, whatever <see cref="NumberOfThreads"/> is.
            /// </summary>
            public int? Seed { get; set; }

            /// <summary>
            /// Optimisation epochs spent on each row the model was not trained on when it is transformed; null uses a
            /// third of the fit's epochs (as uwot does; umap-learn uses a third of n_epochs when it is set, else 100
            /// or 30 depending on the batch size); at most 10,000. The result for a row never depends on the rest of its batch.
            /// </summary>
            public int? NumberOfTransformEpochs { get; set; }

            /// <summary>
            /// Fits densMAP instead of plain UMAP [densmap]: an extra term keeps each point's local radius in the
            /// embedding correlated with its local radius in the data, so dense clusters stay small and sparse ones
            /// large. Default false. When <see cref="NumberOfEpochs"/> is null it runs 200 more epochs than UMAP, as
            /// umap-learn does. A densMAP model embeds its training rows but cannot embed new ones (umap-learn
            /// cannot either): transforming other rows throws <see cref="NotSupportedException"/>.
            /// </summary>
            public bool DensityRegularization { get; set; }

            /// <summary>Weight of the densMAP term [dens_lambda], 0 to 1,000; 0 switches it off. Default 2.</summary>
            public float DensityRegularizationStrength { get; set; } = (float)UmapDefaults.DensityRegularizationStrength;

            /// <summary>Fraction of the epochs, at the end, in which the densMAP term acts [dens_frac]. Default 0.3.</summary>
            public float DensityRegularizationFraction { get; set; } = (float)UmapDefaults.DensityRegularizationFraction;

            /// <summary>
            /// Added to the variance of the embedding's log radii, which keeps the densMAP term stable [dens_var_shift].
            /// 0 to 1,000. Default 0.1.
            /// </summary>
            public float DensityRegularizationVarianceShift { get; set; } = (float)UmapDefaults.DensityRegularizationVarianceShift;

            /// <summary>Threads to use [n_jobs], 1 to 1,024; null uses every core (up to 1,024). The result does not depend on it.</summary>
            public int? NumberOfThreads { get; set; }

            /// <summary>
            /// Receives progress by stage (reading, neighbours, graph, initialisation, and each tenth of the epochs), in
            /// order: each stage starts at 0 of a total that does not change, its fraction only grows and it ends at
            /// its total. Called on the fitting thread or a worker thread, never concurrently. A
            /// <see cref="System.Progress{T}"/> made without a synchronisation context (a console program) posts each
            /// report to the thread pool, where they may run out of order; Fit waits for them before it returns.
            /// </summary>
            public IProgress<UmapProgress>? Progress { get; set; }

            /// <summary>
            /// Makes the fit parametric [umap-learn ParametricUMAP]: the model is an encoder network that embeds any row in
            /// one pass, keeps no training rows and exports to ONNX. Default null: the non-parametric model, which places
            /// new rows among its training rows. See <see cref="UmapEncoderOptions"/>.
            /// </summary>
            public UmapEncoderOptions? Parametric { get; set; }

            /// <summary>Cancels a running fit, which then throws <see cref="OperationCanceledException"/>.</summary>
            public CancellationToken CancellationToken { get; set; }
        }
    }
}
