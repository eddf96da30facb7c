namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary>What <c>umap transform</c> was asked to do, as parsed and validated from its command line.</summary>
    /// <param name="Input">The rows to embed (.csv or .parquet).</param>
    /// <param name="Model">A model file written by <c>umap fit</c>.</param>
    /// <param name="Output">Where the rows and their embedding go (the input's format).</param>
    /// <param name="ColumnPrefix">The embedding columns are named prefix0, prefix1, ...</param>
    /// <param name="BatchSize">Rows read, embedded and written at a time (CSV).</param>
    /// <param name="Threads">Threads embedding a batch.</param>
    /// <param name="Quiet">No progress on the log.</param>
    internal sealed record TransformSettings(string Input, string Model, string Output, string ColumnPrefix, int BatchSize, int Threads, bool Quiet);
}
