using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Layout;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    public class UmapEstimatorTests
    {
        private static IDataView Blobs(MLContext ml, int seed = 1) =>
            MlNetData.Load(ml, TestMatrices.Blobs(3, 40, 6, 8, seed).Data, TestMatrices.Blobs(3, 40, 6, 8, seed).Labels);

        private static UmapEstimator.Options Quick(int? seed = 1) => new UmapEstimator.Options
        {
            InputColumnName = "Features",
            OutputColumnName = "Embedding",
            NumberOfEpochs = 50,
            Seed = seed,
        };

        [Fact]
        public void CatalogOverloadsSetTheirOptions()
        {
            var ml = new MLContext(seed: 1);
            var estimator = ml.Transforms.Umap("Out", "In", numberOfComponents: 3, numberOfNeighbors: 7, minimumDistance: 0.2f);
            Assert.Equal("Out", estimator.OutputColumnName);
            Assert.Equal("In", estimator.InputColumnName);
            Assert.Equal("Features", ml.Transforms.Umap("Features").InputColumnName);
        }

        [Fact]
        public void OutputSchemaAppendsAKnownSizeSingleVector()
        {
            var ml = new MLContext(seed: 1);
            var data = Blobs(ml);
            var estimator = ml.Transforms.Umap(new UmapEstimator.Options { NumberOfComponents = 3, NumberOfEpochs = 10 });
            var shape = estimator.GetOutputSchema(SchemaShapes.Of(data.Schema));
            var column = shape.Single(c => c.Name == "Embedding");
            Assert.Equal(SchemaShape.Column.VectorKind.Vector, column.Kind);
            Assert.Equal(NumberDataViewType.Single, column.ItemType);

            var model = estimator.Fit(data);
            var schema = model.GetOutputSchema(data.Schema);
            Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), schema["Embedding"].Type);
            Assert.Equal(data.Schema.Count + 1, schema.Count);
            Assert.Equal(schema["Embedding"].Type, model.Transform(data).Schema["Embedding"].Type);
        }

        public static TheoryData<string, Type, string> BadColumns() => new()
        {
            { "Missing", typeof(FeatureRow), "Input column 'Missing' not found" },
            { "Label", typeof(FeatureRow), "Schema mismatch for input column 'Label': expected known-size or variable-size vector of Single, got Int32" },
            { "Doubles", typeof(DoubleRow), "Schema mismatch for input column 'Doubles': expected known-size or variable-size vector of Single, got Vector<Double" },
            { "Text", typeof(DoubleRow), "Schema mismatch for input column 'Text': expected known-size or variable-size vector of Single, got String" },
        };

        [Theory]
        [MemberData(nameof(BadColumns))]
        public void WrongColumnsAreRejectedByNameAndTypeInBothSchemaCheckAndFit(string column, Type rowType, string message)
        {
            var ml = new MLContext(seed: 1);
            IDataView data = rowType == typeof(FeatureRow)
                ? Blobs(ml)
                : ml.Data.LoadFromEnumerable(new[] { new DoubleRow { Doubles = new double[] { 1, 2 }, Text = "a" } });
            var estimator = ml.Transforms.Umap("Embedding", column);
            var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapes.Of(data.Schema)));
            Assert.Contains(message, e1.Message);
            var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
            Assert.Contains(message, e2.Message);
        }

        public sealed class DoubleRow
        {
            [VectorType(2)]
            public double[] Doubles { get; set; } = Array.Empty<double>();

            public string Text { get; set; } = string.Empty;
        }

        [Theory]
        [InlineData(nameof(UmapEstimator.Options.NumberOfComponents), 0)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfNeighbors), 1)]
        [InlineData(nameof(UmapEstimator.Options.MinimumDistance), -0.5)]
        [InlineData(nameof(UmapEstimator.Options.MinimumDistance), 2.0)]
        [InlineData(nameof(UmapEstimator.Options.Spread), 0)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfEpochs), -1)]
        [InlineData(nameof(UmapEstimator.Options.LearningRate), 0)]
        [InlineData(nameof(UmapEstimator.Options.LearningRate), double.NaN)]
        [InlineData(nameof(UmapEstimator.Options.NegativeSampleRate), -1)]
        [InlineData(nameof(UmapEstimator.Options.RepulsionStrength), -1)]
        [InlineData(nameof(UmapEstimator.Options.LocalConnectivity), -1)]
        [InlineData(nameof(UmapEstimator.Options.SetOperationMixRatio), 1.5)]
        [InlineData(nameof(UmapEstimator.Options.A), -1)]
        [InlineData(nameof(UmapEstimator.Options.B), 0)]
        [InlineData(nameof(UmapEstimator.Options.Initialization), 99)]
        [InlineData(nameof(UmapEstimator.Options.Metric), 99)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfThreads), 0)]
        [InlineData(nameof(UmapEstimator.Options.MinkowskiP), 0)]
        [InlineData(nameof(UmapEstimator.Options.TargetWeight), -0.1)]
        [InlineData(nameof(UmapEstimator.Options.TargetNumberOfNeighbors), 1)]
        [InlineData(nameof(UmapEstimator.Options.NumberOfTransformEpochs), -1)]
        [InlineData(nameof(UmapEstimator.Options.NeighborSearch), 99)]
        [InlineData(nameof(UmapEstimator.Options.DensityRegularizationStrength), -1)]
        [InlineData(nameof(UmapEstimator.Options.DensityRegularizationFraction), 1.5)]
        [InlineData(nameof(UmapEstimator.Options.DensityRegularizationVarianceShift), double.PositiveInfinity)]
        public void InvalidOptionsAreRejectedByName(string option, double value)
        {
            var options = new UmapEstimator.Options();
            var property = typeof(UmapEstimator.Options).GetProperty(option);
            var type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            property.SetValue(options, type.IsEnum ? Enum.ToObject(type, (int)value) : Convert.ChangeType(value, type));
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.Umap(options));
            Assert.Equal(option, e.ParamName);
            Assert.Contains(option, e.Message);
        }

        [Fact]
        public void MissingColumnNamesAreRejected()
        {
            Assert.Throws<ArgumentException>(() => new MLContext().Transforms.Umap(new UmapEstimator.Options { InputColumnName = " " }));
            Assert.Throws<ArgumentNullException>(() => new MLContext().Transforms.Umap((UmapEstimator.Options)null!));
        }

        [Fact]
        public void NanInAFeatureNamesTheColumnAndRow()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 30).Select(i => new FeatureRow { Features = new[] { i, 1f, 2f } }).ToList();
            rows[17].Features[1] = float.NaN;
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, rows, 3)));
            Assert.Contains("'Features'", e.Message);
            Assert.Contains("row index 17", e.Message);
            Assert.Contains("NaN", e.Message);

            rows[17].Features[1] = float.PositiveInfinity;
            e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, rows, 3)));
            Assert.Contains("row index 17", e.Message);
        }

        [Fact]
        public void RowsOfDifferingLengthInAVariableSizeColumnNameTheRow()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 30).Select(i => new FeatureRow { Features = new[] { i, 1f, 2f } }).ToList();
            rows[9].Features = new[] { 1f, 2f };
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, rows, 0)));
            Assert.Contains("'Features'", e.Message);
            Assert.Contains("row index 9", e.Message);
        }

        [Fact]
        public void VariableSizeColumnsOfEqualLengthAreAccepted()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 40).Select(i => new FeatureRow { Features = new[] { i % 7, i % 5, 1f } }).ToList();
            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, rows, 0));
            Assert.Equal(40, model.TrainingRowCount);
        }

        [Fact]
        public void NoRowsIsAClearError()
        {
            var ml = new MLContext(seed: 1);
            var e = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, new List<FeatureRow>(), 3)));
            Assert.Contains("at least one row", e.Message);
        }

        [Fact]
        public void FewerRowsThanNeighboursShrinksTheNeighbourhoodWithAWarning()
        {
            var ml = new MLContext(seed: 1);
            var messages = new List<string>();
            ml.Log += (_, e) => messages.Add(e.Message);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(8, 3, seed: 5));
            var model = ml.Transforms.Umap(Quick()).Fit(data);
            Assert.Equal(8, model.Parameters.NumberOfNeighbors);
            Assert.Contains(messages, m => m.Contains("NumberOfNeighbors (15) is larger than the number of rows (8)", StringComparison.Ordinal));
            Assert.All(model.GetTrainingEmbedding().SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void TinyDataGivesFiniteEmbeddings(int rows)
        {
            var ml = new MLContext(seed: 1);
            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, TestMatrices.Gaussian(rows, 3, seed: rows)));
            var embedding = model.GetTrainingEmbedding();
            Assert.Equal(rows, embedding.Length);
            Assert.All(embedding.SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
            if (rows == 1)
                Assert.Equal(new[] { 0f, 0f }, embedding[0]); // documented: a single row sits at the origin
        }

        [Fact]
        public void IdenticalRowsGiveFiniteEmbeddings()
        {
            var ml = new MLContext(seed: 1);
            var rows = Enumerable.Range(0, 50).Select(_ => new FeatureRow { Features = new[] { 1f, 2f, 3f } }).ToList();
            var model = ml.Transforms.Umap(Quick()).Fit(MlNetData.Load(ml, rows, 3));
            Assert.All(model.GetTrainingEmbedding().SelectMany(r => r), v => Assert.True(float.IsFinite(v)));
        }

        [Fact]
        public void SeedFromTheContextMakesFitsReproducible()
        {
            float[][] Fit(int contextSeed) => new MLContext(seed: contextSeed).Transforms.Umap(Quick(seed: null)).Fit(Blobs(new MLContext())).GetTrainingEmbedding();
            Assert.Equal(Fit(1), Fit(1));
            Assert.NotEqual(Fit(1), Fit(2));
        }

        [Fact]
        public void ExplicitSeedWinsAndFittingTwiceGivesTheSameModel()
        {
            var data = Blobs(new MLContext());
            var estimator = new MLContext(seed: 3).Transforms.Umap(Quick(seed: 11));
            var first = estimator.Fit(data);
            Assert.Equal(first.GetTrainingEmbedding(), estimator.Fit(data).GetTrainingEmbedding());
            Assert.Equal(first.GetTrainingEmbedding(), new MLContext(seed: 99).Transforms.Umap(Quick(seed: 11)).Fit(data).GetTrainingEmbedding());
            Assert.Equal(11, first.Parameters.Seed);
        }

        [Fact]
        public void ThreadCountDoesNotChangeTheResult()
        {
            var data = Blobs(new MLContext());
            float[][] Fit(int threads)
            {
                var options = Quick();
                options.NumberOfThreads = threads;
                return new MLContext().Transforms.Umap(options).Fit(data).GetTrainingEmbedding();
            }
            Assert.Equal(Fit(1), Fit(2));
        }

        [Fact]
        public void EffectiveParametersAreExposed()
        {
            var model = new MLContext(seed: 1).Transforms.Umap(Quick()).Fit(Blobs(new MLContext()));
            var (a, b) = CurveFit.FindAB(1.0, 0.1);
            Assert.Equal(a, model.Parameters.A, 12);
            Assert.Equal(b, model.Parameters.B, 12);
            Assert.Equal(0.1, model.Parameters.MinimumDistance, 12); // the float option becomes exactly 0.1
            Assert.Equal(50, model.Parameters.NumberOfEpochs);
            Assert.Equal(UmapInitialization.Spectral, model.Parameters.Initialization);
            Assert.Equal(15, model.Parameters.NumberOfNeighbors);
            Assert.Equal(2, model.Parameters.NumberOfComponents);

            var options = Quick();
            options.A = 2f;
            options.B = 1f;
            options.NumberOfEpochs = null;
            var given = new MLContext(seed: 1).Transforms.Umap(options).Fit(Blobs(new MLContext()));
            Assert.Equal(2.0, given.Parameters.A);
            Assert.Equal(1.0, given.Parameters.B);
            Assert.Equal(500, given.Parameters.NumberOfEpochs); // umap-learn's default below 10,000 rows
        }

        [Fact]
        public void ProgressReportsEveryStageInOrderAndTheLogShowsTheChannel()
        {
            var ml = new MLContext(seed: 1);
            var log = new List<LoggingEventArgs>();
            ml.Log += (_, e) => log.Add(e);
            var reports = new List<UmapProgress>();
            var options = Quick();
            options.Progress = new SynchronousProgress(reports.Add);
            ml.Transforms.Umap(options).Fit(Blobs(ml));

            var stages = reports.Select(r => r.Stage).Distinct().ToList();
            Assert.Equal(Enum.GetValues<UmapStage>().Where(s => s != UmapStage.EncoderTraining), stages);
            var epochs = reports.Where(r => r.Stage == UmapStage.Layout && r.Completed > 0).Select(r => r.Completed).ToList();
            Assert.Equal(new long[] { 5, 10, 15, 20, 25, 30, 35, 40, 45, 50 }, epochs);
            Assert.Contains(log, e => e.Source.Contains("UMAP", StringComparison.Ordinal) && e.Message.Contains("Optimising the layout", StringComparison.Ordinal));
            Assert.Contains(log, e => e.Message.Contains("epoch 50 of 50", StringComparison.Ordinal));
        }

        [Fact]
        public void CancellationThroughOptionsOrFitStopsTheFit()
        {
            var ml = new MLContext(seed: 1);
            var data = Blobs(ml);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var options = Quick();
            options.CancellationToken = cts.Token;
            Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms.Umap(options).Fit(data));
            Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms.Umap(Quick()).Fit(data, cts.Token));
        }

        [Fact]
        public void CancellingDuringTheLayoutStopsWithinAnEpoch()
        {
            var ml = new MLContext(seed: 1);
            using var cts = new CancellationTokenSource();
            var options = Quick();
            options.NumberOfEpochs = 1000;
            long lastEpoch = 0;
            options.Progress = new SynchronousProgress(p =>
            {
                if (p.Stage == UmapStage.Layout)
                {
                    lastEpoch = p.Completed;
                    if (p.Completed >= 100)
                        cts.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms.Umap(options).Fit(Blobs(ml), cts.Token));
            Assert.Equal(100, lastEpoch);
        }

        /// <summary>Reports on the calling thread (System.Progress posts to the thread pool).</summary>
        private sealed class SynchronousProgress : IProgress<UmapProgress>
        {
            private readonly Action<UmapProgress> _report;

            public SynchronousProgress(Action<UmapProgress> report) => _report = report;

            public void Report(UmapProgress value) => _report(value);
        }
    }
}
