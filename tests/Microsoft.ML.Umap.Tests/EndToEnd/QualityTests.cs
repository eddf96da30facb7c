using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.EndToEnd
{
    /// <summary>
    /// Whole fits through the ML.NET API on real data, with default parameters, against quality bars set from
    /// umap-learn 0.5.3 on the same data (digits: kNN 0.985–0.988, trustworthiness 0.987; MNIST 10k: kNN 0.944,
    /// trustworthiness 0.960).
    /// </summary>
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class QualityTests
    {
        private readonly ITestOutputHelper _output;

        public QualityTests(ITestOutputHelper output) => _output = output;

        private (double Knn, double Trust) FitAndScore(LabelledData dataset, int? trustSample)
        {
            var ml = new MLContext(seed: 42);
            var matrix = new RowMatrix(dataset.Features, dataset.Rows, dataset.Columns);
            var data = MlNetData.Load(ml, matrix, dataset.Labels);
            var model = ml.Transforms.Umap("Embedding", "Features").Fit(data);
            var embedding = MlNetData.Embedding(ml, model.Transform(data));
            double knn = UmapMetrics.KnnAccuracy(embedding, dataset.Labels, neighbors: 10, folds: 5);
            double trust = UmapMetrics.Trustworthiness(dataset.ToJagged(), embedding, neighbors: 15, sampleSize: trustSample, seed: 1);
            _output.WriteLine($"{dataset.Rows} rows: kNN accuracy {knn:F4}, trustworthiness {trust:F4}; stages {string.Join(", ", model.StageDurations.Select(p => $"{p.Key} {p.Value.TotalSeconds:F2} s"))}");
            return (knn, trust);
        }

        [Fact]
        public void DigitsMeetTheQualityBar()
        {
            var (knn, trust) = FitAndScore(Datasets.Digits(), trustSample: null);
            Assert.True(knn >= 0.980, $"kNN accuracy {knn:F4} < 0.980");
            Assert.True(trust >= 0.983, $"trustworthiness {trust:F4} < 0.983");
        }

        [Fact]
        public void MnistTestDigitsMeetTheQualityBar()
        {
            // Trustworthiness on a 2,000-row sample (all 10,000 rows still count as neighbours).
            var (knn, trust) = FitAndScore(Datasets.Mnist("t10k"), trustSample: 2000);
            Assert.True(knn >= 0.92, $"kNN accuracy {knn:F4} < 0.92");
            Assert.True(trust >= 0.950, $"trustworthiness {trust:F4} < 0.950");
        }
    }
}
