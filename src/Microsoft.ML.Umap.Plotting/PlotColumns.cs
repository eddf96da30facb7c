using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Umap.Plotting
{
    /// <summary>
    /// Reads what a plot needs from an <see cref="IDataView"/>: the embedding vectors, each row's class as text
    /// (a key column shows its key values, a number its invariant text; missing keys, NaN and empty text are
    /// unlabelled) and optional hover text, with errors that name the column.
    /// </summary>
    internal static class PlotColumns
    {
        /// <summary>ML.NET's annotation holding the text of each key value.</summary>
        private const string KeyValuesKind = "KeyValues";

        public static float[][] ReadEmbedding(IDataView data, string columnName)
        {
            var column = Find(data, columnName, "embedding");
            if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(columnName), $"Embedding column '{columnName}' is {column.Type}; a plot needs a vector of Single (the column UMAP appends).");
            var rows = new List<float[]>();
            using var cursor = data.GetRowCursor(new[] { column });
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                rows.Add(value.DenseValues().ToArray());
            }
            return rows.ToArray();
        }

        /// <summary>Each row's value of a scalar column as text (null when missing), for classes and hover text.</summary>
        public static string?[] ReadText(IDataView data, string columnName, string role)
        {
            var column = Find(data, columnName, role);
            var read = TextGetter(column, role);
            var values = new List<string?>();
            using var cursor = data.GetRowCursor(new[] { column });
            var next = read(cursor);
            while (cursor.MoveNext())
                values.Add(next());
            return values.ToArray();
        }

        private static DataViewSchema.Column Find(IDataView data, string columnName, string role)
        {
            ArgumentNullException.ThrowIfNull(data);
            ArgumentException.ThrowIfNullOrEmpty(columnName);
            return data.Schema.GetColumnOrNull(columnName)
                ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"The {role} column '{columnName}' is not in the data; its columns are: {string.Join(", ", Names(data.Schema))}.");
        }

        private static IEnumerable<string> Names(DataViewSchema schema)
        {
            foreach (var column in schema)
            {
                if (!column.IsHidden)
                    yield return column.Name;
            }
        }

        /// <summary>A factory of per-cursor getters that return the column's value as text.</summary>
        private static Func<DataViewRowCursor, Func<string?>> TextGetter(DataViewSchema.Column column, string role)
        {
            if (column.Type is KeyDataViewType key)
                return KeyGetter(column, key);
            return WithFormat(column.Type, new CursorGetters(column))
                ?? throw new ArgumentOutOfRangeException(nameof(column), $"The {role} column '{column.Name}' is {column.Type}; expected a key, text, Boolean or numeric scalar.");
        }

        /// <summary>Something built from a value type and its text form (see <see cref="WithFormat"/>).</summary>
        private interface IFormatUser<TResult>
        {
            TResult Use<T>(Func<T, string?> format);
        }

        /// <summary>
        /// The one place that knows how each scalar type reads as a class name: text (empty: missing), Boolean,
        /// numbers in invariant form (NaN: missing). Null for any other type.
        /// </summary>
        private static TResult? WithFormat<TResult>(DataViewType type, IFormatUser<TResult> user)
            where TResult : class
        {
            if (type == TextDataViewType.Instance)
                return user.Use<ReadOnlyMemory<char>>(v => v.IsEmpty ? null : v.ToString());
            if (type == BooleanDataViewType.Instance)
                return user.Use<bool>(v => v ? "true" : "false");
            if (type == NumberDataViewType.Single)
                return user.Use<float>(v => float.IsNaN(v) ? null : v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.Double)
                return user.Use<double>(v => double.IsNaN(v) ? null : v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.Int32)
                return user.Use<int>(v => v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.Int64)
                return user.Use<long>(v => v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.UInt32)
                return user.Use<uint>(v => v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.Int16)
                return user.Use<short>(v => v.ToString(CultureInfo.InvariantCulture));
            if (type == NumberDataViewType.Byte)
                return user.Use<byte>(v => v.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        private static Func<DataViewRowCursor, Func<string?>> Getter<T>(DataViewSchema.Column column, Func<T, string?> format) => cursor =>
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            return () =>
            {
                getter(ref value);
                return format(value);
            };
        };

        /// <summary>Keys show their key values (the original values of a <c>MapValueToKey</c>) when the column has them, else their number; key 0 is missing.</summary>
        private static Func<DataViewRowCursor, Func<string?>> KeyGetter(DataViewSchema.Column column, KeyDataViewType key)
        {
            string?[]? names = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind) is { Type: VectorDataViewType { ItemType: var item } }
                ? WithFormat(item, new KeyValueNames(column))
                : null;
            string? Name(ulong k) =>
                k == 0 ? null
                : names != null && k <= (ulong)names.Length ? names[k - 1]
                : k.ToString(CultureInfo.InvariantCulture);

            if (key.RawType == typeof(uint))
                return Getter<uint>(column, k => Name(k));
            if (key.RawType == typeof(ulong))
                return Getter<ulong>(column, Name);
            if (key.RawType == typeof(ushort))
                return Getter<ushort>(column, k => Name(k));
            return Getter<byte>(column, k => Name(k));
        }

        /// <summary>Per-cursor getters of a scalar column's values as text.</summary>
        private sealed class CursorGetters : IFormatUser<Func<DataViewRowCursor, Func<string?>>>
        {
            private readonly DataViewSchema.Column _column;

            public CursorGetters(DataViewSchema.Column column) => _column = column;

            public Func<DataViewRowCursor, Func<string?>> Use<T>(Func<T, string?> format) => Getter(_column, format);
        }

        /// <summary>The text of each key value, from the column's KeyValues annotation.</summary>
        private sealed class KeyValueNames : IFormatUser<string?[]>
        {
            private readonly DataViewSchema.Column _column;

            public KeyValueNames(DataViewSchema.Column column) => _column = column;

            public string?[] Use<T>(Func<T, string?> format)
            {
                VBuffer<T> values = default;
                _column.Annotations.GetValue(KeyValuesKind, ref values);
                return values.DenseValues().Select(format).ToArray();
            }
        }
    }
}
