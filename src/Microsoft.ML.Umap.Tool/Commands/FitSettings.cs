namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary>What <c>umap fit</c> was asked to do, as parsed and validated from its command line.</summary>
    /// <param name="Input">The training data (.csv or .parquet).</param>
    /// <param name="Output">The model file to write.</param>
    /// <param name="Features">The feature columns named by --features (none: every column not excluded).</param>
    /// <param name="Exclude">The columns --exclude leaves out.</param>
    /// <param name="Sample">Rows to draw at random, or null for every row.</param>
    /// <param name="Umap">The library's options (the input column is set by the command).</param>
    /// <param name="Quiet">No progress on the log.</param>
    internal sealed record FitSettings(string Input, string Output, string[] Features, string[] Exclude, int? Sample, UmapEstimator.Options Umap, bool Quiet);
}
