using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.Reliability;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// Progress that reads right: stages in order, each from 0 to a total known from its first report, the
    /// fraction never falling, and every report delivered before Fit returns, even through System.Progress.
    /// </summary>
    public class ProgressTests
    {
        private sealed class Recorder : IProgress<UmapProgress>
        {
            public List<UmapProgress> Reports { get; } = new List<UmapProgress>();

            public void Report(UmapProgress value) => Reports.Add(value);
        }

        private static void AssertReadsRight(IReadOnlyList<UmapProgress> reports)
        {
            Assert.Equal(Enum.GetValues<UmapStage>().Where(s => s != UmapStage.EncoderTraining), reports.Select(r => r.Stage).Distinct());
            for (int i = 1; i < reports.Count; i++)
                Assert.True(reports[i].Stage >= reports[i - 1].Stage, $"report {i} ({reports[i]}) goes back to an earlier stage");
            foreach (var stage in reports.GroupBy(r => r.Stage))
            {
                var list = stage.ToList();
                Assert.Equal(0, list[0].Completed);
                Assert.All(list, r => Assert.Equal(list[0].Total, r.Total));
                Assert.All(list, r => Assert.InRange(r.Completed, 0, r.Total));
                for (int i = 1; i < list.Count; i++)
                    Assert.True(list[i].Fraction > list[i - 1].Fraction, $"{stage.Key}: {list[i - 1]} then {list[i]}");
                Assert.Equal(1.0, list[^1].Fraction);
            }
        }

        [Theory]
        [InlineData(UmapNeighborSearch.Exact, false)]
        [InlineData(UmapNeighborSearch.Approximate, false)]
        [InlineData(UmapNeighborSearch.Approximate, true)]
        public void EachStageRunsFromZeroToItsTotal(UmapNeighborSearch search, bool withinLabel)
        {
            var ml = new MLContext(seed: 1);
            var (data, labels) = TestMatrices.Blobs(3, 200, 6, 6.0, seed: 2);
            var recorder = new Recorder();
            var options = new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 30, NeighborSearch = search, Progress = recorder };
            if (withinLabel)
            {
                options.LabelColumnName = "Label";
                options.NeighborsWithinLabel = true;
            }
            ml.Transforms.Umap(options).Fit(MlNetData.Load(ml, data, labels));
            AssertReadsRight(recorder.Reports);
            Assert.Equal(600, recorder.Reports.First(r => r.Stage == UmapStage.ReadingData).Total);
        }

        [Fact]
        public void AViewThatDoesNotKnowItsRowCountIsCountedFirst()
        {
            var ml = new MLContext(seed: 1);
            var view = new UncountedView(MlNetData.Load(ml, TestMatrices.Gaussian(2000, 4, seed: 3)));
            var recorder = new Recorder();
            ml.Transforms.Umap(new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 5, Progress = recorder }).Fit(view);
            AssertReadsRight(recorder.Reports);
            var reading = recorder.Reports.Where(r => r.Stage == UmapStage.ReadingData).ToList();
            Assert.Equal(2000, reading[0].Total);
            Assert.Equal(2000, reading[^1].Completed);
        }

        [Fact]
        public async Task SystemProgressDeliversEveryReportBeforeFitReturns()
        {
            // Made on a thread without a synchronisation context, as in a console program: it posts to the thread pool.
            var delivered = new ConcurrentQueue<UmapProgress>();
            var progress = await Task.Run(() => new Progress<UmapProgress>(delivered.Enqueue));
            var recorder = new Recorder();
            var ml = new MLContext(seed: 1);
            var data = MlNetData.Load(ml, TestMatrices.Gaussian(500, 4, seed: 4));
            ml.Transforms.Umap(new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 40, Progress = recorder }).Fit(data);
            ml.Transforms.Umap(new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 40, Progress = progress }).Fit(data);
            Assert.Equal(recorder.Reports.Count, delivered.Count);
            Assert.Equal(recorder.Reports.OrderBy(r => (r.Stage, r.Completed)), delivered.OrderBy(r => (r.Stage, r.Completed)));
        }

        /// <summary>A view that does not say how many rows it has (as filters and streaming loaders do not).</summary>
        private sealed class UncountedView : IDataView
        {
            private readonly IDataView _inner;

            public UncountedView(IDataView inner) => _inner = inner;

            public bool CanShuffle => false;

            public DataViewSchema Schema => _inner.Schema;

            public long? GetRowCount() => null;

            public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => _inner.GetRowCursor(columnsNeeded, rand);

            public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => _inner.GetRowCursorSet(columnsNeeded, n, rand);
        }
    }
}
