using System;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>The rescaling umap-learn applies to every initial layout before optimisation.</summary>
    internal static class LayoutScaling
    {
        /// <summary>Spectral layouts are expanded so the largest coordinate is this (umap-learn: 10).</summary>
        public const double SpectralExtent = 10.0;

        /// <summary>Standard deviation of the noise added to a spectral layout, so no two points coincide (umap-learn: 1e-4).</summary>
        public const double SpectralNoise = 1e-4;

        /// <summary>Every layout is mapped onto [0, <see cref="BoxSize"/>] per axis (umap-learn: 10).</summary>
        public const float BoxSize = 10f;

        /// <summary>Scales a spectral layout to a maximum absolute coordinate of 10 and adds tiny Gaussian noise.</summary>
        public static RowMatrix ExpandWithNoise(double[] coordinates, int n, int dim, ulong seed)
        {
            double maxAbs = 0;
            foreach (double v in coordinates)
                maxAbs = Math.Max(maxAbs, Math.Abs(v));
            double expansion = maxAbs > 0 ? SpectralExtent / maxAbs : 1.0;
            var result = new RowMatrix(n, dim);
            var rng = FastRandom.ForStream(seed, 0x4E4F4953 /* "NOIS" */);
            for (int i = 0; i < coordinates.Length; i++)
                result.Values[i] = (float)(coordinates[i] * expansion) + (float)(SpectralNoise * rng.NextGaussian());
            return result;
        }

        /// <summary>Maps each axis linearly onto [0, 10]; an axis with no spread maps to 0.</summary>
        public static void RescaleToBox(RowMatrix layout)
        {
            int n = layout.Rows, dim = layout.Columns;
            var values = layout.Values;
            for (int d = 0; d < dim; d++)
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                for (int i = 0; i < n; i++)
                {
                    float v = values[i * dim + d];
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
                float range = max - min;
                for (int i = 0; i < n; i++)
                    values[i * dim + d] = range > 0 ? BoxSize * (values[i * dim + d] - min) / range : 0f;
            }
        }
    }
}
