// The tests run the umap tool's .NET 10 build (in-process, and as a process where they need one), so they run on net10.0 only.
#if NET10_0_OR_GREATER
using Xunit;

namespace Microsoft.ML.Umap.Tests.Tool
{
    /// <summary>The command line alone, before any file is read: help, and the usage errors of a command left incomplete.</summary>
    public class CommandLineTests
    {
        [Theory]
        [InlineData("fit")]
        [InlineData("transform")]
        [InlineData("plot")]
        public void EveryCommandsHelpIsPrinted(string command)
        {
            var result = UmapTool.Run(UmapTool.TemporaryFolder(), command, "--help");
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
            Assert.Contains("--output", result.Output);
        }

        [Theory]
        [InlineData("fit")]
        [InlineData("transform")]
        [InlineData("plot")]
        [InlineData("transform", "x.csv")]
        [InlineData("transform", "x.csv", "--model", "model.zip")]
        [InlineData("plot", "x.csv", "--columns", "a,b")]
        public void ACommandLeftIncompleteIsAUsageError(params string[] arguments)
        {
            var result = UmapTool.Run(UmapTool.TemporaryFolder(), arguments);
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
            Assert.DoesNotContain("Exception", result.Error);
            Assert.Contains("--", result.Error);
        }

        /// <summary>A value the option's type cannot hold is the parser's error (exit 2), not the library's validation crashing on it.</summary>
        [Theory]
        [InlineData("--metric", "Bogus")]
        [InlineData("--neighbors", "fifteen")]
        [InlineData("--min-dist", "tenth")]
        [InlineData("--epochs", "1e3")]
        [InlineData("--min-dist", "0,1,2")]
        [InlineData("--spread", "1,5")]
        public void AValueOfTheWrongTypeIsAUsageError(string option, string value)
        {
            var result = UmapTool.Run(UmapTool.TemporaryFolder(), "fit", "x.csv", "-o", "model.zip", option, value);
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
            Assert.Contains(option, result.Error, System.StringComparison.Ordinal);
            Assert.Contains(value, result.Error, System.StringComparison.Ordinal);
        }
    }
}
#endif
