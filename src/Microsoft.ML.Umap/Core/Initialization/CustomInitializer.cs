using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>
    /// A layout given by the user. As umap-learn does, coincident rows are separated by Gaussian noise of 0.001
    /// times the mean distance to the nearest other point, so the optimisation can pull them apart.
    /// </summary>
    internal static class CustomInitializer
    {
        /// <summary>umap-learn's jitter scale, relative to the mean nearest-neighbour distance.</summary>
        public const double JitterScale = 0.001;

        public static RowMatrix Layout(RowMatrix coordinates, ulong seed, int threads)
        {
            var layout = coordinates.Clone();
            int n = layout.Rows;
            if (n < 2 || !HasDuplicates(layout))
                return layout;

            var search = new ExactNearestNeighbors<EuclideanDistance>(new DenseVectorSet(layout), default, threads);
            var knn = search.ComputeGraph(2, new FitMonitor());
            double mean = 0;
            for (int i = 0; i < n; i++)
                mean += knn.RowDistances(i)[1];
            mean /= n;
            double scale = JitterScale * (mean > 0 ? mean : 1.0);
            var rng = FastRandom.ForStream(seed, 0x4A495454 /* "JITT" */);
            for (int i = 0; i < layout.Values.Length; i++)
                layout.Values[i] += (float)(scale * rng.NextGaussian());
            return layout;
        }

        private static bool HasDuplicates(RowMatrix layout)
        {
            var index = new Transform.TrainingRowIndex(new DenseVectorSet(layout));
            for (int i = 0; i < layout.Rows; i++)
            {
                if (index.Find(VectorView.Dense(layout.ReadOnlyRow(i))) != i)
                    return true;
            }
            return false;
        }
    }
}
