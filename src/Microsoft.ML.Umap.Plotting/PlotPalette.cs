using ScottPlot;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>Class colours shared by the static and the interactive plots, so one class looks the same in both.</summary>
    internal static class PlotPalette
    {
        private static readonly ScottPlot.Palettes.Category10 Ten = new();
        private static readonly ScottPlot.Palettes.Category20 Twenty = new();

        /// <summary>The colour of a class; up to ten classes get Category10, more get Category20 (cycled), unlabelled points grey.</summary>
        public static Color For(PlotClass plotClass, int classCount) =>
            plotClass.ColorIndex < 0 ? Colors.Gray
            : classCount <= 10 ? Ten.GetColor(plotClass.ColorIndex)
            : Twenty.GetColor(plotClass.ColorIndex);
    }
}
