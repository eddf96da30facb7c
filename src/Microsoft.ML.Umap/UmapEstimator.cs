using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.MlNet;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// Fits UMAP (Uniform Manifold Approximation and Projection) to a feature-vector column: builds the fuzzy
    /// k-nearest-neighbour graph of the rows, initialises a low-dimensional layout spectrally and optimises it by
    /// stochastic gradient descent with negative sampling. Create it with
    /// <see cref="UmapCatalog.Umap(TransformsCatalog, string, string, int, int, float, int?)"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="Fit(IDataView)"/> reads the whole column into memory (n × d floats) and returns a
    /// <see cref="UmapTransformer"/> that appends the embedding column. Progress goes to the
    /// <see cref="MLContext.Log"/> event and to <see cref="Options.Progress"/>; a fit can be cancelled through
    /// <see cref="Options.CancellationToken"/> or <see cref="Fit(IDataView, CancellationToken)"/>.
    /// </remarks>
    public sealed partial class UmapEstimator : IEstimator<UmapTransformer>
    {
        private readonly IHost _host;
        private readonly Options _options;
        private readonly UmapParameters _parameters;
        private readonly Core.Parametric.EncoderSettings? _encoder;

        internal UmapEstimator(IHostEnvironment env, Options options)
        {
            ArgumentNullException.ThrowIfNull(env);
            ArgumentNullException.ThrowIfNull(options);
            _host = env.Register(nameof(UmapEstimator));
            if (string.IsNullOrWhiteSpace(options.InputColumnName))
                throw new ArgumentException("InputColumnName must name a column.", nameof(options));
            if (string.IsNullOrWhiteSpace(options.OutputColumnName))
                throw new ArgumentException("OutputColumnName must name a column.", nameof(options));
            UmapParameters.Check(options.Initialization != UmapInitialization.Custom || options.InitialCoordinates != null, nameof(Options.InitialCoordinates), null, "must be given when Initialization is Custom");
            if (options.LabelColumnName != null && string.IsNullOrWhiteSpace(options.LabelColumnName))
                throw new ArgumentException("LabelColumnName must name a column, or be null for unsupervised UMAP.", nameof(options));
            UmapParameters.Check(Enum.IsDefined(options.TargetMetric), nameof(Options.TargetMetric), options.TargetMetric, "is not a known target metric");
            if (options.CustomDistanceName != null)
            {
                UmapCustomDistances.CheckName(options.CustomDistanceName, nameof(Options.CustomDistanceName));
                UmapParameters.Check(options.Metric == UmapMetric.Custom, nameof(Options.CustomDistanceName), options.CustomDistanceName, $"is only used with Metric = Custom (Metric is {options.Metric})");
            }
            if (options.NeighborsWithinLabel && (options.LabelColumnName is null || options.TargetMetric != UmapTargetMetric.Categorical))
                throw new ArgumentException($"NeighborsWithinLabel needs a categorical label column: set LabelColumnName and TargetMetric = Categorical (TargetMetric is {options.TargetMetric}; LabelColumnName is {(options.LabelColumnName is null ? "not set" : $"'{options.LabelColumnName}'")}).", nameof(options));
            CheckPrecomputedNeighborColumns(options);
            UmapParameters.Check(options.NumberOfThreads is not < 1, nameof(Options.NumberOfThreads), options.NumberOfThreads, "must be at least 1 (or null for all cores)");

            _options = options;
            // The seed is drawn once, here, so fitting this estimator twice gives the same model, and an
            // MLContext created with a seed makes every fit reproducible.
            int seed = options.Seed ?? _host.Rand.Next();
            // Checked even when densMAP is off, as umap-learn does, so a bad value never waits to surface.
            var density = new DensitySettings
            {
                Strength = Exact(options.DensityRegularizationStrength),
                Fraction = Exact(options.DensityRegularizationFraction),
                VarianceShift = Exact(options.DensityRegularizationVarianceShift),
            };
            density.Validate();
            _parameters = new UmapParameters
            {
                NumberOfComponents = options.NumberOfComponents,
                NumberOfNeighbors = options.NumberOfNeighbors,
                MinimumDistance = Exact(options.MinimumDistance),
                Spread = Exact(options.Spread),
                NumberOfEpochs = options.NumberOfEpochs,
                LearningRate = Exact(options.LearningRate),
                NegativeSampleRate = options.NegativeSampleRate,
                RepulsionStrength = Exact(options.RepulsionStrength),
                LocalConnectivity = Exact(options.LocalConnectivity),
                SetOperationMixRatio = Exact(options.SetOperationMixRatio),
                A = options.A is float a ? Exact(a) : null,
                B = options.B is float b ? Exact(b) : null,
                Initialization = options.Initialization,
                InitialCoordinates = options.InitialCoordinates is null ? null : CoordinatesMatrix(options.InitialCoordinates, options.NumberOfComponents),
                Metric = options.Metric,
                MinkowskiP = options.MinkowskiP,
                CustomDistance = options.CustomDistance ?? (options.CustomDistanceName is null ? null : UmapCustomDistances.Get(options.CustomDistanceName, "CustomDistanceName")),
                CustomDistanceName = options.CustomDistanceName,
                NeighborSearch = options.NeighborSearch,
                NumberOfTransformEpochs = options.NumberOfTransformEpochs,
                LabelColumnName = options.LabelColumnName,
                TargetMetric = options.TargetMetric,
                TargetWeight = Exact(options.TargetWeight),
                TargetNumberOfNeighbors = options.TargetNumberOfNeighbors,
                NeighborsWithinLabel = options.NeighborsWithinLabel,
                PrecomputedNeighborIndicesColumnName = options.PrecomputedNeighborIndicesColumnName,
                PrecomputedNeighborDistancesColumnName = options.PrecomputedNeighborDistancesColumnName,
                Density = options.DensityRegularization ? density : null,
                Seed = unchecked((ulong)(uint)seed),
                NumberOfThreads = options.NumberOfThreads ?? UmapParameters.DefaultThreads,
            };
            _parameters.Validate();
            if (options.Parametric is UmapEncoderOptions parametric)
            {
                UmapParameters.Check(Enum.IsDefined(parametric.Training), "Parametric.Training", parametric.Training, "is not a known way of training the encoder");
                _encoder = parametric.ToSettings();
                _encoder.Validate();
            }
        }

        /// <summary>The name of the input column.</summary>
        public string InputColumnName => _options.InputColumnName;

        /// <summary>The former name of <see cref="InputColumnName"/>.</summary>
        [Obsolete("Use InputColumnName, the name ML.NET's transforms use.")]
        [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
        public string FeatureColumnName => InputColumnName;

        /// <summary>The name of the output column.</summary>
        public string OutputColumnName => _options.OutputColumnName;

        /// <summary>
        /// The schema after the transform: the input's columns plus the embedding, a known-size vector of
        /// <see cref="float"/> of length <see cref="Options.NumberOfComponents"/>.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a vector of <see cref="float"/>.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            FeatureColumnReader.Check(inputSchema, InputColumnName);
            if (_options.LabelColumnName != null)
                LabelColumnReader.Check(inputSchema, _options.LabelColumnName, _options.TargetMetric);
            if (_options.PrecomputedNeighborIndicesColumnName is string indices && _options.PrecomputedNeighborDistancesColumnName is string distances)
                PrecomputedNeighborsReader.Check(inputSchema, indices, distances);
            var columns = new List<SchemaShape.Column>();
            foreach (var column in inputSchema)
            {
                if (column.Name != OutputColumnName)
                    columns.Add(column);
            }
            columns.Add(MlNetInternals.NewSchemaShapeColumn(OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, null!));
            return new SchemaShape(columns);
        }

        /// <summary>Fits UMAP to the rows of <paramref name="input"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a vector of <see cref="float"/>.</exception>
        /// <exception cref="InvalidOperationException">The data are unusable: no rows, rows of different lengths, or NaN/∞ values (the message names the row).</exception>
        /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
        public UmapTransformer Fit(IDataView input) => Fit(input, _options.CancellationToken);

        /// <summary>Fits UMAP to the rows of <paramref name="input"/>, observing <paramref name="cancellationToken"/> as well as the options' token.</summary>
        /// <inheritdoc cref="Fit(IDataView)"/>
        public UmapTransformer Fit(IDataView input, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(input);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _options.CancellationToken);
            using var channel = _host.Start("UMAP");
            using var monitor = new FitMonitor(
                _options.Progress,
                message => channel.Info(MessageSensitivity.None, message),
                message => channel.Warning(MessageSensitivity.None, message),
                linked.Token);
            try
            {
                return Fit(input, monitor, channel);
            }
            finally
            {
                // A Progress<T> delivers on the thread pool: let the last reports arrive before Fit returns.
                monitor.WaitForDelivery(TimeSpan.FromSeconds(2));
            }
        }

        private UmapTransformer Fit(IDataView input, FitMonitor monitor, IChannel channel)
        {
            Core.Numerics.VectorSet data;
            using (monitor.Stage(UmapStage.ReadingData, $"Reading column '{InputColumnName}'"))
                data = FeatureColumnReader.Read(input, InputColumnName, _parameters.Domain, monitor, _parameters.NumberOfThreads);
            if (data.Count == 0)
                throw new InvalidOperationException($"UMAP needs at least one row to fit; column '{InputColumnName}' has none.");
            if (_parameters.Metric == UmapMetric.Precomputed && Core.Neighbors.PrecomputedDistanceSearch.Violation(data) is string violation)
                throw new InvalidOperationException($"Column '{InputColumnName}'{violation}.");
            channel.Info(MessageSensitivity.None, $"Fitting UMAP to {data.Count} rows of {data.Dimension} features, stored {(data.IsSparse ? "sparse" : "dense")} (seed {_parameters.Seed}).");

            SupervisionTarget? target = null;
            if (_options.LabelColumnName != null)
            {
                target = LabelColumnReader.Read(input, _options.LabelColumnName, _options.TargetMetric, monitor);
                int unlabelled = target.Classes?.Count(c => c < 0) ?? 0;
                channel.Info(MessageSensitivity.None, $"Supervised by column '{_options.LabelColumnName}' ({_options.TargetMetric}, weight {_parameters.TargetWeight}){(unlabelled > 0 ? $"; {unlabelled} rows unlabelled" : "")}.");
            }

            Core.Neighbors.KnnGraph? neighbors = null;
            if (_parameters.PrecomputedNeighborIndicesColumnName is string indices && _parameters.PrecomputedNeighborDistancesColumnName is string distances)
            {
                using (monitor.Stage(UmapStage.ReadingData, $"Reading the precomputed neighbours in '{indices}' and '{distances}'"))
                    neighbors = PrecomputedNeighborsReader.ReadTraining(input, indices, distances, data.Count, Math.Min(_parameters.NumberOfNeighbors, data.Count), _parameters.NumberOfNeighbors, monitor);
            }

            if (_encoder is not null)
            {
                var parametric = Core.Parametric.ParametricFitter.Fit(data, _parameters, _encoder, monitor, target, neighbors);
                return new UmapTransformer(parametric.Model, InputColumnName, OutputColumnName, parametric.StageDurations);
            }
            var fit = UmapFitter.Fit(data, _parameters, monitor, target, neighbors);
            return new UmapTransformer(fit.Model, InputColumnName, OutputColumnName, fit.StageDurations);
        }

        private static void CheckPrecomputedNeighborColumns(Options options)
        {
            string? indices = options.PrecomputedNeighborIndicesColumnName, distances = options.PrecomputedNeighborDistancesColumnName;
            if (indices is null && distances is null)
                return;
            if (string.IsNullOrWhiteSpace(indices) || string.IsNullOrWhiteSpace(distances))
                throw new ArgumentException($"PrecomputedNeighborIndicesColumnName and PrecomputedNeighborDistancesColumnName name two columns and are set together (they are {Describe(indices)} and {Describe(distances)}).", nameof(options));
            if (indices == distances || indices == options.InputColumnName || distances == options.InputColumnName)
                throw new ArgumentException($"The precomputed neighbours' indices ('{indices}'), their distances ('{distances}') and the features ('{options.InputColumnName}') must be three different columns.", nameof(options));

            static string Describe(string? name) => name is null ? "null" : $"'{name}'";
        }

        private static Core.Numerics.RowMatrix CoordinatesMatrix(float[][] rows, int components)
        {
            var values = new float[checked(rows.Length * components)];
            for (int i = 0; i < rows.Length; i++)
            {
                var row = rows[i];
                if (row?.Length != components)
                    UmapParameters.Reject(nameof(Options.InitialCoordinates), $"row {i} of {row?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} values", $"needs NumberOfComponents ({components}) values in every row");
                for (int d = 0; d < components; d++)
                {
                    if (!float.IsFinite(row[d]))
                        UmapParameters.Reject(nameof(Options.InitialCoordinates), $"{row[d].ToString(CultureInfo.InvariantCulture)} in row {i}", "must hold finite coordinates");
                }
                row.CopyTo(values, i * components);
            }
            return new Core.Numerics.RowMatrix(values, rows.Length, components);
        }

        /// <summary>The double nearest to the decimal a user typed as a float (0.1f becomes 0.1, not 0.100000001490116).</summary>
        private static double Exact(float value) =>
            double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
