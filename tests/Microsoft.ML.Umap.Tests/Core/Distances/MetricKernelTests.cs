using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Distances
{
    /// <summary>Every metric against hand-computed values, a plain scalar loop at every length, and its own sparse form.</summary>
    public class MetricKernelTests
    {
        /// <summary>Plain double-precision definitions (umap-learn's distances.py), the reference for the kernels.</summary>
        private static readonly Dictionary<UmapMetric, Func<float[], float[], double>> Reference = new()
        {
            [UmapMetric.Euclidean] = (x, y) => Math.Sqrt(x.Zip(y, (a, b) => (double)(a - b) * (a - b)).Sum()),
            [UmapMetric.SquaredEuclidean] = (x, y) => x.Zip(y, (a, b) => (double)(a - b) * (a - b)).Sum(),
            [UmapMetric.Manhattan] = (x, y) => x.Zip(y, (a, b) => Math.Abs((double)a - b)).Sum(),
            [UmapMetric.Chebyshev] = (x, y) => x.Zip(y, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(0).Max(),
            [UmapMetric.Minkowski] = (x, y) => Math.Pow(x.Zip(y, (a, b) => Math.Pow(Math.Abs((double)a - b), 3)).Sum(), 1.0 / 3),
            [UmapMetric.Canberra] = (x, y) => x.Zip(y, (a, b) => Math.Abs(a) + Math.Abs(b) > 0 ? Math.Abs((double)a - b) / (Math.Abs(a) + Math.Abs(b)) : 0).Sum(),
            [UmapMetric.BrayCurtis] = (x, y) =>
            {
                double num = x.Zip(y, (a, b) => Math.Abs((double)a - b)).Sum(), den = x.Zip(y, (a, b) => Math.Abs((double)a + b)).Sum();
                return den > 0 ? num / den : 0;
            },
            [UmapMetric.Cosine] = (x, y) =>
            {
                double dot = x.Zip(y, (a, b) => (double)a * b).Sum(), xx = x.Sum(a => (double)a * a), yy = y.Sum(b => (double)b * b);
                return xx == 0 && yy == 0 ? 0 : xx == 0 || yy == 0 ? 1 : 1 - dot / Math.Sqrt(xx * yy);
            },
            [UmapMetric.Correlation] = (x, y) =>
            {
                if (x.Length == 0)
                    return 0;
                double mx = x.Average(a => (double)a), my = y.Average(b => (double)b);
                double dot = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), xx = x.Sum(a => (a - mx) * (a - mx)), yy = y.Sum(b => (b - my) * (b - my));
                return xx == 0 && yy == 0 ? 0 : dot == 0 ? 1 : 1 - dot / Math.Sqrt(xx * yy);
            },
            [UmapMetric.Hellinger] = (x, y) =>
            {
                double roots = x.Zip(y, (a, b) => Math.Sqrt(Math.Max(0, (double)a * b))).Sum(), sx = x.Sum(a => (double)a), sy = y.Sum(b => (double)b);
                return sx == 0 && sy == 0 ? 0 : sx == 0 || sy == 0 ? 1 : Math.Sqrt(Math.Max(0, 1 - roots / Math.Sqrt(sx * sy)));
            },
            [UmapMetric.Hamming] = (x, y) => x.Length == 0 ? 0 : x.Zip(y, (a, b) => a != b ? 1.0 : 0.0).Sum() / x.Length,
            [UmapMetric.Jaccard] = (x, y) =>
            {
                double either = x.Zip(y, (a, b) => a != 0 || b != 0 ? 1.0 : 0).Sum(), both = x.Zip(y, (a, b) => a != 0 && b != 0 ? 1.0 : 0).Sum();
                return either == 0 ? 0 : (either - both) / either;
            },
        };

        private static INearestNeighborSearch Search(UmapMetric metric, VectorSet data) =>
            NeighborSearchFactory.Create(data, new Microsoft.ML.Umap.Core.Model.UmapParameters { Metric = metric, MinkowskiP = 3, NeighborSearch = UmapNeighborSearch.Exact, NumberOfThreads = 1 });

        private static float Measure(UmapMetric metric, float[] x, float[] y) =>
            Search(metric, new DenseVectorSet(new RowMatrix(x.Concat(y).ToArray(), 2, x.Length))).Measure(VectorView.Dense(x), VectorView.Dense(y));

        public static TheoryData<UmapMetric> Metrics()
        {
            var data = new TheoryData<UmapMetric>();
            foreach (var metric in Reference.Keys)
                data.Add(metric);
            return data;
        }

        [Theory]
        [InlineData(UmapMetric.Euclidean, 5.0)]
        [InlineData(UmapMetric.SquaredEuclidean, 25.0)]
        [InlineData(UmapMetric.Manhattan, 7.0)]
        [InlineData(UmapMetric.Chebyshev, 4.0)]
        [InlineData(UmapMetric.Canberra, 3.0 / 5 + 4.0 / 8)]
        public void HandComputedValues(UmapMetric metric, double expected)
        {
            // x = (1, 2), y = (4, 6): differences 3 and 4.
            var x = new float[] { 1, 2 };
            var y = new float[] { 4, 6 };
            Assert.Equal(expected, Measure(metric, x, y), 5);
        }

        [Fact]
        public void MoreHandComputedValues()
        {
            Assert.Equal(1.0, Measure(UmapMetric.Cosine, new float[] { 1, 0 }, new float[] { 0, 3 }), 6);      // orthogonal
            Assert.Equal(2.0, Measure(UmapMetric.Cosine, new float[] { 1, 1 }, new float[] { -2, -2 }), 6);    // opposite
            Assert.Equal(0.0, Measure(UmapMetric.Cosine, new float[] { 0, 0 }, new float[] { 0, 0 }), 6);
            Assert.Equal(1.0, Measure(UmapMetric.Cosine, new float[] { 0, 0 }, new float[] { 1, 0 }), 6);
            Assert.Equal(2.0, Measure(UmapMetric.Correlation, new float[] { 1, 2, 3 }, new float[] { 3, 2, 1 }), 6); // anti-correlated
            Assert.Equal(0.0, Measure(UmapMetric.Correlation, new float[] { 1, 2, 3 }, new float[] { 10, 20, 30 }), 6);
            Assert.Equal(Math.Pow(3 * 3 * 3 + 4 * 4 * 4, 1.0 / 3), Measure(UmapMetric.Minkowski, new float[] { 1, 2 }, new float[] { 4, 6 }), 4);
            Assert.Equal(7.0 / 13, Measure(UmapMetric.BrayCurtis, new float[] { 1, 2 }, new float[] { 4, 6 }), 6);
            Assert.Equal(0.5, Measure(UmapMetric.Hamming, new float[] { 1, 2, 3, 4 }, new float[] { 1, 0, 3, 5 }), 6);
            Assert.Equal(2.0 / 3, Measure(UmapMetric.Jaccard, new float[] { 1, 1, 0, 0 }, new float[] { 0, 2, 3, 0 }), 6);
            Assert.Equal(0.0, Measure(UmapMetric.Hellinger, new float[] { 0.5f, 0.5f }, new float[] { 1, 1 }), 3);
            Assert.Equal(1.0, Measure(UmapMetric.Hellinger, new float[] { 1, 0 }, new float[] { 0, 1 }), 6);
        }

        [Theory]
        [MemberData(nameof(Metrics))]
        public void DenseKernelMatchesTheScalarDefinitionAtEveryLength(UmapMetric metric)
        {
            var rng = new Random((int)metric);
            foreach (int length in Enumerable.Range(0, 71).Concat(new[] { 127, 128, 129, 256, 784 }))
            {
                // Non-negative values with some zeros and some equal positions, so every branch is exercised.
                var x = new float[length];
                var y = new float[length];
                for (int i = 0; i < length; i++)
                {
                    x[i] = rng.Next(4) == 0 ? 0f : (float)rng.NextDouble() * 3;
                    y[i] = rng.Next(5) == 0 ? x[i] : rng.Next(4) == 0 ? 0f : (float)rng.NextDouble() * 3;
                }
                double expected = Reference[metric](x, y);
                Assert.Equal(expected, Measure(metric, x, y), Math.Max(2e-4, Math.Abs(expected) * 2e-4));
            }
        }

        [Theory]
        [MemberData(nameof(Metrics))]
        public void SparseAndDenseFormsAgree(UmapMetric metric)
        {
            var rng = new Random(100 + (int)metric);
            const int Dimension = 300;
            var rows = Enumerable.Range(0, 40).Select(_ =>
            {
                var row = new float[Dimension];
                for (int k = 0; k < 12; k++)
                    row[rng.Next(Dimension)] = (float)rng.NextDouble() * 2;
                return row;
            }).ToArray();
            var dense = new DenseVectorSet(new RowMatrix(rows.SelectMany(r => r).ToArray(), rows.Length, Dimension));
            var sparse = ToSparse(rows, Dimension);
            var denseSearch = Search(metric, dense);
            var sparseSearch = Search(metric, sparse);
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < rows.Length; j += 7)
                {
                    float expected = denseSearch.Measure(dense[i], dense[j]);
                    Assert.Equal(expected, sparseSearch.Measure(sparse[i], sparse[j]), Math.Max(1e-4f, expected * 1e-5f));
                }
            }

            // Same data, same neighbours.
            var a = denseSearch.ComputeGraph(6, new Microsoft.ML.Umap.Core.Fitting.FitMonitor());
            var b = sparseSearch.ComputeGraph(6, new Microsoft.ML.Umap.Core.Fitting.FitMonitor());
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < 6; j++)
                    Assert.Equal(a.RowDistances(i)[j], b.RowDistances(i)[j], Math.Max(1e-4f, a.RowDistances(i)[j] * 1e-5f));
            }
        }

        [Fact]
        public void CustomDistanceIsCalledAndCheckedForSparseRowsToo()
        {
            UmapDistanceFunction l1 = (x, y) =>
            {
                float sum = 0;
                for (int i = 0; i < x.Length; i++)
                    sum += Math.Abs(x[i] - y[i]);
                return sum;
            };
            var rows = new[] { new float[] { 1, 0, 2 }, new float[] { 0, 0, 5 } };
            var parameters = new Microsoft.ML.Umap.Core.Model.UmapParameters { Metric = UmapMetric.Custom, CustomDistance = l1, NeighborSearch = UmapNeighborSearch.Exact };
            var sparse = ToSparse(rows, 3);
            Assert.Equal(4f, NeighborSearchFactory.Create(sparse, parameters).Measure(sparse[0], sparse[1]));

            UmapDistanceFunction broken = (x, y) => -1f;
            var bad = NeighborSearchFactory.Create(sparse, new Microsoft.ML.Umap.Core.Model.UmapParameters { Metric = UmapMetric.Custom, CustomDistance = broken, NeighborSearch = UmapNeighborSearch.Exact });
            Assert.Throws<InvalidOperationException>(() => bad.Measure(sparse[0], sparse[1]));
        }

        [Theory]
        [InlineData(UmapMetric.Cosine, 2f)]
        [InlineData(UmapMetric.Correlation, 2f)]
        [InlineData(UmapMetric.Hellinger, 1f)]
        [InlineData(UmapMetric.Jaccard, 1f)]
        [InlineData(UmapMetric.Euclidean, float.PositiveInfinity)]
        [InlineData(UmapMetric.Manhattan, float.PositiveInfinity)]
        public void BoundedMetricsDeclareUmapLearnsDisconnectionDistance(UmapMetric metric, float expected)
        {
            var data = new DenseVectorSet(new RowMatrix(new float[] { 1, 0, 0, 1 }, 2, 2));
            Assert.Equal(expected, Search(metric, data).DisconnectionDistance);
        }

        internal static SparseVectorSet ToSparse(float[][] rows, int dimension)
        {
            var offsets = new List<int> { 0 };
            var indices = new List<int>();
            var values = new List<float>();
            foreach (var row in rows)
            {
                for (int d = 0; d < dimension; d++)
                {
                    if (row[d] != 0)
                    {
                        indices.Add(d);
                        values.Add(row[d]);
                    }
                }
                offsets.Add(indices.Count);
            }
            return new SparseVectorSet(offsets.ToArray(), indices.ToArray(), values.ToArray(), dimension);
        }
    }
}
