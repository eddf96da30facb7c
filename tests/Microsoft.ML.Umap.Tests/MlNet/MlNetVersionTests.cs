using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// CI runs the suite on each ML.NET version the package accepts (-p:MlNetVersion=5.0.1, and 6.0.0 by default): each
    /// run must really load the version it was built for, every ML.NET assembly of the same release, or the second run
    /// would test the first version again.
    /// </summary>
    public sealed class MlNetVersionTests
    {
        private readonly ITestOutputHelper _output;

        public MlNetVersionTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void TheTestsRunOnTheMlNetVersionTheBuildChose()
        {
            _output.WriteLine($"ML.NET {MlNetVersions.Loaded} (built for {MlNetVersions.Built})");
            Assert.Equal(MlNetVersions.Built, MlNetVersions.Loaded);
            // Microsoft.ML.Data (the transforms) and Microsoft.ML.DataView come from the same release as Microsoft.ML.Core.
            Assert.Equal(MlNetVersions.Built, MlNetVersions.Of(typeof(TextLoader).Assembly));
            Assert.Equal(MlNetVersions.Built, MlNetVersions.Of(typeof(IDataView).Assembly));
        }
    }
}
