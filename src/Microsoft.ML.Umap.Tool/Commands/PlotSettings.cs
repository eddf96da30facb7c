namespace Microsoft.ML.Umap.Tool.Commands
{
    /// <summary>What <c>umap plot</c> was asked to do, as parsed and validated from its command line.</summary>
    /// <param name="Input">An embedding file (.csv or .parquet).</param>
    /// <param name="Output">The plot (.png, .svg or .html).</param>
    /// <param name="Columns">The coordinate columns named by --columns (none: every column named with the prefix).</param>
    /// <param name="ColumnPrefix">The coordinate columns' prefix when none are named.</param>
    /// <param name="Label">A column whose values colour the points, or null.</param>
    /// <param name="Text">A column shown when hovering a point, or null.</param>
    /// <param name="Title">The plot's title, or null.</param>
    /// <param name="MaxPoints">Plot at most this many rows, drawn at random.</param>
    /// <param name="Width">Image width in pixels.</param>
    /// <param name="Height">Image height in pixels.</param>
    internal sealed record PlotSettings(string Input, string Output, string[] Columns, string ColumnPrefix, string? Label, string? Text, string? Title, int MaxPoints, int Width, int Height);
}
