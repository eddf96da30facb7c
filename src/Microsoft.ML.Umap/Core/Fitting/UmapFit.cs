using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Model;

namespace Microsoft.ML.Umap.Core.Fitting
{
    /// <summary>What the fit settled, beyond the settings: the curve, the epochs, the neighbours and the initialisation it used.</summary>
    /// <param name="A">The curve parameter a actually used (fitted or given).</param>
    /// <param name="B">The curve parameter b actually used (fitted or given).</param>
    /// <param name="Epochs">Epochs run.</param>
    /// <param name="NeighborsUsed">Neighbours per row actually used (the row itself included); fewer than asked on tiny data.</param>
    /// <param name="InitializationUsed">The initialisation that ran (Random when spectral initialisation fell back).</param>
    internal sealed record FitSummary(double A, double B, int Epochs, int NeighborsUsed, UmapInitialization InitializationUsed);

    /// <summary>A fit's outcome: the model, the fuzzy simplicial set it was laid out from, and the time per stage.</summary>
    /// <param name="Model">The fitted model.</param>
    /// <param name="FuzzySet">The fuzzy simplicial set of the data, before labels and pruning.</param>
    /// <param name="StageDurations">Wall-clock time per stage, indexed by <see cref="UmapStage"/>.</param>
    internal sealed record UmapFit(UmapModel Model, FuzzySimplicialSet FuzzySet, TimeSpan[] StageDurations);
}
