using System;
using System.Linq;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>The shape of a 2-D map.</summary>
    internal static class MapShape
    {
        /// <summary>
        /// The ratio of the smaller to the larger standard deviation along the map's principal axes: 0 for points on a
        /// line (or at one point), 1 for a round cloud.
        /// </summary>
        public static double NarrowToWideSpread(float[][] points)
        {
            double mx = points.Average(p => p[0]), my = points.Average(p => p[1]);
            double xx = points.Average(p => (p[0] - mx) * (p[0] - mx));
            double yy = points.Average(p => (p[1] - my) * (p[1] - my));
            double xy = points.Average(p => (p[0] - mx) * (p[1] - my));
            double mean = (xx + yy) / 2, gap = Math.Sqrt((xx - yy) * (xx - yy) / 4 + xy * xy);
            return mean > 0 ? Math.Sqrt(Math.Max(0, mean - gap) / (mean + gap)) : 0;
        }
    }
}
