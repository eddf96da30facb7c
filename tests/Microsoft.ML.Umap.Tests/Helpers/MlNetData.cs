using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Numerics;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>A row with a fixed-size feature vector and a label.</summary>
    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public int Label { get; set; }
    }

    /// <summary>A transformed row: what the pipelines in the tests read back.</summary>
    public sealed class EmbeddedRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public int Label { get; set; }

        public float[] Embedding { get; set; } = Array.Empty<float>();
    }

    /// <summary>Turns test matrices into ML.NET data views.</summary>
    internal static class MlNetData
    {
        /// <summary>A data view with a known-size "Features" vector column and a "Label" column.</summary>
        public static IDataView Load(MLContext ml, RowMatrix data, int[]? labels = null)
        {
            var rows = Enumerable.Range(0, data.Rows).Select(i => new FeatureRow { Features = data.ReadOnlyRow(i).ToArray(), Label = labels?[i] ?? 0 }).ToList();
            return Load(ml, rows, data.Columns);
        }

        /// <summary>Rows as a known-size column of <paramref name="size"/> values, or variable-size when size is 0.</summary>
        public static IDataView Load(MLContext ml, IEnumerable<FeatureRow> rows, int size)
        {
            var schema = SchemaDefinition.Create(typeof(FeatureRow));
            schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return ml.Data.LoadFromEnumerable(rows, schema);
        }

        /// <summary>The embedding column of transformed data, row by row.</summary>
        public static float[][] Embedding(MLContext ml, IDataView transformed, string column = "Embedding") =>
            transformed.GetColumn<float[]>(column).ToArray();
    }
}

namespace Microsoft.ML.Umap.Tests.Helpers
{
    using Microsoft.ML.Umap.MlNet;

    /// <summary>ML.NET keeps <c>SchemaShape.Create</c> internal; this builds the same shape through the library's accessor.</summary>
    internal static class SchemaShapes
    {
        public static SchemaShape Of(DataViewSchema schema) => new SchemaShape(schema.Where(c => !c.IsHidden).Select(c =>
        {
            var kind = c.Type is VectorDataViewType v
                ? (v.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector)
                : SchemaShape.Column.VectorKind.Scalar;
            var item = c.Type is VectorDataViewType vt ? vt.ItemType : c.Type;
            return MlNetInternals.NewSchemaShapeColumn(c.Name, kind, item, item is KeyDataViewType, null!);
        }));
    }
}
