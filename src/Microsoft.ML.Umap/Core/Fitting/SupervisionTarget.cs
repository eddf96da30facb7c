using System;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>
    /// Labels that steer a fit (supervised UMAP): class ids per row (−1: unlabelled, for semi-supervised fits) or
    /// numeric target values per row (regression targets).
    /// </summary>
    internal sealed class SupervisionTarget
    {
        private SupervisionTarget(int[]? classes, float[]? values)
        {
            Classes = classes;
            Values = values;
        }

        /// <summary>Class of each row, or −1 where unknown; null for numeric targets.</summary>
        public int[]? Classes { get; }

        /// <summary>Target value of each row; null for categorical targets.</summary>
        public float[]? Values { get; }

        public int Count => Classes?.Length ?? Values!.Length;

        public static SupervisionTarget Categorical(int[] classes) => new SupervisionTarget(classes ?? throw new ArgumentNullException(nameof(classes)), null);

        public static SupervisionTarget Numeric(float[] values) => new SupervisionTarget(null, values ?? throw new ArgumentNullException(nameof(values)));
    }
}
