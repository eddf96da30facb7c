using System;
using System.Globalization;
using System.Collections.Generic;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Fitting;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core.Initialization
{
    /// <summary>
    /// Spectral initial layout (umap-learn <c>spectral_layout</c>): the eigenvectors of the normalised graph
    /// Laplacian I − D^(−1/2) W D^(−1/2) for its smallest non-trivial eigenvalues. A disconnected graph is laid
    /// out component by component, each around a position from a spectral embedding of the component centroids
    /// (umap-learn <c>multi_component_layout</c>). A component whose eigensolve fails gets a random layout and a
    /// warning. Coordinates are raw (not yet scaled); see <see cref="LayoutScaling"/>.
    /// </summary>
    internal sealed class SpectralInitializer
    {
        /// <summary>The distance between two rows (component centroids here), in the metric of the data.</summary>
        public delegate double RowDistance(VectorView x, VectorView y);

        /// <summary>
        /// Most components whose centroids get a spectral embedding (C² distances and a C × C affinity matrix). Beyond
        /// it, where umap-learn runs out of memory, the centroids' principal components place them instead.
        /// </summary>
        public const int MaximumSpectralComponents = 2048;

        private readonly int _dim;
        private readonly ulong _seed;
        private readonly int _threads;
        private readonly FitMonitor _monitor;
        private readonly LanczosEigensolver.Settings _solverSettings;

        public SpectralInitializer(int dim, ulong seed, int threads, FitMonitor monitor, LanczosEigensolver.Settings? solverSettings = null)
        {
            _dim = dim;
            _seed = seed;
            _threads = threads;
            _monitor = monitor;
            _solverSettings = solverSettings ?? new LanczosEigensolver.Settings();
        }

        /// <summary>
        /// The raw spectral layout (n × dim, row-major) of <paramref name="graph"/>, or null when the graph is
        /// connected and its eigensolve failed (a warning has then been reported; the caller falls back to random).
        /// </summary>
        /// <param name="graph">Symmetric weighted graph.</param>
        /// <param name="data">The input rows, used for component centroids when the graph is disconnected.</param>
        /// <param name="centroidDistance">
        /// Distance between two centroids, in the metric of the data; null when the rows are precomputed distances to
        /// every row, whose components are then compared by average linkage (umap-learn's <c>component_layout</c>
        /// does the same for <c>metric="precomputed"</c>).
        /// </param>
        public double[]? Layout(CsrMatrix graph, VectorSet data, RowDistance? centroidDistance)
        {
            int n = graph.Rows;
            var labels = ConnectedComponents.Label(graph, out int components);
            if (components == 1)
            {
                var layout = ComponentLayout(graph, out bool converged);
                if (converged)
                    return layout;
                _monitor.Warning(FailureMessage);
                return null;
            }

            _monitor.Info($"The graph has {components} connected components; laying each out separately around a spectral embedding of their centroids.");
            return MultiComponentLayout(graph, data, labels, components, centroidDistance);
        }

        private const string FailureMessage =
            "Spectral initialisation failed: the eigensolver did not converge, which usually means the graph's eigengap is tiny. " +
            "Falling back to random initialisation. Adding a little noise to the data or raising NumberOfNeighbors usually helps.";

        /// <summary>Eigenvectors 1..dim of the normalised Laplacian of a connected graph, n × dim row-major.</summary>
        private double[] ComponentLayout(CsrMatrix graph, out bool converged)
        {
            int n = graph.Rows;
            var op = new NormalizedAdjacencyOperator(graph, _threads);
            var trivial = (double[])op.SqrtDegree.Clone();
            Normalize(trivial);
            var settings = new LanczosEigensolver.Settings
            {
                Tolerance = _solverSettings.Tolerance,
                MaximumBasisSize = _solverSettings.MaximumBasisSize,
                MaximumRestarts = _solverSettings.MaximumRestarts,
                Seed = _seed,
                Threads = _threads,
            };
            var result = LanczosEigensolver.Largest(op, _dim, new[] { trivial }, settings, _monitor.Cancellation);
            converged = result.Converged;
            _monitor.Info($"Spectral initialisation: {result.Multiplications} sparse products, eigenvalues of the Laplacian {string.Join(", ", Array.ConvertAll(result.Values, v => (1 - v).ToString("G4", CultureInfo.InvariantCulture)))}{(converged ? "" : " (not converged)")}.");

            var layout = new double[n * _dim];
            for (int d = 0; d < _dim; d++)
            {
                var v = result.Vectors[d];
                for (int i = 0; i < n; i++)
                    layout[i * _dim + d] = v[i];
            }
            return layout;
        }

        private double[] MultiComponentLayout(CsrMatrix graph, VectorSet data, int[] labels, int components, RowDistance? centroidDistance)
        {
            int n = graph.Rows;
            var meta = components > 2 * _dim
                ? CentroidLayout(data, labels, components, centroidDistance)
                : UnitVectorLayout(components);

            var members = new List<int>[components];
            for (int c = 0; c < components; c++)
                members[c] = new List<int>();
            for (int i = 0; i < n; i++)
                members[labels[i]].Add(i);

            var halfDistances = HalfDistancesToNearest(meta, components);
            var result = new double[n * _dim];
            for (int c = 0; c < components; c++)
            {
                _monitor.ThrowIfCancellationRequested();
                var center = new double[_dim];
                Array.Copy(meta, c * _dim, center, 0, _dim);
                PlaceComponent(graph, members[c], c, components, center, halfDistances[c], result);
            }
            return result;
        }

        /// <summary>
        /// Lays component <paramref name="c"/> out within <paramref name="range"/> of its <paramref name="center"/>: by its
        /// own spectral layout, or uniformly at random when it is too small for an eigensolve (as in umap-learn) or the
        /// solve failed.
        /// </summary>
        private void PlaceComponent(CsrMatrix graph, List<int> vertices, int c, int components, double[] center, double range, double[] result)
        {
            double[]? local = null;
            if (vertices.Count >= 2 * _dim && vertices.Count > _dim + 1)
            {
                local = ComponentLayout(Subgraph(graph, vertices), out bool converged);
                if (!converged)
                {
                    _monitor.Warning(FailureMessage + $" (connected component {c} of {components}, {vertices.Count} points)");
                    local = null;
                }
            }

            if (local is null)
            {
                var random = RandomInitializer.Uniform(vertices.Count, _dim, _seed ^ (ulong)(c + 1) * FastRandom.GoldenGamma, (float)range, center);
                for (int v = 0; v < vertices.Count; v++)
                {
                    for (int d = 0; d < _dim; d++)
                        result[vertices[v] * _dim + d] = random.Values[v * _dim + d];
                }
                return;
            }

            double maxAbs = 0;
            foreach (double x in local)
                maxAbs = Math.Max(maxAbs, Math.Abs(x));
            double expansion = maxAbs > 0 ? range / maxAbs : 0;
            for (int v = 0; v < vertices.Count; v++)
            {
                for (int d = 0; d < _dim; d++)
                    result[vertices[v] * _dim + d] = local[v * _dim + d] * expansion + center[d];
            }
        }

        /// <summary>umap-learn places up to 2·dim components at ±unit vectors: (1,0,…), (−1,0,…), (0,1,…), ….</summary>
        private double[] UnitVectorLayout(int components)
        {
            int half = (components + 1) / 2;
            var meta = new double[components * _dim];
            for (int c = 0; c < components; c++)
            {
                int axis = c % half;
                meta[c * _dim + axis] = c < half ? 1.0 : -1.0;
            }
            return meta;
        }

        /// <summary>
        /// Laplacian eigenmap of the component centroids with affinity exp(−d²), as umap-learn's
        /// <c>component_layout</c> (through scikit-learn's SpectralEmbedding), scaled so the largest coordinate is 1.
        /// </summary>
        private double[] CentroidLayout(VectorSet data, int[] labels, int components, RowDistance? centroidDistance)
        {
            var centroids = Centroids(data, labels, components);
            if (components > MaximumSpectralComponents)
            {
                _monitor.Info($"Placing the {components} components by the principal components of their centroids (a spectral embedding of more than {MaximumSpectralComponents} centroids would need their C² distances).");
                return ScaledToUnit(PcaInitializer.Layout(centroids, _dim, _seed, _threads));
            }
            var distances = centroidDistance is null ? AverageLinkages(centroids, labels, components) : CentroidDistances(centroids, centroidDistance);
            var (affinity, sqrtDegree) = NormalizedAffinity(distances);
            var trivial = (double[])sqrtDegree.Clone();
            Normalize(trivial);
            var settings = new LanczosEigensolver.Settings { Seed = _seed, Threads = 1, Tolerance = 1e-8 };
            var eig = LanczosEigensolver.Largest(new DenseSymmetricOperator(affinity), _dim, new[] { trivial }, settings, _monitor.Cancellation);
            return ScaledToLargest(EigenmapCoordinates(eig.Vectors, sqrtDegree));
        }

        /// <summary>The distances between every two centroids.</summary>
        private static double[,] CentroidDistances(VectorSet centroids, RowDistance centroidDistance)
        {
            int components = centroids.Count;
            var distances = new double[components, components];
            for (int i = 0; i < components; i++)
            {
                for (int j = i + 1; j < components; j++)
                    distances[i, j] = distances[j, i] = centroidDistance(centroids[i], centroids[j]);
            }
            return distances;
        }

        /// <summary>
        /// The mean distance from the rows of one component to those of another, for rows of precomputed distances: entry
        /// j of component a's centroid is the mean distance from a's rows to row j, so the linkage of a and b is the mean
        /// of those entries over b's rows. Unlike a distance between centroids it stays within the range of the
        /// distances themselves, however large they are.
        /// </summary>
        private static double[,] AverageLinkages(VectorSet centroids, int[] labels, int components)
        {
            var sizes = new int[components];
            foreach (int label in labels)
                sizes[label]++;
            var linkages = new double[components, components];
            var sums = new double[components];
            for (int a = 0; a < components; a++)
            {
                Array.Clear(sums);
                var centroid = centroids[a];
                for (int p = 0; p < centroid.Values.Length; p++)
                    sums[labels[centroid.IsSparse ? centroid.Indices[p] : p]] += centroid.Values[p];
                for (int b = a + 1; b < components; b++)
                    linkages[a, b] = linkages[b, a] = sums[b] / sizes[b];
            }
            return linkages;
        }

        /// <summary>
        /// The affinity exp(−d²) of every two centroids, normalised to D^(−1/2) W D^(−1/2), and √D. Distances are taken in
        /// units of their median when exp(−d²) would underflow to 0 for every pair (data on a large scale, such as pixel
        /// values, would otherwise leave the centroid graph without edges).
        /// </summary>
        private static (double[,] Affinity, double[] SqrtDegree) NormalizedAffinity(double[,] distances)
        {
            int components = distances.GetLength(0);
            var positive = new List<double>();
            for (int i = 0; i < components; i++)
            {
                for (int j = i + 1; j < components; j++)
                {
                    if (distances[i, j] > 0)
                        positive.Add(distances[i, j]);
                }
            }
            double scale = 1.0;
            positive.Sort();
            if (positive.Count > 0 && PortableMath.Exp(-positive[0] * positive[0]) == 0)
                scale = positive[positive.Count / 2];

            var affinity = new double[components, components];
            var degree = new double[components];
            for (int i = 0; i < components; i++)
            {
                for (int j = 0; j < components; j++)
                {
                    if (i == j)
                        continue;
                    double d = distances[i, j] / scale;
                    affinity[i, j] = PortableMath.Exp(-d * d);
                    degree[i] += affinity[i, j];
                }
            }

            var sqrtDegree = new double[components];
            for (int i = 0; i < components; i++)
                sqrtDegree[i] = Math.Sqrt(Math.Max(degree[i], double.Epsilon));
            for (int i = 0; i < components; i++)
            {
                for (int j = 0; j < components; j++)
                    affinity[i, j] /= sqrtDegree[i] * sqrtDegree[j];
            }
            return (affinity, sqrtDegree);
        }

        /// <summary>scikit-learn's coordinates: D^(−1/2)·eigenvector, with a deterministic sign (largest |entry| positive).</summary>
        private double[] EigenmapCoordinates(double[][] vectors, double[] sqrtDegree)
        {
            int components = sqrtDegree.Length;
            var meta = new double[components * _dim];
            for (int d = 0; d < _dim; d++)
            {
                var v = vectors[d];
                int argMax = 0;
                for (int i = 1; i < components; i++)
                {
                    if (Math.Abs(v[i] / sqrtDegree[i]) > Math.Abs(v[argMax] / sqrtDegree[argMax]))
                        argMax = i;
                }
                double sign = v[argMax] < 0 ? -1 : 1;
                for (int i = 0; i < components; i++)
                    meta[i * _dim + d] = sign * v[i] / sqrtDegree[i];
            }
            return meta;
        }

        /// <summary>Scales a layout so its largest coordinate (signed) is 1, when it is positive.</summary>
        private static double[] ScaledToLargest(double[] layout)
        {
            double max = double.NegativeInfinity;
            foreach (double x in layout)
                max = Math.Max(max, x);
            if (max > 0)
            {
                for (int i = 0; i < layout.Length; i++)
                    layout[i] /= max;
            }
            return layout;
        }

        /// <summary>
        /// Each component's centroid, stored like the data: dense rows give a dense C × d matrix (no larger than the
        /// data), sparse rows sparse centroids, so C components of a 2^22-wide text column cost their non-zeros only.
        /// </summary>
        private static VectorSet Centroids(VectorSet data, int[] labels, int components)
        {
            var counts = new int[components];
            foreach (int label in labels)
                counts[label]++;
            if (data is DenseVectorSet)
            {
                int dims = data.Dimension;
                var sums = new double[components][];
                for (int c = 0; c < components; c++)
                    sums[c] = new double[dims];
                for (int i = 0; i < data.Count; i++)
                {
                    var row = data[i].Values;
                    var sum = sums[labels[i]];
                    for (int p = 0; p < row.Length; p++)
                        sum[p] += row[p];
                }
                var matrix = new RowMatrix(components, dims);
                for (int c = 0; c < components; c++)
                {
                    var centroid = matrix.Row(c);
                    for (int d = 0; d < dims; d++)
                        centroid[d] = (float)(sums[c][d] / counts[c]);
                }
                return new DenseVectorSet(matrix);
            }

            var sparseSums = new Dictionary<int, double>[components];
            for (int c = 0; c < components; c++)
                sparseSums[c] = new Dictionary<int, double>();
            for (int i = 0; i < data.Count; i++)
            {
                var row = data[i];
                var sum = sparseSums[labels[i]];
                for (int p = 0; p < row.Values.Length; p++)
                    sum[row.Indices[p]] = sum.GetValueOrDefault(row.Indices[p]) + row.Values[p];
            }
            var offsets = new int[components + 1];
            var indices = new List<int>();
            var values = new List<float>();
            for (int c = 0; c < components; c++)
            {
                var columns = new List<int>(sparseSums[c].Keys);
                columns.Sort();
                foreach (int column in columns)
                {
                    float mean = (float)(sparseSums[c][column] / counts[c]);
                    if (mean == 0f)
                        continue; // sparse rows hold no zeros
                    indices.Add(column);
                    values.Add(mean);
                }
                offsets[c + 1] = indices.Count;
            }
            return new SparseVectorSet(offsets, indices.ToArray(), values.ToArray(), data.Dimension);
        }

        /// <summary>Scales a layout so its largest absolute coordinate is 1 (unchanged if all are 0).</summary>
        private static double[] ScaledToUnit(double[] layout)
        {
            double max = 0;
            foreach (double x in layout)
                max = Math.Max(max, Math.Abs(x));
            if (max > 0)
            {
                for (int i = 0; i < layout.Length; i++)
                    layout[i] /= max;
            }
            return layout;
        }

        /// <summary>
        /// For each component, half the distance from its place to the nearest other component's (0.5 when every
        /// other is at the same place): the radius its own layout gets. Exact for up to
        /// <see cref="MaximumSpectralComponents"/> components; beyond, among each one's approximate nearest places.
        /// </summary>
        private double[] HalfDistancesToNearest(double[] meta, int components)
        {
            var result = new double[components];
            if (components <= MaximumSpectralComponents)
            {
                for (int c = 0; c < components; c++)
                    result[c] = HalfDistanceToNearest(meta, c, components);
                return result;
            }

            var places = new RowMatrix(components, _dim);
            for (int i = 0; i < meta.Length; i++)
                places.Values[i] = (float)meta[i];
            int k = Math.Min(components, 16);
            var nearest = new NNDescent<EuclideanDistance>(new DenseVectorSet(places), default, _threads, new NNDescentSettings { Seed = _seed })
                .ComputeGraph(k, new FitMonitor(cancellation: _monitor.Cancellation));
            for (int c = 0; c < components; c++)
            {
                result[c] = 0.5;
                var row = nearest.RowDistances(c);
                for (int j = 1; j < row.Length; j++)
                {
                    if (row[j] > 0 && float.IsFinite(row[j]))
                    {
                        result[c] = row[j] / 2.0;
                        break;
                    }
                }
            }
            return result;
        }

        private double HalfDistanceToNearest(double[] meta, int c, int components)
        {
            double best = double.PositiveInfinity;
            for (int o = 0; o < components; o++)
            {
                if (o == c)
                    continue;
                double sum = 0;
                for (int d = 0; d < _dim; d++)
                {
                    double diff = meta[o * _dim + d] - meta[c * _dim + d];
                    sum += diff * diff;
                }
                if (sum > 0)
                    best = Math.Min(best, Math.Sqrt(sum));
            }
            return double.IsPositiveInfinity(best) ? 0.5 : best / 2.0;
        }

        private static CsrMatrix Subgraph(CsrMatrix graph, List<int> vertices)
        {
            var local = new Dictionary<int, int>(vertices.Count);
            for (int v = 0; v < vertices.Count; v++)
                local[vertices[v]] = v;
            var offsets = new int[vertices.Count + 1];
            int nnz = 0;
            foreach (int v in vertices)
                nnz += graph.RowColumns(v).Length;
            var columns = new int[nnz];
            var values = new float[nnz];
            int count = 0;
            for (int v = 0; v < vertices.Count; v++)
            {
                var cols = graph.RowColumns(vertices[v]);
                var vals = graph.RowValues(vertices[v]);
                for (int p = 0; p < cols.Length; p++)
                {
                    // Every neighbour lies in the same component, so the lookup always succeeds.
                    columns[count] = local[cols[p]];
                    values[count] = vals[p];
                    count++;
                }
                offsets[v + 1] = count;
            }
            // Vertices are listed in increasing order, so mapped columns stay sorted.
            return new CsrMatrix(vertices.Count, vertices.Count, offsets, columns, values);
        }

        private static void Normalize(double[] v)
        {
            double norm = 0;
            foreach (double x in v)
                norm += x * x;
            norm = Math.Sqrt(norm);
            for (int i = 0; i < v.Length; i++)
                v[i] /= norm;
        }
    }
}
