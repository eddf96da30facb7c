using System;
using Microsoft.ML.Umap.Core.Graph;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Core
{
    /// <summary>What a fit produces: the embedding and the effective settings and intermediate results.</summary>
    internal sealed class UmapFitResult
    {
        /// <summary>The embedding, n × NumberOfComponents.</summary>
        public RowMatrix Embedding { get; init; }

        /// <summary>The curve parameter a actually used (fitted or given).</summary>
        public double A { get; init; }

        /// <summary>The curve parameter b actually used (fitted or given).</summary>
        public double B { get; init; }

        /// <summary>Epochs actually run.</summary>
        public int Epochs { get; init; }

        /// <summary>Neighbours per point actually used (the point itself included); fewer than asked on tiny data.</summary>
        public int NeighborsUsed { get; init; }

        /// <summary>The initialisation actually used (Random when spectral initialisation fell back).</summary>
        public UmapInitialization InitializationUsed { get; init; }

        /// <summary>The k-nearest-neighbour graph.</summary>
        public KnnGraph Neighbors { get; init; }

        /// <summary>The fuzzy simplicial set, before pruning.</summary>
        public FuzzySimplicialSet FuzzySet { get; init; }

        /// <summary>Wall-clock time per stage, indexed by <see cref="UmapStage"/>.</summary>
        public TimeSpan[] StageDurations { get; init; }
    }
}
