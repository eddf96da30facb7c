using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// A Parquet file of flat columns, read one row group at a time (a row group is the unit Parquet stores
    /// together, so memory is bounded by the largest group, whatever the file's size).
    /// </summary>
    internal sealed class ParquetTableReader : TableReader
    {
        private static readonly MethodInfo ReadNumbersMethod = typeof(ParquetTableReader).GetMethod(nameof(ReadNumbers), BindingFlags.NonPublic | BindingFlags.Static)!;

        private static readonly MethodInfo ReadTextMethod = typeof(ParquetTableReader).GetMethod(nameof(ReadText), BindingFlags.NonPublic | BindingFlags.Static)!;

        private readonly ParquetReader _reader;
        private readonly string[] _columnNames;
        private int _nextGroup;
        private long _rowsRead;

        public ParquetTableReader(string path)
            : base(path)
        {
            try
            {
                _reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException and not UnauthorizedAccessException and not FileNotFoundException)
            {
                throw new InvalidDataException($"{path} is not a readable Parquet file: {e.Message}", e);
            }
            var nested = _reader.Schema.Fields.FirstOrDefault(f => f is not DataField || ((DataField)f).IsArray);
            if (nested != null)
            {
                _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw new InvalidDataException($"{path}: the column '{nested.Name}' is nested or repeated; the tool reads and writes flat columns only.");
            }
            Fields = _reader.Schema.GetDataFields();
            _columnNames = Fields.Select(f => f.Name).ToArray();
        }

        public DataField[] Fields { get; }

        public ParquetSchema Schema => _reader.Schema;

        public override TableFormat Format => TableFormat.Parquet;

        public override IReadOnlyList<string> ColumnNames => _columnNames;

        public override TableBatch? ReadBatch(int maximumRows)
        {
            if (_nextGroup >= _reader.RowGroupCount)
                return null;
            var group = _reader.OpenRowGroupReader(_nextGroup++);
            if (group.RowCount > int.MaxValue)
                throw new InvalidDataException($"{Path}: row group {_nextGroup - 1} holds {group.RowCount:N0} rows, more than one batch can; rewrite the file with smaller row groups.");
            var batch = new ParquetBatch(this, group, _rowsRead, (int)group.RowCount);
            _rowsRead += group.RowCount;
            return batch;
        }

        public override void Dispose() => _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();

        private static void ReadNumbers<T>(ParquetRowGroupReader group, DataField field, float[] column, string where, long firstRow)
            where T : struct
        {
            if (field.IsNullable)
            {
                var values = new T?[column.Length];
                group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int row = 0; row < column.Length; row++)
                {
                    column[row] = values[row] is { } value ? ToSingle(value)
                        : throw new InvalidDataException($"{where}, row {firstRow + row + 1}: the value is missing (null). Every feature needs a number.");
                }
            }
            else
            {
                var values = new T[column.Length];
                group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int row = 0; row < column.Length; row++)
                    column[row] = ToSingle(values[row]);
            }
        }

        private static string?[] ReadText<T>(ParquetRowGroupReader group, DataField field, int rows)
            where T : struct
        {
            var values = new T?[rows];
            if (field.IsNullable)
            {
                group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                var dense = new T[rows];
                group.ReadAsync<T>(field, dense.AsMemory()).AsTask().GetAwaiter().GetResult();
                for (int i = 0; i < rows; i++)
                    values[i] = dense[i];
            }
            return values.Select(v => v is { } value ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null).ToArray();
        }

        private static float ToSingle<T>(T value) => value switch
        {
            float f => f,
            double d => (float)d,
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            sbyte sb => sb,
            ushort us => us,
            uint ui => ui,
            ulong ul => ul,
            decimal m => (float)m,
            _ => throw new InvalidOperationException($"No conversion of {typeof(T)} to float."),
        };

        /// <summary>One row group; features are read column by column, the writer copies the columns as stored.</summary>
        internal sealed class ParquetBatch : TableBatch
        {
            private readonly ParquetTableReader _table;

            public ParquetBatch(ParquetTableReader table, ParquetRowGroupReader group, long firstRow, int rowCount)
                : base(firstRow, rowCount)
            {
                _table = table;
                Group = group;
            }

            public ParquetRowGroupReader Group { get; }

            public override void ReadFeatures(ReadOnlySpan<int> columns, Span<float> destination)
            {
                var column = new float[RowCount];
                for (int j = 0; j < columns.Length; j++)
                {
                    var field = _table.Fields[columns[j]];
                    string where = $"{_table.Path}, column '{field.Name}'";
                    var type = ParquetTypes.ValueType(field);
                    if (!IsNumber(type))
                        throw new InvalidDataException($"{where}: the column holds {type.Name} values, not numbers. Name the feature columns with --features, or leave this one out with --exclude.");
                    ParquetTypes.Call(ReadNumbersMethod, type, Group, field, column, where, FirstRow);
                    for (int row = 0; row < RowCount; row++)
                    {
                        if (!float.IsFinite(column[row]))
                            throw new InvalidDataException($"{where}, row {FirstRow + row + 1}: {column[row]} is not a finite single-precision number.");
                        destination[row * columns.Length + j] = column[row];
                    }
                }
            }

            public override void ReadText(int column, Span<string?> destination)
            {
                var field = _table.Fields[column];
                var type = ParquetTypes.ValueType(field);
                string?[] text;
                if (type == typeof(string))
                {
                    text = new string?[RowCount];
                    Group.ReadAsync(field, text.AsMemory()).AsTask().GetAwaiter().GetResult();
                }
                else if (type.IsValueType)
                {
                    text = (string?[])ParquetTypes.Call(ReadTextMethod, type, Group, field, RowCount)!;
                }
                else
                {
                    throw new InvalidDataException($"{_table.Path}: the column '{field.Name}' holds {type.Name} values, which have no text form.");
                }
                text.CopyTo(destination);
            }

            private static bool IsNumber(Type type) =>
                type == typeof(float) || type == typeof(double) || type == typeof(int) || type == typeof(long) || type == typeof(short) ||
                type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal);
        }
    }
}
