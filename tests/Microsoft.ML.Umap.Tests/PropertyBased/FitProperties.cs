using System;
using System.IO;
using System.Linq;
using CsCheck;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Model;
using Xunit;
using Xunit.Abstractions;
using Microsoft.ML.Umap.Tests.Helpers;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>Every option of a fit, each drawn from its documented range (see <see cref="UmapLimits"/>).</summary>
    public sealed record FitSettings(
        int Components, int Neighbors, double Spread, double MinimumDistanceFraction, int? Epochs, double LearningRate,
        int NegativeSampleRate, double RepulsionStrength, double LocalConnectivity, double SetOperationMixRatio,
        UmapInitialization Initialization, UmapMetric Metric, double MinkowskiP, UmapNeighborSearch Search,
        UmapTargetMetric TargetMetric, double TargetWeight, bool WithinLabel, bool DensityRegularization,
        int? TransformEpochs, int Threads, int Seed)
    {
        public UmapEstimator.Options ToOptions(int rows) => new UmapEstimator.Options
        {
            NumberOfComponents = Components,
            NumberOfNeighbors = Neighbors,
            Spread = (float)Spread,
            MinimumDistance = (float)(Spread * MinimumDistanceFraction),
            NumberOfEpochs = Epochs,
            LearningRate = (float)LearningRate,
            NegativeSampleRate = NegativeSampleRate,
            RepulsionStrength = (float)RepulsionStrength,
            LocalConnectivity = (float)LocalConnectivity,
            SetOperationMixRatio = (float)SetOperationMixRatio,
            Initialization = Initialization,
            InitialCoordinates = Initialization == UmapInitialization.Custom ? Coordinates(rows) : null,
            Metric = Metric,
            MinkowskiP = MinkowskiP,
            CustomDistance = Metric == UmapMetric.Custom ? Manhattan : null,
            NeighborSearch = Search,
            TargetMetric = TargetMetric,
            TargetWeight = (float)TargetWeight,
            NeighborsWithinLabel = WithinLabel,
            DensityRegularization = DensityRegularization,
            NumberOfTransformEpochs = TransformEpochs,
            NumberOfThreads = Threads,
            Seed = Seed,
        };

        private float[][] Coordinates(int rows)
        {
            var rng = new Random(Seed);
            return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Components).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray()).ToArray();
        }

        private static float Manhattan(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            float sum = 0;
            for (int i = 0; i < x.Length; i++)
                sum += Math.Abs(x[i] - y[i]);
            return sum;
        }
    }

    /// <summary>
    /// The library's reliability property: whatever the data's shape and values, and whatever the options within their
    /// ranges, a fit and a transform either give finite coordinates of the right shape, or throw a documented
    /// exception that says what is wrong. A model that fits also saves, loads, and places new rows exactly as before.
    /// </summary>
    public class FitProperties
    {
        private readonly ITestOutputHelper _output;

        public FitProperties(ITestOutputHelper output) => _output = output;

        private static Gen<double> LogUniform(double min, double max) => Gen.Double[Math.Log(min), Math.Log(max)].Select(Math.Exp);

        internal static readonly Gen<DataShape> Shapes =
            Gen.Select(
                Gen.Bool,
                Gen.Frequency((6, Gen.Int[1, 60]), (3, Gen.Int[61, 600]), (1, Gen.Int[601, 2500])),
                Gen.Frequency((5, Gen.Int[1, 20]), (3, Gen.Int[21, 200]), (1, Gen.Int[201, 800])),
                Gen.Frequency((3, Gen.Int[1, 1000]), (3, Gen.Int[1001, 1 << 16]), (2, Gen.Int[(1 << 16) + 1, 1 << 22])),
                Gen.Frequency((1, Gen.Const(0.0)), (4, LogUniform(1e-5, 0.5))),
                Gen.Enum<ValueDistribution>(),
                Gen.Enum<LabelShape>(),
                Gen.Int[0, 1_000_000])
            .Select((sparse, rows, denseWidth, sparseWidth, density, values, labels, seed) =>
                new DataShape(rows, sparse ? sparseWidth : denseWidth, sparse, density, values, labels, seed));

        internal static readonly Gen<FitSettings> Settings =
            Gen.Select(
                Gen.Select(
                    Gen.Frequency((8, Gen.Int[1, 3]), (2, Gen.Int[4, 50])),
                    Gen.Frequency((8, Gen.Int[2, 30]), (1, Gen.Int[31, UmapLimits.MaximumNeighbors])),
                    Gen.Frequency((4, Gen.Const(1.0)), (1, LogUniform(UmapLimits.MinimumSpread, UmapLimits.MaximumSpread))),
                    Gen.Frequency((1, Gen.Const(0.0)), (4, Gen.Double[0, 1])),
                    Gen.Frequency((6, Gen.Int[0, 40].Select(e => (int?)e)), (1, Gen.Const((int?)null))),
                    Gen.Frequency((4, Gen.Const(1.0)), (2, LogUniform(1e-3, 10)), (1, LogUniform(10, UmapLimits.MaximumLearningRate))),
                    Gen.Frequency((6, Gen.Int[0, 10]), (1, Gen.Int[11, (int)UmapLimits.MaximumNegativeSampleRate]))),
                Gen.Select(
                    Gen.Frequency((4, Gen.Const(1.0)), (2, Gen.Double[0, 10]), (1, LogUniform(10, UmapLimits.MaximumRepulsionStrength))),
                    Gen.Frequency((4, Gen.Const(1.0)), (2, Gen.Double[0, 5]), (1, LogUniform(5, UmapLimits.MaximumLocalConnectivity))),
                    Gen.Frequency((3, Gen.Const(1.0)), (1, Gen.Double[0, 1])),
                    Gen.Enum<UmapInitialization>(),
                    Gen.Enum<UmapMetric>(),
                    LogUniform(UmapLimits.MinimumMinkowskiP, UmapLimits.MaximumMinkowskiP),
                    Gen.Enum<UmapNeighborSearch>()),
                Gen.Select(
                    Gen.Enum<UmapTargetMetric>(),
                    Gen.Double[0, 1],
                    Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true))),
                    Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true))),
                    Gen.Frequency((2, Gen.Const((int?)null)), (1, Gen.Int[0, 50].Select(e => (int?)e))),
                    Gen.Int[1, 4],
                    Gen.Int[0, 1_000_000]))
            .Select((a, b, c) => new FitSettings(
                a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7,
                b.Item1, b.Item2, b.Item3, b.Item4, b.Item5, b.Item6, b.Item7,
                c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, c.Item7));

        /// <summary>
        /// Keeps each case's work bounded: the default epoch count (500) only on small data, and custom distances (which
        /// see every row at its full width) on sparse columns of at most 4,096 slots.
        /// </summary>
        internal static readonly Gen<(DataShape Data, FitSettings Settings)> Cases =
            Gen.Select(Shapes, Settings).Select((data, settings) =>
                (settings.Metric == UmapMetric.Custom && data.Dimension > 4096 ? data with { Dimension = 4096 } : data,
                 settings.Epochs is null && data.Rows > 200 ? settings with { Epochs = 20 } : settings));

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AFitAndItsTransformAreFiniteOrFailWithAContractException() =>
            PropertyRunner.Run(Cases, c => Check(c.Data, c.Settings), ciCases: 120, _output);

        /// <summary>
        /// Data at the sizes where the fit uses NN-descent and new rows walk coded copies of the training rows (4,096
        /// rows and up), with the values that leave the codes degenerate: constant columns, integer grids, repeated rows.
        /// </summary>
        internal static readonly Gen<(DataShape Data, FitSettings Settings)> NeighbourDescentCases =
            Gen.Select(
                Gen.Int[4096, 6000],
                Gen.Frequency((3, Gen.Int[1, 40]), (1, Gen.Int[41, 300])),
                Gen.OneOfConst(ValueDistribution.EveryColumnConstant, ValueDistribution.AllButOneColumnConstant, ValueDistribution.OneRowRepeated,
                    ValueDistribution.ConstantColumns, ValueDistribution.Counts, ValueDistribution.FewDistinctRows),
                Gen.Int[0, 1_000_000],
                Settings)
            .Select((rows, width, values, seed, settings) =>
                (new DataShape(rows, width, Sparse: false, Density: 0, values, LabelShape.None, seed),
                 settings with
                 {
                     Epochs = Math.Min(settings.Epochs ?? 10, 10),
                     Neighbors = Math.Min(settings.Neighbors, 30),
                     // Euclidean most of the time: the metric whose new rows walk the coded copy.
                     Metric = settings.Seed % 4 != 0 || settings.Metric is UmapMetric.Custom or UmapMetric.Precomputed ? UmapMetric.Euclidean : settings.Metric,
                     Search = UmapNeighborSearch.Auto,
                     WithinLabel = false,
                     Initialization = settings.Initialization == UmapInitialization.Custom ? UmapInitialization.Random : settings.Initialization,
                     DensityRegularization = false,
                 }));

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void DegenerateDataAtNeighbourDescentSizesFitsAndPlacesNewRows() =>
            PropertyRunner.Run(NeighbourDescentCases, c => Check(c.Data, c.Settings), ciCases: 12, _output);

        /// <summary>The encoder of a parametric fit, each setting drawn from its documented range.</summary>
        internal static readonly Gen<UmapEncoderOptions> Encoders =
            Gen.Select(
                Gen.Int[0, 3].SelectMany(layers => Gen.Frequency((4, Gen.Int[1, 64]), (1, Gen.Int[65, 300])).Array[layers]),
                Gen.Int[0, 4],
                Gen.Int[0, 2],
                Gen.Frequency((3, Gen.Int[1, 64]), (2, Gen.Int[65, 1024])),
                Gen.Frequency((3, LogUniform(1e-4, 0.1)), (1, LogUniform(1e-7, 1))),
                Gen.Enum<UmapEncoderTraining>())
            .Select((layers, epochs, refinement, batch, rate, training) => new UmapEncoderOptions
            {
                HiddenLayerSizes = layers,
                NumberOfEpochs = epochs,
                NumberOfRefinementEpochs = refinement,
                BatchSize = batch,
                LearningRate = (float)Math.Min(rate, 1.0),
                Training = training,
            });

        /// <summary>Parametric fits on data of up to 600 rows (training passes over every row), with the options of any fit.</summary>
        internal static readonly Gen<(DataShape Data, FitSettings Settings, UmapEncoderOptions Encoder, string Described)> ParametricCases =
            Gen.Select(Cases, Encoders).Select((c, encoder) =>
                (c.Data with { Rows = Math.Min(c.Data.Rows, 600) }, c.Settings.Epochs is null ? c.Settings with { Epochs = 20 } : c.Settings, encoder,
                 $"encoder [{string.Join(", ", encoder.HiddenLayerSizes)}], {encoder.NumberOfEpochs} + {encoder.NumberOfRefinementEpochs} epochs, batch {encoder.BatchSize}, rate {encoder.LearningRate}, {encoder.Training}"));

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void AParametricFitAndItsTransformAreFiniteOrFailWithAContractException() =>
            PropertyRunner.Run(ParametricCases, c => Check(c.Data, c.Settings, c.Encoder), ciCases: 60, _output);

        internal static string Check(DataShape shape, FitSettings settings, UmapEncoderOptions? encoder = null)
        {
            var ml = new MLContext(seed: 1);
            var options = settings.ToOptions(shape.Rows);
            options.Parametric = encoder;
            if (shape.Labels != LabelShape.None)
                options.LabelColumnName = "Label";
            var training = shape.Load(ml, shape.Rows, shape.Seed);

            UmapEstimator? estimator = null;
            var refused = PropertyRunner.ContractOnly(() => estimator = ml.Transforms.Umap(options));
            if (refused != null)
                return Outcome("options refused", refused);
            UmapTransformer? model = null;
            refused = PropertyRunner.ContractOnly(() => model = estimator!.Fit(training));
            if (refused != null)
                return Outcome("fit refused", refused);

            if (encoder != null)
                return CheckParametric(ml, shape, settings, model!, training);

            // The training rows get their training embedding: no exception is acceptable here.
            AssertFinite(Embed(model!, training), shape.Rows, settings.Components);

            var fresh = shape.Load(ml, 3, shape.Seed + 1);
            float[][]? placed = null;
            var placing = PropertyRunner.ContractOnly(() => placed = Embed(model!, fresh));
            if (placing is null)
                AssertFinite(placed!, 3, settings.Components);

            var saving = PropertyRunner.ContractOnly(() => ThrowIfNotSaveable(model!));
            if (saving is null)
            {
                using var stream = new MemoryStream();
                model!.Save(stream);
                stream.Position = 0;
                var loaded = UmapTransformer.Load(ml, stream);
                Assert.Equal(model!.GetTrainingEmbedding(), loaded.GetTrainingEmbedding());
                if (placed != null)
                    Assert.Equal(placed, Embed(loaded, fresh));
            }
            return Outcome("fitted", placing) + (saving is null ? ", saved and reloaded" : Outcome(", not saveable", saving));
        }

        /// <summary>
        /// A parametric model embeds every row, training rows included, by the network: finite coordinates, or the
        /// documented refusal of a row whose coordinates overflow; saved and loaded, it gives the same bits.
        /// </summary>
        private static string CheckParametric(MLContext ml, DataShape shape, FitSettings settings, UmapTransformer model, IDataView training)
        {
            Assert.True(model.IsParametric);
            float[][]? embedded = null;
            var embedding = PropertyRunner.ContractOnly(() => embedded = Embed(model, training));
            if (embedding is null)
                AssertFinite(embedded!, shape.Rows, settings.Components);
            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var loaded = UmapTransformer.Load(ml, stream);
            Assert.Equal(model.EncoderLayerSizes, loaded.EncoderLayerSizes);
            if (embedded != null)
                Assert.Equal(embedded, Embed(loaded, training));
            return Outcome("fitted parametric", embedding) + ", saved and reloaded";
        }

        /// <summary>An outcome for the summary: what happened and, for a refusal, the kind and the start of its message.</summary>
        private static string Outcome(string what, Exception? e)
        {
            if (e is null)
                return what + (what == "fitted" ? ", new rows placed" : "");
            string message = e.Message.Length > 90 ? e.Message.Substring(0, 90) + "…" : e.Message;
            return $"{what}{(what == "fitted" ? ", placing new rows refused" : "")}: {e.GetType().Name}: {message}";
        }

        private static void ThrowIfNotSaveable(UmapTransformer model) => model.Save(Stream.Null);

        private static float[][] Embed(ITransformer model, IDataView data) =>
            model.Transform(data).GetColumn<float[]>("Embedding").ToArray();

        private static void AssertFinite(float[][] embedding, int rows, int components)
        {
            Assert.Equal(rows, embedding.Length);
            foreach (var row in embedding)
            {
                Assert.Equal(components, row.Length);
                foreach (float v in row)
                    Assert.True(float.IsFinite(v), $"non-finite coordinate {v}");
            }
        }
    }
}
