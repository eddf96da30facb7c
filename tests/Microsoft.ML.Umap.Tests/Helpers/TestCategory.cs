namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>
    /// Test traits. <c>dotnet test</c> runs everything; <c>--filter "Category!=Slow"</c> leaves out the slow end-to-end
    /// tests (whole fits on real data, the documentation's programs, the property suite), as CI does when it repeats
    /// the unit tests with AVX-512 or all hardware intrinsics switched off.
    /// </summary>
    internal static class TestCategory
    {
        /// <summary>The trait's name.</summary>
        public const string Name = "Category";

        /// <summary>Slow end-to-end tests (a second or more each).</summary>
        public const string Slow = "Slow";
    }
}
