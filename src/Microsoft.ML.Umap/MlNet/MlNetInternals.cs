using System;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The start-up check of the ML.NET internals the library uses (MlNetInternals.txt, see docs/mlnet-internals.md),
    /// and the two of them the ML.NET layer reaches outside persistence and ONNX. Every public way in (the catalog, a
    /// transformer however it was made, the model loader) runs the check first, so a future ML.NET without one of the
    /// members fails with an exception naming the ML.NET version and the member, before any code that uses it runs.
    /// </summary>
    internal static class MlNetInternals
    {
        /// <summary>
        /// Throws <see cref="NotSupportedException"/> naming the member and the ML.NET version when the ML.NET this
        /// process runs on lacks a listed internal. Checked once per process.
        /// </summary>
        public static void ThrowIfUnavailable()
        {
            if (Availability.Problem is string problem)
                throw new NotSupportedException(problem);
        }

        /// <summary>The environment behind <c>mlContext.Transforms</c> (the context itself), after the check.</summary>
        public static IHostEnvironment Environment(TransformsCatalog catalog)
        {
            ThrowIfUnavailable();
            return EnvironmentOf(catalog);
        }

        /// <summary>A column of a <see cref="SchemaShape"/> (its constructor is internal).</summary>
        // Not inlined, like EnvironmentOf: a member missing from ML.NET then fails this method's compilation only,
        // after the check, never its caller's.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static SchemaShape.Column NewSchemaShapeColumn(string name, SchemaShape.Column.VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape annotations)
            => new SchemaShape.Column(name, vecKind, itemType, isKey, annotations);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IHostEnvironment EnvironmentOf(TransformsCatalog catalog) => ((IInternalCatalog)catalog).Environment;

        /// <summary>The check's result, computed on first use: null when every listed member is there.</summary>
        private static class Availability
        {
            public static readonly string? Problem = MlNetInternalsList.Problem(MlNetInternalsList.Embedded(), MlNetInternalsList.LoadedAssemblies());
        }
    }
}
