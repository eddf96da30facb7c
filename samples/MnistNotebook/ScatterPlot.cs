using System.Linq;

namespace Microsoft.ML.Umap.Samples
{
    /// <summary>Draws a 2-D embedding as a scatter plot coloured by label, with a legend.</summary>
    internal static class ScatterPlot
    {
        public static void Save(string path, float[][] embedding, int[] labels, string title)
        {
            var plot = new ScottPlot.Plot();
            var palette = new ScottPlot.Palettes.Category10();
            foreach (int label in labels.Distinct().OrderBy(l => l))
            {
                var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
                var points = plot.Add.ScatterPoints(
                    members.Select(i => (double)embedding[i][0]).ToArray(),
                    members.Select(i => (double)embedding[i][1]).ToArray());
                points.Color = palette.GetColor(label).WithAlpha(0.6);
                points.MarkerSize = 3;
                points.LegendText = label.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            plot.Title(title);
            plot.XLabel("UMAP 1");
            plot.YLabel("UMAP 2");
            plot.ShowLegend(ScottPlot.Alignment.UpperRight);
            plot.SavePng(path, 1000, 800);
        }
    }
}
