using System;
using System.Globalization;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>
    /// The guarantee that no coordinate UMAP returns is NaN or infinite: a stage whose output is not finite fails,
    /// naming itself, instead of passing the NaN on to the user's clustering or plot.
    /// </summary>
    internal static class FiniteLayout
    {
        /// <summary>Throws <see cref="InvalidOperationException"/> if any coordinate of <paramref name="layout"/> is not finite.</summary>
        public static void Check(RowMatrix layout, UmapStage stage)
        {
            var values = layout.Values;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw Failure($"The {stage} stage of the fit", values[i], i / layout.Columns);
            }
        }

        /// <summary>Throws <see cref="InvalidOperationException"/> if a new row's coordinates are not all finite.</summary>
        public static void CheckNewRow(ReadOnlySpan<float> coordinates)
        {
            foreach (float v in coordinates)
            {
                if (!float.IsFinite(v))
                    throw Failure("Placing a new row", v, row: -1);
            }
        }

        /// <summary>Throws <see cref="InvalidOperationException"/> if a point mapped back to the input space is not finite.</summary>
        public static void CheckInverse(ReadOnlySpan<float> values, long row)
        {
            foreach (float v in values)
            {
                if (!float.IsFinite(v))
                    throw Failure("InverseTransform", v, row);
            }
        }

        private static InvalidOperationException Failure(string what, float value, long row) => new InvalidOperationException(
            $"{what} produced a non-finite coordinate ({value.ToString(CultureInfo.InvariantCulture)}){(row >= 0 ? $" for row {row}" : "")}. " +
            "This should not happen with settings in their documented ranges and rows the metric can measure; please report it with the data and settings that produced it.");
    }
}
