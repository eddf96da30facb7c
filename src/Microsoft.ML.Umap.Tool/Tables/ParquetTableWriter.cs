using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>Parquet out: one row group per input row group, its columns copied as read, then one float column per new value.</summary>
    internal sealed class ParquetTableWriter : TableWriter
    {
        private static readonly MethodInfo CopyMethod = typeof(ParquetTableWriter).GetMethod(nameof(CopyColumn), BindingFlags.NonPublic | BindingFlags.Static)!;

        private readonly ParquetWriter _writer;
        private readonly DataField[] _inputFields;
        private readonly DataField<float>[] _newFields;

        public ParquetTableWriter(Stream output, ParquetTableReader reader, IReadOnlyList<string> newColumns)
        {
            _inputFields = reader.Fields;
            _newFields = newColumns.Select(name => new DataField<float>(name)).ToArray();
            var schema = new ParquetSchema(_inputFields.Cast<Field>().Concat(_newFields));
            _writer = ParquetWriter.CreateAsync(schema, output).GetAwaiter().GetResult();
        }

        public override void Write(TableBatch batch, ReadOnlySpan<float> values, int width)
        {
            var group = ((ParquetTableReader.ParquetBatch)batch).Group;
            using var rowGroup = _writer.CreateRowGroup();
            foreach (var field in _inputFields)
            {
                var type = ParquetTypes.ValueType(field);
                var copy = type.IsValueType
                    ? (System.Threading.Tasks.Task)ParquetTypes.Call(CopyMethod, type, group, rowGroup, field, batch.RowCount)!
                    : CopyReferences(group, rowGroup, field, batch.RowCount);
                copy.GetAwaiter().GetResult();
            }
            var column = new float[batch.RowCount];
            for (int j = 0; j < width; j++)
            {
                for (int row = 0; row < column.Length; row++)
                    column[row] = values[row * width + j];
                rowGroup.WriteAsync<float>(_newFields[j], column.AsMemory()).GetAwaiter().GetResult();
            }
            rowGroup.CompleteValidate();
        }

        private static async System.Threading.Tasks.Task CopyColumn<T>(ParquetRowGroupReader source, ParquetRowGroupWriter destination, DataField field, int rows)
            where T : struct
        {
            if (field.IsNullable)
            {
                var values = new T?[rows];
                await source.ReadAsync<T>(field, values.AsMemory());
                await destination.WriteAsync<T>(field, values.AsMemory());
            }
            else
            {
                var values = new T[rows];
                await source.ReadAsync<T>(field, values.AsMemory());
                await destination.WriteAsync<T>(field, values.AsMemory());
            }
        }

        private static async System.Threading.Tasks.Task CopyReferences(ParquetRowGroupReader source, ParquetRowGroupWriter destination, DataField field, int rows)
        {
            if (field.ClrType == typeof(string))
            {
                var values = new string?[rows];
                await source.ReadAsync(field, values.AsMemory());
                await destination.WriteAsync(field, values);
            }
            else
            {
                var values = new byte[]?[rows];
                await source.ReadAsync(field, values.AsMemory());
                await destination.WriteAsync(field, values);
            }
        }

        public override void Complete() => _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
