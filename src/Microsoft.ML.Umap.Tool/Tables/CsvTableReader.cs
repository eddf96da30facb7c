using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// A CSV file with a header row (RFC 4180: comma-separated, fields may be quoted, quotes inside doubled, quoted
    /// fields may span lines), read as bytes: each record is kept exactly as the file holds it (bytes that are not
    /// UTF-8, line breaks inside quotes) so the writer passes it through untouched, and a file is read in one pass
    /// whatever its quoting. Blank lines are not rows and are skipped. A header cell with no name (as pandas writes
    /// an index) is named "Unnamed: i", i its 0-based position, the name pandas reads it back as.
    /// </summary>
    internal sealed class CsvTableReader : TableReader
    {
        private const int ReadSize = 1 << 16;
        private static readonly SearchValues<byte> Special = SearchValues.Create(","u8 + "\""u8 + "\n"u8);
        private static readonly byte[] Utf8Mark = { 0xEF, 0xBB, 0xBF };

        private readonly FileStream _file;
        private readonly CancellationToken _cancellation;
        private readonly string[] _columnNames;

        // Bytes read from the file: [_start, _end) are not yet part of a record.
        private byte[] _pending = new byte[2 * ReadSize];
        private int _start;
        private int _end;
        private bool _endOfFile;
        private long _line = 1;
        private long _rowsRead;

        public CsvTableReader(string path, CancellationToken cancellation)
            : base(path)
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            _cancellation = cancellation;
            try
            {
                var header = new RecordBuffer();
                if (!ReadRecord(header, width: int.MaxValue))
                    throw new InvalidDataException($"{path} is empty: a CSV file needs a header row naming its columns.");
                var record = header.Record(0);
                int mark = record.StartsWith(Utf8Mark) ? Utf8Mark.Length : 0;
                if (record.StartsWith(new byte[] { 0xFF, 0xFE }) || record.StartsWith(new byte[] { 0xFE, 0xFF }) || record.StartsWith(new byte[] { 0, 0, 0xFE, 0xFF }))
                    throw new InvalidDataException($"{path} is UTF-16 or UTF-32 text; the tool reads CSV in UTF-8 (or ASCII). Save it as UTF-8.");
                Header = record.ToArray();
                HeaderLineEnd = header.LineEnd(0).ToArray();
                _columnNames = new string[header.FieldCount(0)];
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < _columnNames.Length; i++)
                {
                    var field = header.Field(0, i);
                    if (i == 0)
                        field = field[mark..];
                    string name = Encoding.UTF8.GetString(Unquote(field)).Trim();
                    _columnNames[i] = name.Length > 0 ? name : $"Unnamed: {i.ToString(CultureInfo.InvariantCulture)}";
                    if (!seen.Add(_columnNames[i]))
                        throw new InvalidDataException($"{path}: the header names the column {TerminalText.Quote(_columnNames[i])} twice; column names must be unique.");
                }
            }
            catch
            {
                _file.Dispose();
                throw;
            }
        }

        /// <summary>The header row as the file holds it (with a UTF-8 byte order mark, if the file has one), without its line break.</summary>
        public byte[] Header { get; }

        /// <summary>The header's line break (\n or \r\n; empty when the file is only a header): the line break of a last row that has none.</summary>
        public byte[] HeaderLineEnd { get; }

        public override TableFormat Format => TableFormat.Csv;

        public override IReadOnlyList<string> ColumnNames => _columnNames;

        public override TableBatch? ReadBatch(int maximumRows)
        {
            var records = new RecordBuffer();
            while (records.Count < maximumRows && ReadRecord(records, _columnNames.Length))
            {
                int fields = records.FieldCount(records.Count - 1);
                if (fields != _columnNames.Length)
                {
                    string found = fields > _columnNames.Length ? "more fields" : $"{fields} fields";
                    throw new InvalidDataException(
                        $"{Path}, line {records.Line(records.Count - 1)}: the row has {found} but the header has {_columnNames.Length} columns.");
                }
            }
            if (records.Count == 0)
                return null;
            var batch = new CsvBatch(this, _rowsRead, records);
            _rowsRead += records.Count;
            return batch;
        }

        public override void Dispose() => _file.Dispose();

        /// <summary>A row's position is the line it starts on.</summary>
        public override string Locate(long position) => $"{Path}, line {position}";

        /// <summary>
        /// Scans the next non-blank record into <paramref name="records"/>: its bytes, its line break and where
        /// its fields start. Stops counting fields past <paramref name="width"/> + 1, so a row of stray commas costs
        /// no more than one field too many. False at the end of the file.
        /// </summary>
        private bool ReadRecord(RecordBuffer records, int width)
        {
            records.BeginRecord(_line);
            bool quoted = false;
            long quoteLine = 0;
            int scanned = _start;
            while (true)
            {
                int at = _pending.AsSpan(scanned, _end - scanned).IndexOfAny(Special);
                if (at < 0)
                {
                    int offset = _end - _start;
                    if (Fill(quoted ? quoteLine : _line))
                    {
                        scanned = _start + offset;
                        continue;
                    }
                    // The end of the file ends the record, unless a quoted field is still open.
                    if (quoted)
                        throw new InvalidDataException($"{Path}, line {quoteLine}: a quoted field opens here and is never closed (the file ends inside it).");
                    if (_end == _start)
                        return false;
                    records.EndRecord(_pending.AsSpan(_start, _end - _start), lineEnd: 0);
                    _start = _end;
                    return true;
                }
                int position = scanned + at;
                scanned = position + 1;
                switch (_pending[position])
                {
                    case (byte)'"':
                        quoted = !quoted;
                        if (quoted)
                            quoteLine = _line + records.LinesInRecord;
                        break;
                    case (byte)',':
                        if (!quoted && records.FieldsInRecord <= width)
                            records.AddField(position + 1 - _start);
                        break;
                    default: // a line break
                        if (quoted)
                        {
                            records.LinesInRecord++;
                            break;
                        }
                        int lineEnd = position > _start && _pending[position - 1] == '\r' ? 2 : 1;
                        bool blank = position + 1 - lineEnd == _start;
                        if (!blank)
                            records.EndRecord(_pending.AsSpan(_start, position + 1 - _start), lineEnd);
                        _line += records.LinesInRecord + 1;
                        _start = position + 1;
                        if (!blank)
                            return true;
                        records.BeginRecord(_line);
                        break;
                }
            }
        }

        /// <summary>
        /// Moves the record being scanned to the front of the buffer and reads more of the file after it (the
        /// buffer grows with the record, and shrinks back after a long one); false at the end of the file.
        /// <paramref name="line"/> is where the record, or its open quoted field, starts.
        /// </summary>
        private bool Fill(long line)
        {
            if (_endOfFile)
                return false;
            _cancellation.ThrowIfCancellationRequested();
            int kept = _end - _start;
            if (_pending.Length - kept < ReadSize || (_pending.Length > 4 * ReadSize && kept < ReadSize))
            {
                if (kept > Array.MaxLength - ReadSize)
                    throw new InvalidDataException($"{Path}, line {line}: the row (or a quoted field opening there, if its quote is stray) runs past {Array.MaxLength:N0} bytes, more than one buffer can hold.");
                var resized = new byte[(int)Math.Min(Array.MaxLength, Math.Max(2L * ReadSize, 2L * kept))];
                Array.Copy(_pending, _start, resized, 0, kept);
                _pending = resized;
            }
            else if (_start > 0)
            {
                Array.Copy(_pending, _start, _pending, 0, kept);
            }
            _start = 0;
            int read = _file.Read(_pending, kept, _pending.Length - kept);
            _end = kept + read;
            _endOfFile = read == 0;
            return !_endOfFile;
        }

        /// <summary>A field without the spaces around it and, when quoted, without its quotes (doubled quotes kept as they are).</summary>
        private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> field)
        {
            var trimmed = field.Trim(" \t\r"u8);
            return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1] : trimmed;
        }

        /// <summary>Rows of a CSV file: their bytes, line breaks and fields.</summary>
        internal sealed class CsvBatch : TableBatch
        {
            private readonly CsvTableReader _table;
            private readonly RecordBuffer _records;

            public CsvBatch(CsvTableReader table, long firstRow, RecordBuffer records)
                : base(table, firstRow, records.Count)
            {
                _table = table;
                _records = records;
            }

            /// <summary>A row as the file holds it, without its line break.</summary>
            public ReadOnlySpan<byte> Record(int row) => _records.Record(row);

            /// <summary>A row's line break (empty for a last row that has none).</summary>
            public ReadOnlySpan<byte> LineEnd(int row) => _records.LineEnd(row);

            public override long Position(int row) => _records.Line(row);

            public override void ReadFeatures(ReadOnlySpan<int> columns, Span<float> destination, FeatureValues allowed)
            {
                for (int row = 0; row < RowCount; row++)
                {
                    for (int j = 0; j < columns.Length; j++)
                    {
                        float value = Parse(row, columns[j]);
                        if (allowed.Problem(value) is { } problem)
                            throw new InvalidDataException($"{Location(row)}, column {TerminalText.Quote(_table._columnNames[columns[j]])}: {problem}");
                        destination[row * columns.Length + j] = value;
                    }
                }
            }

            public override void ReadText(int column, Span<string?> destination)
            {
                for (int row = 0; row < RowCount; row++)
                {
                    var field = _records.Field(row, column);
                    var trimmed = field.Trim(" \t\r"u8);
                    bool quoted = trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"';
                    string text = Encoding.UTF8.GetString(quoted ? trimmed[1..^1] : field);
                    destination[row] = quoted ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
                }
            }

            private float Parse(int row, int column)
            {
                var text = Unquote(_records.Field(row, column));
                if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value))
                    return value;
                string where = $"{Location(row)}, column {TerminalText.Quote(_table._columnNames[column])}";
                if (text.IsEmpty)
                    throw new InvalidDataException($"{where}: the value is missing. Every feature needs a number (fill or drop such rows first).");
                if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new InvalidDataException($"{where}: {TerminalText.Quote(text)} is not a finite single-precision number.");
                throw new InvalidDataException($"{where}: {TerminalText.Quote(text)} is not a number. Name the feature columns with --features, or leave text columns out with --exclude.");
            }
        }

        /// <summary>
        /// Records in one growing byte buffer, each with the offsets of its fields and its line break, so a batch
        /// costs about the size of its rows in the file.
        /// </summary>
        internal sealed class RecordBuffer
        {
            private byte[] _bytes = Array.Empty<byte>();
            private int _length;
            private readonly List<int> _recordStarts = new();
            private readonly List<int> _lineEnds = new();
            private readonly List<long> _lines = new();
            private readonly List<int> _firstField = new();
            private readonly List<int> _fieldStarts = new();
            private readonly List<int> _pendingFields = new();
            private long _pendingLine;

            public int Count => _recordStarts.Count;

            /// <summary>Fields found so far in the record being scanned (at least its first).</summary>
            public int FieldsInRecord => _pendingFields.Count;

            /// <summary>Line breaks inside quoted fields of the record being scanned.</summary>
            public long LinesInRecord { get; set; }

            public void BeginRecord(long line)
            {
                _pendingFields.Clear();
                _pendingFields.Add(0);
                _pendingLine = line;
                LinesInRecord = 0;
            }

            /// <summary>A field of the record being scanned starts at <paramref name="offset"/> of its bytes.</summary>
            public void AddField(int offset) => _pendingFields.Add(offset);

            /// <summary>Stores the record being scanned: <paramref name="bytes"/> with its line break of <paramref name="lineEnd"/> bytes at the end.</summary>
            public void EndRecord(ReadOnlySpan<byte> bytes, int lineEnd)
            {
                if (_bytes.Length - _length < bytes.Length)
                    Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(2L * _bytes.Length, (long)_length + bytes.Length)));
                bytes.CopyTo(_bytes.AsSpan(_length));
                _recordStarts.Add(_length);
                _lineEnds.Add(lineEnd);
                _lines.Add(_pendingLine);
                _firstField.Add(_fieldStarts.Count);
                foreach (int offset in _pendingFields)
                    _fieldStarts.Add(_length + offset);
                _length += bytes.Length;
            }

            public long Line(int record) => _lines[record];

            public int FieldCount(int record) => FieldEnd(record) - _firstField[record];

            public ReadOnlySpan<byte> Record(int record) => _bytes.AsSpan(_recordStarts[record], RecordEnd(record) - _recordStarts[record]);

            public ReadOnlySpan<byte> LineEnd(int record) => _bytes.AsSpan(RecordEnd(record), _lineEnds[record]);

            public ReadOnlySpan<byte> Field(int record, int field)
            {
                int index = _firstField[record] + field;
                int start = _fieldStarts[index];
                int end = index + 1 < FieldEnd(record) ? _fieldStarts[index + 1] - 1 : RecordEnd(record);
                return _bytes.AsSpan(start, end - start);
            }

            private int FieldEnd(int record) => record + 1 < Count ? _firstField[record + 1] : _fieldStarts.Count;

            private int RecordEnd(int record) => (record + 1 < Count ? _recordStarts[record + 1] : _length) - _lineEnds[record];
        }
    }
}
