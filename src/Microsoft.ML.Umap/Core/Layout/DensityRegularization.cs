using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Layout
{
    /// <summary>
    /// densMAP (Narayan, Berger and Cho, 2021; umap-learn <c>densmap=True</c>): an extra term in the layout's
    /// attraction that makes each point's local radius in the embedding correlate with its local radius in the
    /// data, so dense regions stay small and sparse ones stay large.
    /// </summary>
    /// <remarks>
    /// The local radius of a point is the membership-weighted mean squared distance to its graph neighbours, in
    /// the data (fixed, from the k-NN distances) and in the embedding (recomputed at the start of each epoch with
    /// the embedding similarity φ as the weight). The term maximises the Pearson correlation of their logarithms;
    /// it is switched on for the last <see cref="DensitySettings.Fraction"/> of the epochs, as in umap-learn.
    /// Unlike umap-learn, points left without edges are kept out of the statistics instead of turning them into NaN.
    /// </remarks>
    internal sealed class DensityRegularization
    {
        /// <summary>Keeps the logarithm finite for a point whose neighbours all coincide with it (umap-learn: 1e-8).</summary>
        private const double Epsilon = 1e-8;

        private readonly DensitySettings _settings;
        private readonly CsrMatrix _graph;
        private readonly float _a;
        private readonly float _b;
        private readonly FixedPower _powerB;

        /// <summary>Points with at least one edge; the others take no part in the statistics.</summary>
        private readonly bool[] _connected;
        private readonly int _connectedCount;

        /// <summary>Standardised log radii in the data (umap-learn R); 0 for points without edges.</summary>
        private readonly float[] _dataRadii;

        /// <summary>Σ of all edge weights over both directions (umap-learn mu_tot).</summary>
        private readonly double _totalWeight;

        // Per-epoch state, computed by BeginEpoch from the epoch's starting positions.
        private readonly double[] _embeddedLogRadii;
        private readonly float[] _inverseRadius;
        private readonly float[] _inverseSimilaritySum;
        private readonly float[] _correlationWeight;
        private float _scale;

        private DensityRegularization(DensitySettings settings, CsrMatrix graph, double a, double b, bool[] connected, float[] dataRadii)
        {
            int n = graph.Rows;
            _settings = settings;
            _graph = graph;
            _a = (float)a;
            _b = (float)b;
            _powerB = new FixedPower(b);
            _connected = connected;
            _connectedCount = connected.Count(c => c);
            _dataRadii = dataRadii;
            foreach (float w in graph.Values)
                _totalWeight += w;
            _embeddedLogRadii = new double[n];
            _inverseRadius = new float[n];
            _inverseSimilaritySum = new float[n];
            _correlationWeight = new float[n];
        }

        /// <summary>
        /// Prepares the term for the pruned, symmetric <paramref name="graph"/> built from <paramref name="neighbors"/>;
        /// an edge that is not a k-NN pair (added by a supervised fit) counts as distance 0, as in umap-learn.
        /// </summary>
        public static DensityRegularization Create(CsrMatrix graph, KnnGraph neighbors, DensitySettings settings, double a, double b, int threads)
        {
            var logRadii = new double[graph.Rows];
            var connected = new bool[graph.Rows];
            ParallelRange.For(graph.Rows, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    var columns = graph.RowColumns(i);
                    var weights = graph.RowValues(i);
                    double weighted = 0, total = 0;
                    for (int p = 0; p < columns.Length; p++)
                    {
                        double distance = NeighborDistance(neighbors, i, columns[p]);
                        weighted += weights[p] * distance * distance;
                        total += weights[p];
                    }
                    connected[i] = total > 0;
                    logRadii[i] = total > 0 ? PortableMath.Log(Epsilon + weighted / total) : 0;
                }
            });

            var (mean, deviation) = Moments(logRadii, connected);
            var standardised = new float[graph.Rows];
            for (int i = 0; i < standardised.Length; i++)
                standardised[i] = connected[i] && deviation > 0 ? (float)((logRadii[i] - mean) / deviation) : 0f;
            return new DensityRegularization(settings, graph, a, b, connected, standardised);
        }

        /// <summary>True when the term acts in <paramref name="epoch"/> of <paramref name="epochs"/> (umap-learn's densmap_flag).</summary>
        public bool IsActive(int epoch, int epochs) =>
            _settings.Strength > 0 && (epoch + 1) / (double)epochs > 1 - _settings.Fraction;

        /// <summary>Computes the embedding's local radii and their correlation with the data's from <paramref name="positions"/>.</summary>
        public void BeginEpoch(float[] positions, int dim, int threads)
        {
            ParallelRange.For(_graph.Rows, 1024, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    if (!_connected[i])
                        continue;
                    var self = new ReadOnlySpan<float>(positions, i * dim, dim);
                    var columns = _graph.RowColumns(i);
                    double weighted = 0, total = 0;
                    for (int p = 0; p < columns.Length; p++)
                    {
                        float distanceSquared = UmapGradient.SquaredDistance(self, new ReadOnlySpan<float>(positions, columns[p] * dim, dim));
                        double similarity = distanceSquared > 0f ? 1.0 / (1.0 + _a * _powerB.Of(distanceSquared)) : 1.0;
                        weighted += similarity * distanceSquared;
                        total += similarity;
                    }
                    double radius = Epsilon + weighted / total;
                    _embeddedLogRadii[i] = PortableMath.Log(radius);
                    _inverseRadius[i] = (float)(1.0 / radius);
                    // umap-learn counts every edge from both of its entries in the edge list, doubling this sum.
                    _inverseSimilaritySum[i] = (float)(0.5 / total);
                }
            });

            // umap-learn: std = sqrt(var + var_shift), cov = Σ re·R / (n − 1) with R standardised.
            var (mean, deviation) = Moments(_embeddedLogRadii, _connected);
            double variance = deviation * deviation + _settings.VarianceShift;
            double covariance = 0;
            for (int i = 0; i < _graph.Rows; i++)
            {
                if (_connected[i])
                    covariance += _embeddedLogRadii[i] * _dataRadii[i];
            }
            covariance /= Math.Max(1, _connectedCount - 1);

            for (int i = 0; i < _graph.Rows; i++)
                _correlationWeight[i] = _connected[i] ? (float)(_dataRadii[i] - covariance * (_embeddedLogRadii[i] - mean) / variance) : 0f;
            _scale = (float)(_settings.Strength * _totalWeight / (Math.Sqrt(variance) * _graph.Rows));
        }

        /// <summary>
        /// Coefficient of (y_j − y_k) added to the attraction along edge <paramref name="edge"/> from
        /// <paramref name="j"/> to <paramref name="k"/> at squared distance <paramref name="distanceSquared"/>
        /// (umap-learn's 2·grad_cor_coeff, clipped by the caller like any gradient component).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Coefficient(int j, int k, int edge, float distanceSquared)
        {
            // At distance 0 the term's direction is undefined (umap-learn gets NaN there); it moves nothing.
            if (!(distanceSquared > 0f))
                return 0f;
            var d2 = new OneLane(distanceSquared);
            return Coefficient(OneLane.CreateInt(j), OneLane.CreateInt(k), OneLane.CreateInt(edge), d2, _powerB.Of(d2), OneLane.CreateInt(-1)).Value;
        }

        /// <summary>
        /// <see cref="Coefficient(int, int, int, float)"/> for a vector of edges at once, in the lanes set in
        /// <paramref name="lanes"/> whose d² is positive (0 elsewhere): from vertices <paramref name="j"/> to
        /// <paramref name="k"/> along graph edges <paramref name="edge"/> (integer lanes), with <paramref name="powB"/> =
        /// d²^b from the gradient's own computation.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public unsafe TLanes Coefficient<TLanes>(TLanes j, TLanes k, TLanes edge, TLanes distanceSquared, TLanes powB, TLanes lanes)
            where TLanes : struct, ILanes<TLanes>
        {
            var mask = lanes & TLanes.GreaterThan(distanceSquared, TLanes.Zero);
            var one = TLanes.Create(1f);
            var a = TLanes.Create(_a);
            var b = TLanes.Create(_b);
            var similarity = one / (one + a * powB);
            var similarityDerivative = a * b * (powB / distanceSquared) * similarity;
            var shared = one - b * (one - similarity);
            fixed (float* inverseSimilaritySum = _inverseSimilaritySum)
            fixed (float* inverseRadius = _inverseRadius)
            fixed (float* correlationWeight = _correlationWeight)
            fixed (float* edgeWeights = _graph.Values)
            {
                var towardsK = similarity * TLanes.GatherMasked(inverseSimilaritySum, k, mask)
                    * (shared * TLanes.GatherMasked(inverseRadius, k, mask) + similarityDerivative);
                var towardsJ = similarity * TLanes.GatherMasked(inverseSimilaritySum, j, mask)
                    * (shared * TLanes.GatherMasked(inverseRadius, j, mask) + similarityDerivative);
                var sum = TLanes.GatherMasked(correlationWeight, k, mask) * towardsK + TLanes.GatherMasked(correlationWeight, j, mask) * towardsJ;
                // Masked lanes divide by 0 and are cleared by the mask.
                return TLanes.Create(2f * _scale) * sum / TLanes.GatherMasked(edgeWeights, edge, mask) & mask;
            }
        }

        /// <summary>The data distance between <paramref name="i"/> and <paramref name="j"/> if either is a k-NN of the other, else 0.</summary>
        private static double NeighborDistance(KnnGraph neighbors, int i, int j)
        {
            int p = neighbors.RowIndices(i).IndexOf(j);
            if (p >= 0)
                return neighbors.RowDistances(i)[p];
            p = neighbors.RowIndices(j).IndexOf(i);
            return p >= 0 ? neighbors.RowDistances(j)[p] : 0.0;
        }

        /// <summary>Mean and population standard deviation of the values marked in <paramref name="include"/>.</summary>
        private static (double Mean, double Deviation) Moments(double[] values, bool[] include)
        {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (include[i])
                {
                    sum += values[i];
                    count++;
                }
            }
            if (count == 0)
                return (0, 0);
            double mean = sum / count, squares = 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (include[i])
                    squares += (values[i] - mean) * (values[i] - mean);
            }
            return (mean, Math.Sqrt(squares / count));
        }
    }

    /// <summary>
    /// densMAP's term in the attraction, as a policy the layout's code is compiled for (a struct type argument): with
    /// <see cref="WithoutDensity"/> the JIT removes the term entirely, so plain UMAP pays nothing for densMAP.
    /// </summary>
    internal interface IDensityTerm
    {
        /// <summary>True when the term acts (a constant for each policy).</summary>
        bool Acts { get; }

        /// <summary>Coefficient of the difference added to the attraction from <paramref name="self"/> to <paramref name="other"/> along <paramref name="edge"/>.</summary>
        float Coefficient(int self, int other, int edge, float distanceSquared);

        /// <summary>
        /// The same for a vector of edges (vertex and edge indices as integer lanes), given their d²^b
        /// (<paramref name="powB"/>), in the lanes set in <paramref name="lanes"/> (0 elsewhere).
        /// </summary>
        TLanes Coefficient<TLanes>(TLanes self, TLanes other, TLanes edge, TLanes distanceSquared, TLanes powB, TLanes lanes)
            where TLanes : struct, ILanes<TLanes>;
    }

    /// <summary>Plain UMAP: no density term.</summary>
    internal readonly struct WithoutDensity : IDensityTerm
    {
        public bool Acts => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Coefficient(int self, int other, int edge, float distanceSquared) => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TLanes Coefficient<TLanes>(TLanes self, TLanes other, TLanes edge, TLanes distanceSquared, TLanes powB, TLanes lanes)
            where TLanes : struct, ILanes<TLanes> => TLanes.Zero;
    }

    /// <summary>densMAP in an epoch where its term acts.</summary>
    internal readonly struct WithDensity : IDensityTerm
    {
        private readonly DensityRegularization _term;

        public WithDensity(DensityRegularization term) => _term = term;

        public bool Acts => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Coefficient(int self, int other, int edge, float distanceSquared) => _term.Coefficient(self, other, edge, distanceSquared);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TLanes Coefficient<TLanes>(TLanes self, TLanes other, TLanes edge, TLanes distanceSquared, TLanes powB, TLanes lanes)
            where TLanes : struct, ILanes<TLanes> => _term.Coefficient(self, other, edge, distanceSquared, powB, lanes);
    }
}
