using Xunit;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>
    /// Tests that measure or change the whole process (allocations, the working directory, the console) run in this
    /// collection: xunit runs it alone, after the parallel ones.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessWideState
    {
        public const string Name = "Process-wide state";
    }
}
