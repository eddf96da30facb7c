using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tool.Tables.Parquet;
using global::Parquet;
using global::Parquet.Schema;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// A Parquet file of flat columns, read one row group at a time (a row group is the unit Parquet stores
    /// together, so memory is bounded by the largest group, whatever the file's size). What the file says about
    /// itself is checked against its bytes before Parquet.Net acts on it (<see cref="ParquetLayout"/>), Parquet.Net
    /// reads each column only inside its chunk (<see cref="FileWindow"/>), and whatever it throws is reported as bad
    /// input naming the file, the row group and the column.
    /// </summary>
    internal sealed class ParquetTableReader : TableReader
    {
        private static readonly MethodInfo ReadNumbersMethod = typeof(ParquetTableReader).GetMethod(nameof(ReadNumbers), BindingFlags.NonPublic | BindingFlags.Static)!;

        private static readonly MethodInfo ReadTextMethod = typeof(ParquetTableReader).GetMethod(nameof(ReadText), BindingFlags.NonPublic | BindingFlags.Static)!;

        private readonly FileStream _file;
        private readonly FileWindow _window;
        private readonly ParquetReader _reader;
        private readonly CancellationToken _cancellation;
        private readonly long _dataEnd;
        private readonly string[] _columnNames;
        private readonly List<long> _groupStarts = new();
        private int _nextGroup;
        private long _rowsRead;

        public ParquetTableReader(string path, CancellationToken cancellation)
            : base(path)
        {
            _cancellation = cancellation;
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
            _window = new FileWindow(_file, cancellation);
            try
            {
                string unreadable = $"{path} is not a readable Parquet file";
                _dataEnd = Checked(unreadable, () => ParquetLayout.CheckFooter(_file));
                _reader = Checked(unreadable, () => ParquetReader.CreateAsync(_window, leaveStreamOpen: true, cancellationToken: cancellation).GetAwaiter().GetResult());
                Fields = Checked(unreadable, () => _reader.Schema.GetDataFields());
            }
            catch
            {
                _window.Dispose();
                throw;
            }
            _columnNames = Fields.Select(f => f.Name).ToArray();
        }

        public DataField[] Fields { get; }

        public override TableFormat Format => TableFormat.Parquet;

        public override IReadOnlyList<string> ColumnNames => _columnNames;

        public override TableBatch? ReadBatch(int maximumRows)
        {
            if (_nextGroup >= _reader.RowGroupCount)
                return null;
            int index = _nextGroup++;
            var group = _reader.OpenRowGroupReader(index);
            long rows = group.RowCount;
            if (rows < 0 || rows > Array.MaxLength)
                throw new InvalidDataException($"{Path}, row group {index}: it claims {rows:N0} rows; a row group of the tool's input holds at most {Array.MaxLength:N0}.");
            foreach (var field in Fields)
                Checked($"{Path}, row group {index}, column {TerminalText.Quote(field.Name)}", () => ParquetLayout.CheckColumnChunk(group.GetMetadata(field), !field.IsNullable, rows, _dataEnd, _file));
            var batch = new ParquetBatch(this, group, index, _rowsRead, (int)rows);
            _groupStarts.Add(_rowsRead);
            _rowsRead += rows;
            return batch;
        }

        public override void Dispose() => _window.Dispose();

        /// <summary>A row's position is its 0-based index in the file; its row group is one of those read so far.</summary>
        public override string Locate(long position)
        {
            int group = _groupStarts.BinarySearch(position);
            group = group >= 0 ? group : ~group - 1;
            return $"{Path}, row {position + 1} (row group {group})";
        }

        /// <summary>Runs <paramref name="read"/>, reporting anything but cancellation as bad input at <paramref name="where"/>.</summary>
        private static T Checked<T>(string where, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new InvalidDataException($"{where}: {e.Message}", e);
            }
        }

        private static void Checked(string where, Action read) => Checked(where, () =>
        {
            read();
            return 0;
        });

        private static void ReadNumbers<T>(ParquetBatch batch, DataField field, float[] column)
            where T : struct
        {
            if (field.IsNullable)
            {
                var values = new T?[column.Length];
                batch.ReadColumn<T>(field, values);
                for (int row = 0; row < column.Length; row++)
                {
                    column[row] = values[row] is { } value ? ToSingle(value)
                        : throw new InvalidDataException($"{batch.Location(row)}, column {TerminalText.Quote(field.Name)}: the value is missing (null). Every feature needs a number.");
                }
            }
            else
            {
                var values = new T[column.Length];
                batch.ReadColumn<T>(field, values);
                for (int row = 0; row < column.Length; row++)
                    column[row] = ToSingle(values[row]);
            }
        }

        private static string?[] ReadText<T>(ParquetBatch batch, DataField field)
            where T : struct
        {
            var values = new T?[batch.RowCount];
            if (field.IsNullable)
            {
                batch.ReadColumn<T>(field, values);
            }
            else
            {
                var dense = new T[batch.RowCount];
                batch.ReadColumn<T>(field, dense);
                for (int i = 0; i < dense.Length; i++)
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
            private readonly ParquetRowGroupReader _group;
            private readonly int _index;

            public ParquetBatch(ParquetTableReader table, ParquetRowGroupReader group, int index, long firstRow, int rowCount)
                : base(table, firstRow, rowCount)
            {
                _table = table;
                _group = group;
                _index = index;
            }

            public override long Position(int row) => FirstRow + row;

            /// <summary>Reads a column without nulls.</summary>
            public void ReadColumn<T>(DataField field, T[] values)
                where T : struct
            {
                MarkUnwritten(values);
                ReadColumn(field, (group, token) => group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: token));
                CheckWritten(field, values, values.Length);
            }

            /// <summary>Reads a column that may hold nulls, its values and levels into buffers of the tool's own.</summary>
            public void ReadColumn<T>(DataField field, T?[] values)
                where T : struct
            {
                var stored = new T[RowCount];
                var levels = new int[RowCount];
                MarkUnwritten(stored);
                ReadColumn(field, (group, token) => group.ReadRawAsync<T>(field, stored.AsMemory(), levels.AsMemory(), null, token));
                int next = 0;
                for (int row = 0; row < RowCount; row++)
                    values[row] = levels[row] == field.MaxDefinitionLevel ? stored[next++] : null;
                CheckWritten(field, stored, next);
            }

            /// <summary>Reads a column of the row group with Parquet.Net, inside the column's chunk; anything it throws is bad input naming the column.</summary>
            private void ReadColumn(DataField field, Func<ParquetRowGroupReader, CancellationToken, ValueTask> read)
            {
                var (start, length) = ParquetLayout.Extent(_group.GetMetadata(field)!.MetaData!);
                _table._window.Restrict(start, length);
                try
                {
                    Checked($"{_table.Path}, row group {_index}, column {TerminalText.Quote(field.Name)}", () => read(_group, _table._cancellation).AsTask().GetAwaiter().GetResult());
                }
                finally
                {
                    _table._window.Open();
                }
            }

            /// <summary>A text column's values (null where it has none).</summary>
            public string?[] ReadStrings(DataField field) => ReadReferences<ReadOnlyMemory<char>, string>(field, text => new string(text.Span));

            /// <summary>A byte-array column's values (null where it has none).</summary>
            public byte[]?[] ReadByteArrays(DataField field) => ReadReferences<ReadOnlyMemory<byte>, byte[]>(field, bytes => bytes.ToArray());

            private TResult?[] ReadReferences<TStored, TResult>(DataField field, Func<TStored, TResult> convert)
                where TStored : struct
                where TResult : class
            {
                var result = new TResult?[RowCount];
                if (field.IsNullable)
                {
                    var values = new TStored?[RowCount];
                    ReadColumn<TStored>(field, values);
                    for (int row = 0; row < RowCount; row++)
                        result[row] = values[row] is { } value ? convert(value) : null;
                }
                else
                {
                    var values = new TStored[RowCount];
                    ReadColumn<TStored>(field, values);
                    for (int row = 0; row < RowCount; row++)
                        result[row] = convert(values[row]);
                }
                return result;
            }

            // Parquet.Net's float decoder reports every value it was asked for as read, even where a page's bytes
            // run out, and a nullable column takes as many values as its levels say are present, read or not. The
            // tool's buffers start out marked, with values no decoder produces (a NaN no writer stores, text and
            // bytes in arrays of the tool's own), so a slot left unwritten shows.
            private const int UnwrittenFloat = 0x7FC0_DEAD;
            private static readonly char[] UnwrittenText = new char[1];
            private static readonly byte[] UnwrittenBytes = new byte[1];

            private static void MarkUnwritten<T>(T[] values)
                where T : struct
            {
                switch (values)
                {
                    case float[] floats:
                        floats.AsSpan().Fill(BitConverter.Int32BitsToSingle(UnwrittenFloat));
                        break;
                    case ReadOnlyMemory<char>[] text:
                        text.AsSpan().Fill(UnwrittenText);
                        break;
                    case ReadOnlyMemory<byte>[] bytes:
                        bytes.AsSpan().Fill(UnwrittenBytes);
                        break;
                }
            }

            /// <summary>Throws if one of the first <paramref name="count"/> values is still marked unwritten.</summary>
            private void CheckWritten<T>(DataField field, T[] values, int count)
                where T : struct
            {
                bool unwritten = values switch
                {
                    float[] floats => MemoryMarshal.Cast<float, int>(floats.AsSpan(0, count)).Contains(UnwrittenFloat),
                    ReadOnlyMemory<char>[] text => Contains(text.AsSpan(0, count), UnwrittenText),
                    ReadOnlyMemory<byte>[] bytes => Contains(bytes.AsSpan(0, count), UnwrittenBytes),
                    _ => false,
                };
                if (unwritten)
                    throw new InvalidDataException($"{_table.Path}, row group {_index}, column {TerminalText.Quote(field.Name)}: its pages hold fewer values than they claim (the file is corrupt).");
            }

            private static bool Contains<TItem>(ReadOnlySpan<ReadOnlyMemory<TItem>> values, TItem[] marker)
            {
                foreach (var value in values)
                {
                    if (MemoryMarshal.TryGetArray(value, out var segment) && ReferenceEquals(segment.Array, marker))
                        return true;
                }
                return false;
            }

            public override void ReadFeatures(ReadOnlySpan<int> columns, Span<float> destination, FeatureValues allowed)
            {
                var column = new float[RowCount];
                for (int j = 0; j < columns.Length; j++)
                {
                    var field = _table.Fields[columns[j]];
                    var type = ParquetTypes.ValueType(field);
                    if (!IsNumber(type))
                        throw new InvalidDataException($"{_table.Path}, column {TerminalText.Quote(field.Name)}: the column holds {type.Name} values, not numbers. Name the feature columns with --features, or leave this one out with --exclude.");
                    ParquetTypes.Call(ReadNumbersMethod, type, this, field, column);
                    for (int row = 0; row < RowCount; row++)
                    {
                        if (!float.IsFinite(column[row]))
                            throw new InvalidDataException($"{Location(row)}, column {TerminalText.Quote(field.Name)}: {column[row]} is not a finite single-precision number.");
                        if (allowed.Problem(column[row]) is { } problem)
                            throw new InvalidDataException($"{Location(row)}, column {TerminalText.Quote(field.Name)}: {problem}");
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
                    text = ReadStrings(field);
                }
                else if (type.IsValueType)
                {
                    text = (string?[])ParquetTypes.Call(ReadTextMethod, type, this, field)!;
                }
                else
                {
                    throw new InvalidDataException($"{_table.Path}: the column {TerminalText.Quote(field.Name)} holds {type.Name} values, which have no text form.");
                }
                text.CopyTo(destination);
            }

            private static bool IsNumber(Type type) =>
                type == typeof(float) || type == typeof(double) || type == typeof(int) || type == typeof(long) || type == typeof(short) ||
                type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal);
        }
    }
}
