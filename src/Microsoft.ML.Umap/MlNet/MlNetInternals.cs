using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The two members ML.NET 5.0.1 keeps internal that a third-party transform needs (see
    /// docs/mlnet-internals.md). Reached without reflection; Microsoft.ML is pinned to 5.0.1 and tests cover both,
    /// so an upgrade that renames them fails loudly.
    /// </summary>
    internal static class MlNetInternals
    {
        /// <summary>The environment behind <c>mlContext.Transforms</c> (ML.NET keeps it in a private field).</summary>
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_env")]
        public static extern ref IHostEnvironment Environment(TransformsCatalog catalog);

        /// <summary>The internal constructor of <see cref="SchemaShape.Column"/>.</summary>
        [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
        public static extern SchemaShape.Column NewSchemaShapeColumn(string name, SchemaShape.Column.VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape annotations);
    }
}
