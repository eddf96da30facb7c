using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Umap.Core;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;
using Microsoft.ML.Umap.Core.Parametric;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Parametric
{
    /// <summary>Backpropagation against finite differences, and the training steps' reproducibility.</summary>
    public class EncoderTrainerTests
    {
        private static (EncoderNetwork Network, DenseVectorSet Data) Small(int[] sizes, int rows, ulong seed)
        {
            var network = EncoderNetwork.Initialize(sizes, seed);
            var random = FastRandom.ForStream(seed, 99);
            var values = new float[rows * sizes[0]];
            for (int i = 0; i < values.Length; i++)
                values[i] = i % 3 == 0 ? 0f : 2f * random.NextFloat() - 1f; // some zeros, as sparse inputs have
            for (int l = 0; l < network.LayerCount; l++)
            {
                for (int j = 0; j < network.Biases[l].Length; j++)
                    network.Biases[l][j] = 0.1f * (2f * random.NextFloat() - 1f);
            }
            return (network, new DenseVectorSet(new RowMatrix(values, rows, sizes[0])));
        }

        /// <summary>Half the squared distance of the outputs to fixed targets, summed over the rows (in double).</summary>
        private static double Loss(EncoderNetwork network, DenseVectorSet data, float[] targets)
        {
            var outputs = network.Embed(data, 1, default);
            double loss = 0;
            for (int i = 0; i < targets.Length; i++)
                loss += 0.5 * ((double)outputs.Values[i] - targets[i]) * ((double)outputs.Values[i] - targets[i]);
            return loss;
        }

        [Fact]
        public void GradientsMatchFiniteDifferences()
        {
            int[] sizes = { 7, 6, 5, 3 };
            const int Rows = 9;
            var (network, data) = Small(sizes, Rows, 5);
            var targets = Enumerable.Range(0, Rows * 3).Select(i => (float)Math.Sin(i)).ToArray();
            using var trainer = new EncoderTrainer(network, data, 1f, Rows, 1, default);
            trainer.Forward(Enumerable.Range(0, Rows).ToArray());
            var outputs = trainer.Outputs(Rows).ToArray();
            trainer.Backward(Rows, outputs.Select((y, i) => y - targets[i]).ToArray());

            for (int l = 0; l < network.LayerCount; l++)
            {
                var analytic = trainer.WeightGradient(l).ToArray().Concat(trainer.BiasGradient(l).ToArray()).ToArray();
                for (int p = 0; p < analytic.Length; p++)
                {
                    var parameters = p < network.Weights[l].Length ? network.Weights[l] : network.Biases[l];
                    int at = p < network.Weights[l].Length ? p : p - network.Weights[l].Length;
                    float original = parameters[at];
                    const float H = 1e-2f;
                    parameters[at] = original + H;
                    double up = Loss(network, data, targets);
                    parameters[at] = original - H;
                    double down = Loss(network, data, targets);
                    parameters[at] = original;
                    double numeric = (up - down) / (2 * H);
                    Assert.True(Math.Abs(numeric - analytic[p]) <= 2e-2 * Math.Max(1, Math.Abs(numeric)), $"Layer {l}, parameter {p}: backpropagation {analytic[p]}, finite difference {numeric}.");
                }
            }
        }
    
        [Fact]
        public void AnAdamStepIsTheTextbookOneAndTheSameAtEveryWidth()
        {
            // Forty parameters: several whole vectors at every width and a tail.
            var random = FastRandom.ForStream(3, 1);
            var start = Enumerable.Range(0, 40).Select(_ => 2f * random.NextFloat() - 1f).ToArray();
            var gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 40).Select(i => i == 7 ? 0f : 2f * random.NextFloat() - 1f).ToArray()).ToArray();

            // Kingma and Ba's algorithm in double, Keras' placement of epsilon (outside the bias correction of v).
            var expected = start.Select(v => (double)v).ToArray();
            var m = new double[40];
            var v2 = new double[40];
            for (int t = 1; t <= gradients.Length; t++)
            {
                double step = 0.01 * Math.Sqrt(1 - Math.Pow(AdamOptimizer.Beta2, t)) / (1 - Math.Pow(AdamOptimizer.Beta1, t));
                for (int i = 0; i < 40; i++)
                {
                    m[i] = AdamOptimizer.Beta1 * m[i] + (1 - AdamOptimizer.Beta1) * gradients[t - 1][i];
                    v2[i] = AdamOptimizer.Beta2 * v2[i] + (1 - AdamOptimizer.Beta2) * gradients[t - 1][i] * gradients[t - 1][i];
                    expected[i] -= step * m[i] / (Math.Sqrt(v2[i]) + AdamOptimizer.Epsilon);
                }
            }

            var check = new AdamCheck(start, gradients);
            LaneWidths.ForEach(check);
            var whole = check.Results[0];
            for (int i = 0; i < 40; i++)
                Assert.True(Math.Abs(whole[i] - expected[i]) <= 1e-5, $"Parameter {i}: {whole[i]} against {expected[i]}.");
            Assert.Equal(start[7] - 0f, whole[7]); // a gradient that was always 0 moves nothing
            Assert.All(check.Results, r => Assert.Equal(Bits(whole), Bits(r)));

            // Any split into ranges gives the same bits.
            var split = (float[])start.Clone();
            var optimizer = new AdamOptimizer(new[] { 40 });
            foreach (var g in gradients)
            {
                float size = optimizer.BeginStep(0.01);
                optimizer.Update(0, split, g, size, 0, 13);
                optimizer.Update(0, split, g, size, 13, 40);
            }
            Assert.Equal(Bits(whole), Bits(split));
        }

        private sealed class AdamCheck : IWidthCheck
        {
            private readonly float[] _start;
            private readonly float[][] _gradients;

            public AdamCheck(float[] start, float[][] gradients)
            {
                _start = start;
                _gradients = gradients;
            }

            public List<float[]> Results { get; } = new();

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes>
            {
                var parameters = (float[])_start.Clone();
                var first = new float[parameters.Length];
                var second = new float[parameters.Length];
                var optimizer = new AdamOptimizer(new[] { parameters.Length });
                foreach (var g in _gradients)
                    AdamOptimizer.Update<TLanes>(parameters, g, first, second, optimizer.BeginStep(0.01), 0, parameters.Length);
                Results.Add(parameters);
            }
        }

        [Fact]
        public void LayerProductsGiveTheSameBitsAtEveryWidth()
        {
            // 37 outputs: whole vectors and an overlapping last one at every width; 11 rows: two blocks and a partial one.
            int[] sizes = { 19, 37 };
            var (network, data) = Small(sizes, 11, 8);
            var x = ((DenseVectorSet)data).Matrix.Values;
            var check = new ProductCheck(x, network.Weights[0], network.Biases[0], 11, 19, 37);
            LaneWidths.ForEach(check);
            Assert.All(check.Results, r => Assert.Equal(Bits(check.Results[0]), Bits(r)));
        }

        private sealed class ProductCheck : IWidthCheck
        {
            private readonly float[] _x;
            private readonly float[] _w;
            private readonly float[] _b;
            private readonly int _rows;
            private readonly int _inputs;
            private readonly int _outputs;

            public ProductCheck(float[] x, float[] w, float[] b, int rows, int inputs, int outputs)
            {
                (_x, _w, _b, _rows, _inputs, _outputs) = (x, w, b, rows, inputs, outputs);
            }

            public List<float[]> Results { get; } = new();

            public void Run<TLanes>()
                where TLanes : struct, IWideLanes<TLanes>
            {
                var y = new float[_rows * _outputs];
                DenseKernels.Affine<TLanes>(_x, _w, _b, y, _rows, _inputs, _outputs, LayerActivation.Relu, default);
                var g = new float[_inputs * _outputs];
                DenseKernels.WeightGradient<TLanes>(_x, y, g, _rows, _inputs, _outputs, 0, _inputs);
                Results.Add(y.Concat(g).ToArray());
            }
        }

        [Fact]
        public void OneRowGetsTheSameBitsAloneAsInAnyBatch()
        {
            var (network, data) = Small(new[] { 13, 20, 9, 2 }, 21, 4);
            var all = network.Embed(data, 3, default);
            var scratch = network.CreateScratch(1);
            var single = new float[2];
            for (int i = 0; i < data.Count; i++)
            {
                network.Forward(data[i].Values.ToArray(), 1, single, scratch);
                Assert.Equal(Bits(all.ReadOnlyRow(i).ToArray()), Bits(single));
            }
        }

        private static VectorSet Blobs(int perCluster = 40) => new DenseVectorSet(TestMatrices.Blobs(3, perCluster, 6, 6, seed: 2).Data);

        private static UmapParameters Quick(int threads) => new UmapParameters { Seed = 11, NumberOfNeighbors = 8, NumberOfEpochs = 30, NumberOfThreads = threads };

        [Theory]
        [InlineData((int)EncoderTrainingScheme.EmbeddingRegression)]
        [InlineData((int)EncoderTrainingScheme.UmapObjective)]
        [InlineData((int)EncoderTrainingScheme.AnchoredObjective)]
        public void AFitGivesTheSameNetworkOnAnyNumberOfThreads(int training)
        {
            var scheme = (EncoderTrainingScheme)training;
            var data = Blobs();
            // Batches larger than a chunk of rows, so the threads really split them.
            var settings = new EncoderSettings { Scheme = scheme, HiddenLayers = new[] { 40, 24 }, Epochs = 3, RefinementEpochs = 1, BatchSize = 70 };
            var fits = new[] { 1, 2, 3 }.Select(t => ParametricFitter.Fit(data, Quick(t), settings, new FitMonitor()).Model.Network).ToList();
            foreach (var other in fits.Skip(1))
            {
                for (int l = 0; l < other.LayerCount; l++)
                {
                    Assert.Equal(Bits(fits[0].Weights[l]), Bits(other.Weights[l]));
                    Assert.Equal(Bits(fits[0].Biases[l]), Bits(other.Biases[l]));
                }
            }
        }

        [Fact]
        public void TheEncoderLearnsTheMapAndReportsItsProgress()
        {
            var data = Blobs();
            var reports = new List<UmapProgress>();
            var monitor = new FitMonitor(new SynchronousProgress(reports.Add));
            var fit = ParametricFitter.Fit(data, Quick(2), new EncoderSettings { HiddenLayers = new[] { 32 } }, monitor);
            var training = reports.Where(r => r.Stage == UmapStage.EncoderTraining).ToList();
            Assert.Equal(0, training[0].Completed);
            Assert.Equal(training[0].Total, training[^1].Completed);
            Assert.True(fit.StageDurations[(int)UmapStage.EncoderTraining] > TimeSpan.Zero);

            // The three blobs stay apart: each row's nearest embedded row is of its own blob.
            var embedding = fit.Model.Embed(data, default);
            int right = 0;
            for (int i = 0; i < embedding.Rows; i++)
            {
                int nearest = -1;
                double best = double.MaxValue;
                for (int j = 0; j < embedding.Rows; j++)
                {
                    double d = j == i ? double.MaxValue : Enumerable.Range(0, 2).Sum(c => Math.Pow(embedding.ReadOnlyRow(i)[c] - embedding.ReadOnlyRow(j)[c], 2));
                    if (d < best)
                        (best, nearest) = (d, j);
                }
                right += nearest / 40 == i / 40 ? 1 : 0;
            }
            Assert.True(right >= 115, $"{right} of 120 rows have a nearest neighbour of their own blob.");
        }

        [Fact]
        public void TheAnchorKeepsTheNetworkNearTheFitsEmbedding()
        {
            var data = Blobs();
            var layout = UmapFitter.Fit(data, Quick(2), new FitMonitor()).Model.Embedding;
            double Distance(EncoderTrainingScheme scheme)
            {
                var settings = new EncoderSettings { Scheme = scheme, HiddenLayers = new[] { 32 }, Epochs = 1000 };
                var embedding = ParametricFitter.Fit(data, Quick(2), settings, new FitMonitor()).Model.Embed(data, default);
                double sum = 0;
                for (int i = 0; i < embedding.Values.Length; i++)
                    sum += Math.Pow(embedding.Values[i] - layout.Values[i], 2);
                return Math.Sqrt(sum / embedding.Rows);
            }
            double anchored = Distance(EncoderTrainingScheme.AnchoredObjective), free = Distance(EncoderTrainingScheme.UmapObjective);
            Assert.True(anchored < free / 2, $"anchored {anchored}, objective alone {free}: root mean square distance from the fit's embedding");
        }

        [Fact]
        public void CancellingStopsTheTraining()
        {
            using var source = new CancellationTokenSource();
            var monitor = new FitMonitor(new SynchronousProgress(r =>
            {
                if (r.Stage == UmapStage.EncoderTraining && r.Completed == 1)
                    source.Cancel();
            }), cancellation: source.Token);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                ParametricFitter.Fit(Blobs(), Quick(2), new EncoderSettings { HiddenLayers = new[] { 8 }, Epochs = 1000 }, monitor));
        }

        [Theory]
        [InlineData("HiddenLayerSizes", "0")]
        [InlineData("NumberOfEpochs", "-1")]
        [InlineData("BatchSize", "0")]
        [InlineData("LearningRate", "NaN")]
        public void BadSettingsNameTheSettingAndTheValue(string option, string value)
        {
            var settings = option switch
            {
                "HiddenLayerSizes" => new EncoderSettings { HiddenLayers = new[] { 10, 0 } },
                "NumberOfEpochs" => new EncoderSettings { Epochs = -1 },
                "BatchSize" => new EncoderSettings { BatchSize = 0 },
                _ => new EncoderSettings { LearningRate = double.NaN },
            };
            var e = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);
            Assert.Equal("Parametric." + option, e.ParamName);
            Assert.Contains(value, e.Message, StringComparison.Ordinal);
        }

        private sealed class SynchronousProgress : IProgress<UmapProgress>
        {
            private readonly Action<UmapProgress> _report;

            public SynchronousProgress(Action<UmapProgress> report) => _report = report;

            public void Report(UmapProgress value) => _report(value);
        }

        private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();
}
}
