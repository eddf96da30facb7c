using System.Runtime.CompilerServices;
using Microsoft.ML.Umap.Core.Numerics.Lanes;

namespace Microsoft.ML.Umap.Core.Layout
{
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

    /// <summary>What happens to the other end of an edge a vertex pulls itself along (umap-learn's move_other).</summary>
    internal interface IOtherEnds
    {
        /// <summary>Records the <paramref name="step"/> taken towards <paramref name="vertex"/> along axis <paramref name="d"/>.</summary>
        void Add(int vertex, int d, float step);
    }

    /// <summary>In a fit: the step is tallied for the other end, which takes it back when its block ends.</summary>
    internal readonly struct TalliedOtherEnds : IOtherEnds
    {
        private readonly OtherEndAttraction.Tally _tally;

        public TalliedOtherEnds(OtherEndAttraction.Tally tally) => _tally = tally;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int vertex, int d, float step) => _tally.Add(vertex, d, step);
    }

    /// <summary>A new row moving against a fixed embedding: the training rows never move.</summary>
    internal readonly struct FixedOtherEnds : IOtherEnds
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int vertex, int d, float step)
        {
        }
    }
}
