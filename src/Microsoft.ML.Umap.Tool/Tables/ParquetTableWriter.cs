using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using global::Parquet;
using global::Parquet.Schema;

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
            var source = (ParquetTableReader.ParquetBatch)batch;
            using var rowGroup = _writer.CreateRowGroup();
            foreach (var field in _inputFields)
            {
                var type = ParquetTypes.ValueType(field);
                if (type.IsValueType)
                    ParquetTypes.Call(CopyMethod, type, source, rowGroup, field);
                else
                    CopyReferences(source, rowGroup, field);
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

        public override void Complete() => _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();

        private static void CopyColumn<T>(ParquetTableReader.ParquetBatch source, ParquetRowGroupWriter destination, DataField field)
            where T : struct
        {
            if (field.IsNullable)
            {
                var values = new T?[source.RowCount];
                source.ReadColumn<T>(field, values);
                destination.WriteAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();
            }
            else
            {
                var values = new T[source.RowCount];
                source.ReadColumn<T>(field, values);
                destination.WriteAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();
            }
        }

        private static void CopyReferences(ParquetTableReader.ParquetBatch source, ParquetRowGroupWriter destination, DataField field)
        {
            if (field.ClrType == typeof(string))
                destination.WriteAsync(field, source.ReadStrings(field)).GetAwaiter().GetResult();
            else
                destination.WriteAsync(field, source.ReadByteArrays(field)).GetAwaiter().GetResult();
        }
    }
}
