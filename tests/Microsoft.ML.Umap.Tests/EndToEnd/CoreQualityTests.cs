using System;
using System.Diagnostics;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Samples;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.EndToEnd
{
    public class CoreQualityTests
    {
        private readonly ITestOutputHelper _output;

        public CoreQualityTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void DigitsMeetsQualityBar()
        {
            var digits = Datasets.Digits();
            var data = new RowMatrix(digits.Features, digits.Rows, digits.Columns);
            var sw = Stopwatch.StartNew();
            var result = UmapFitter.Fit(data, new UmapParameters { Seed = 42 }, new FitMonitor(info: m => _output.WriteLine(m), warning: m => _output.WriteLine("WARN " + m)));
            _output.WriteLine($"fit {sw.Elapsed.TotalSeconds:F2} s");
            double knn = UmapMetrics.KnnAccuracy(result.Embedding, digits.Labels, 10, 5);
            double trust = UmapMetrics.Trustworthiness(data, result.Embedding, 15, null, 0);
            _output.WriteLine($"knn {knn:F4} trust {trust:F4}");
            Assert.True(knn >= 0.980, $"kNN accuracy {knn}");
            Assert.True(trust >= 0.983, $"trustworthiness {trust}");
        }
    }
}
