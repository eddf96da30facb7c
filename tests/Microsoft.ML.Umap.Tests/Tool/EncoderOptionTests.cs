// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>
    /// <c>umap fit --parametric</c>'s --encoder-* options: they reach the fitted encoder, a bad value is the command
    /// line's error (exit code 2) naming the option and the library's rule, and none of them is taken without
    /// --parametric.
    /// </summary>
    public class EncoderOptionTests
    {
        private static string DigitsFolder()
        {
            string folder = UmapTool.TemporaryFolder();
            var (header, lines, _) = UmapTool.DigitsCsv();
            UmapTool.WriteCsv(Path.Combine(folder, "digits.csv"), header, lines.Take(300));
            return folder;
        }

        [Trait(TestCategory.Name, TestCategory.Slow)]
        [Fact]
        public void TheEncoderOptionsReachTheFittedEncoder()
        {
            string folder = DigitsFolder();
            UmapTool.Run(folder, "fit", "digits.csv", "--exclude", "id,label", "--parametric", "--encoder-layers", "16,8", "--encoder-epochs", "3",
                "--encoder-batch-size", "32", "--encoder-learning-rate", "0.01", "--encoder-training", "Objective", "--encoder-input-components", "12",
                "--epochs", "20", "-o", "model.zip", "-q").Succeeded();
            var model = (UmapTransformer)new MLContext(seed: 0).Model.Load(Path.Combine(folder, "model.zip"), out _);
            Assert.True(model.IsParametric);
            Assert.Equal(new[] { 64, 16, 8, 2 }, model.EncoderLayerSizes);

            UmapTool.Run(folder, "fit", "digits.csv", "--exclude", "id,label", "--parametric", "--encoder-layers", "none", "--encoder-epochs", "1", "--epochs", "20", "-o", "linear.zip", "-q").Succeeded();
            var linear = (UmapTransformer)new MLContext(seed: 0).Model.Load(Path.Combine(folder, "linear.zip"), out _);
            Assert.Equal(new[] { 64, 2 }, linear.EncoderLayerSizes);
        }

        [Theory]
        [InlineData("Parametric.BatchSize", "--parametric", "--encoder-batch-size", "0")]
        [InlineData("Parametric.LearningRate", "--parametric", "--encoder-learning-rate", "-1")]
        [InlineData("Parametric.NumberOfEpochs", "--parametric", "--encoder-epochs", "-3")]
        [InlineData("Parametric.NumberOfInputComponents", "--parametric", "--encoder-input-components", "-2")]
        [InlineData("give --parametric too", "--encoder-input-components", "16")]
        [InlineData("Parametric.HiddenLayerSizes", "--parametric", "--encoder-layers", "16,0")]
        [InlineData("'x' is not a layer size", "--parametric", "--encoder-layers", "16,x")]
        [InlineData("--encoder-training", "--parametric", "--encoder-training", "Backpropagation")]
        [InlineData("'0,001' is not a number", "--parametric", "--encoder-learning-rate", "0,001")]
        [InlineData("give --parametric too", "--encoder-batch-size", "64")]
        [InlineData("give --parametric too", "--encoder-layers", "none")]
        public void ABadEncoderOptionIsACommandLineErrorThatSaysWhy(string expected, params string[] options)
        {
            string folder = DigitsFolder();
            var result = UmapTool.Run(folder, new[] { "fit", "digits.csv", "--exclude", "id,label", "-o", "model.zip" }.Concat(options).ToArray());
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "model.zip")));
        }
    }
}
#endif
