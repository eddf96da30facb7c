using System;

namespace Microsoft.ML.Umap.Core.Numerics
{
    /// <summary>
    /// A full garbage collection where a large fit moves from one stage to the next, once the last stage's arrays are
    /// garbage (the column's growth copies, the search's trees, lists and candidates: gigabytes at millions of rows).
    /// Without it the runtime collects later and places the next stage's arrays in new memory: a higher peak, and a page
    /// fault for every new page, which is costly on virtual machines (docs/measurements.md).
    /// </summary>
    internal static class StageGarbage
    {
        /// <summary>Rows from which a fit collects; below, a stage's garbage is a few tens of megabytes.</summary>
        public const int FromRows = 100_000;

        /// <summary>Collects when <paramref name="rows"/> make the fit a large one.</summary>
        public static void Collect(int rows)
        {
            if (rows >= FromRows)
                GC.Collect();
        }
    }
}
