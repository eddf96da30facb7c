using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Fitting;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Reads the label column of a supervised fit. Categorical targets accept a key column (key 0, ML.NET's
    /// missing key, is unlabelled), any numeric column (NaN is unlabelled), a Boolean or a text column (empty text
    /// is unlabelled); each distinct value is a class. Numeric targets need a finite Single or Double per row.
    /// </summary>
    internal static class LabelColumnReader
    {
        private const string Expected = "a key, numeric, Boolean or text scalar";

        /// <summary>Validates the label column in an estimator's <see cref="SchemaShape"/>.</summary>
        public static void Check(SchemaShape schema, string name, UmapTargetMetric metric)
        {
            foreach (var column in schema)
            {
                if (column.Name != name)
                    continue;
                bool ok = column.Kind == SchemaShape.Column.VectorKind.Scalar && IsSupported(column.ItemType, column.IsKey, metric);
                if (!ok)
                    throw Mismatch(name, column.ItemType?.ToString() ?? "unknown", metric);
                return;
            }
            throw SchemaErrors.ColumnNotFound("label", name);
        }

        /// <summary>The labels of every row, in order.</summary>
        public static SupervisionTarget Read(IDataView data, string name, UmapTargetMetric metric, Core.Fitting.FitMonitor monitor)
        {
            var column = data.Schema.GetColumnOrNull(name) ?? throw SchemaErrors.ColumnNotFound("label", name);
            var type = column.Type;
            if (!IsSupported(type, type is KeyDataViewType, metric))
                throw Mismatch(name, type.ToString() ?? "unknown", metric);

            using var cursor = data.GetRowCursor(new[] { column });
            if (metric == UmapTargetMetric.Euclidean)
            {
                var values = new List<float>();
                var getter = NumericGetter(cursor, column);
                while (cursor.MoveNext())
                {
                    double value = getter();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"Label column '{name}', row index {values.Count}, holds {value}; a Euclidean target needs a finite number in every row.");
                    values.Add((float)value);
                    if ((values.Count & 4095) == 0)
                        monitor.ThrowIfCancellationRequested();
                }
                return SupervisionTarget.Numeric(values.ToArray());
            }

            return SupervisionTarget.Categorical(ClassIds(ClassKeys(cursor, column, monitor), new Dictionary<string, int>()));
        }

        /// <summary>
        /// Each row's class as a key string (the value's identity: equal values, equal keys; null when unlabelled), for
        /// a categorical label column.
        /// </summary>
        public static string?[] ReadClassKeys(IDataView data, string name, Core.Fitting.FitMonitor monitor)
        {
            var column = data.Schema.GetColumnOrNull(name) ?? throw SchemaErrors.ColumnNotFound("label", name);
            if (!IsSupported(column.Type, column.Type is KeyDataViewType, UmapTargetMetric.Categorical))
                throw Mismatch(name, column.Type.ToString() ?? "unknown", UmapTargetMetric.Categorical);
            using var cursor = data.GetRowCursor(new[] { column });
            return ClassKeys(cursor, column, monitor);
        }

        /// <summary>Class ids 0, 1, … in order of first appearance (−1: unlabelled), numbering new keys in <paramref name="ids"/>.</summary>
        public static int[] ClassIds(string?[] keys, Dictionary<string, int> ids)
        {
            var classes = new int[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                string? key = keys[i];
                if (key is null)
                {
                    classes[i] = -1;
                    continue;
                }
                if (!ids.TryGetValue(key, out int id))
                    ids[key] = id = ids.Count;
                classes[i] = id;
            }
            return classes;
        }

        private static string?[] ClassKeys(DataViewRowCursor cursor, DataViewSchema.Column column, Core.Fitting.FitMonitor monitor)
        {
            var keys = new List<string?>();
            var next = ClassGetter(cursor, column);
            while (cursor.MoveNext())
            {
                keys.Add(next());
                if ((keys.Count & 4095) == 0)
                    monitor.ThrowIfCancellationRequested();
            }
            return keys.ToArray();
        }

        private static bool IsSupported(DataViewType type, bool isKey, UmapTargetMetric metric)
        {
            if (metric == UmapTargetMetric.Euclidean)
                return !isKey && (type == NumberDataViewType.Single || type == NumberDataViewType.Double);
            return isKey || type is NumberDataViewType || type == BooleanDataViewType.Instance || type == TextDataViewType.Instance;
        }

        private static ArgumentOutOfRangeException Mismatch(string name, string found, UmapTargetMetric metric) =>
            SchemaErrors.Mismatch("label", name, metric == UmapTargetMetric.Euclidean ? "a Single or Double scalar (a Euclidean target)" : Expected, found);

        private static Func<double> NumericGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            if (column.Type == NumberDataViewType.Single)
            {
                var getter = cursor.GetGetter<float>(column);
                float value = 0;
                return () => { getter(ref value); return value; };
            }
            var doubles = cursor.GetGetter<double>(column);
            double d = 0;
            return () => { doubles(ref d); return d; };
        }

        /// <summary>A getter of each row's class as a string key (the class's identity), null when unlabelled.</summary>
        private static Func<string?> ClassGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var type = column.Type;
            if (type is KeyDataViewType key)
            {
                // Keys of any width: read through the raw type ML.NET uses for it.
                if (key.RawType == typeof(uint)) { var g = cursor.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v == 0 ? null : v.ToString(System.Globalization.CultureInfo.InvariantCulture); }; }
                if (key.RawType == typeof(ulong)) { var g = cursor.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v == 0 ? null : v.ToString(System.Globalization.CultureInfo.InvariantCulture); }; }
                if (key.RawType == typeof(ushort)) { var g = cursor.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v == 0 ? null : v.ToString(System.Globalization.CultureInfo.InvariantCulture); }; }
                var b = cursor.GetGetter<byte>(column); byte bv = 0; return () => { b(ref bv); return bv == 0 ? null : bv.ToString(System.Globalization.CultureInfo.InvariantCulture); };
            }
            if (type == TextDataViewType.Instance)
            {
                var g = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> v = default;
                return () => { g(ref v); return v.IsEmpty ? null : v.ToString(); };
            }
            if (type == BooleanDataViewType.Instance)
            {
                var g = cursor.GetGetter<bool>(column);
                bool v = false;
                return () => { g(ref v); return v ? "true" : "false"; };
            }
            return NumericClass(cursor, column);
        }

        private static Func<string?> NumericClass(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var raw = column.Type.RawType;
            Func<double> read = raw == typeof(float) ? Read<float>(cursor, column, v => v)
                : raw == typeof(double) ? Read<double>(cursor, column, v => v)
                : raw == typeof(sbyte) ? Read<sbyte>(cursor, column, v => v)
                : raw == typeof(byte) ? Read<byte>(cursor, column, v => v)
                : raw == typeof(short) ? Read<short>(cursor, column, v => v)
                : raw == typeof(ushort) ? Read<ushort>(cursor, column, v => v)
                : raw == typeof(int) ? Read<int>(cursor, column, v => v)
                : raw == typeof(uint) ? Read<uint>(cursor, column, v => v)
                : raw == typeof(long) ? Read<long>(cursor, column, v => v)
                : raw == typeof(ulong) ? Read<ulong>(cursor, column, v => v)
                : throw SchemaErrors.Mismatch("label", column.Name, Expected, column.Type.ToString() ?? "unknown");
            return () =>
            {
                double value = read();
                return double.IsNaN(value) ? null : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            };
        }

        private static Func<double> Read<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            return () => { getter(ref value); return convert(value); };
        }
    }
}
