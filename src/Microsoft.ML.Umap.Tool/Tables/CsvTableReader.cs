using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// A CSV file with a header row (RFC 4180: comma-separated, fields may be quoted, quotes inside doubled, quoted
    /// fields may span lines). Records are kept as their original text so the writer passes them through untouched.
    /// Blank lines are not rows and are skipped.
    /// </summary>
    internal sealed class CsvTableReader : TableReader
    {
        private readonly StreamReader _reader;
        private readonly string[] _columnNames;
        private long _line;
        private long _rowsRead;

        public CsvTableReader(string path)
            : base(path)
        {
            _reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var header = ReadRecord(out _) ?? throw new InvalidDataException($"{path} is empty: a CSV file needs a header row naming its columns.");
            Header = header;
            var fields = new List<(int Start, int Length)>();
            Split(header, fields);
            _columnNames = new string[fields.Count];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < fields.Count; i++)
            {
                _columnNames[i] = Unquote(header.AsSpan(fields[i].Start, fields[i].Length)).Trim().ToString();
                if (!seen.Add(_columnNames[i]))
                    throw new InvalidDataException($"{path}: the header names the column '{_columnNames[i]}' twice; column names must be unique.");
            }
        }

        /// <summary>The header row as written in the file.</summary>
        public string Header { get; }

        public override TableFormat Format => TableFormat.Csv;

        public override IReadOnlyList<string> ColumnNames => _columnNames;

        public override TableBatch? ReadBatch(int maximumRows)
        {
            var records = new List<string>();
            var lines = new List<long>();
            var starts = new List<int>();
            var lengths = new List<int>();
            var fields = new List<(int Start, int Length)>();
            while (records.Count < maximumRows)
            {
                var record = ReadRecord(out long line);
                if (record is null)
                    break;
                Split(record, fields);
                if (fields.Count != _columnNames.Length)
                {
                    throw new InvalidDataException(
                        $"{Path}, line {line}: the row has {fields.Count} fields but the header has {_columnNames.Length} columns.");
                }
                records.Add(record);
                lines.Add(line);
                foreach (var (start, length) in fields)
                {
                    starts.Add(start);
                    lengths.Add(length);
                }
            }
            if (records.Count == 0)
                return null;
            var batch = new CsvBatch(this, _rowsRead, records.ToArray(), lines.ToArray(), starts.ToArray(), lengths.ToArray());
            _rowsRead += records.Count;
            return batch;
        }

        public override void Dispose() => _reader.Dispose();

        /// <summary>The next non-blank record (joined across lines while a quoted field is open), and its first line number.</summary>
        private string? ReadRecord(out long firstLine)
        {
            string? text;
            do
            {
                text = _reader.ReadLine();
                _line++;
            }
            while (text is { Length: 0 });
            firstLine = _line;
            if (text is null)
                return null;
            while (CountQuotes(text) % 2 == 1)
            {
                var next = _reader.ReadLine() ?? throw new InvalidDataException($"{Path}, line {firstLine}: a quoted field is never closed.");
                _line++;
                text = text + "\n" + next;
            }
            return text;
        }

        private static int CountQuotes(string text)
        {
            int count = 0;
            foreach (char c in text)
            {
                if (c == '"')
                    count++;
            }
            return count;
        }

        /// <summary>The fields of a record as (start, length) in its text, quotes included.</summary>
        private static void Split(string record, List<(int Start, int Length)> fields)
        {
            fields.Clear();
            int start = 0;
            bool quoted = false;
            for (int i = 0; i < record.Length; i++)
            {
                char c = record[i];
                if (c == '"')
                    quoted = !quoted;
                else if (c == ',' && !quoted)
                {
                    fields.Add((start, i - start));
                    start = i + 1;
                }
            }
            fields.Add((start, record.Length - start));
        }

        private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field)
        {
            var trimmed = field.Trim();
            if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
                return trimmed[1..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
            return field;
        }

        /// <summary>Rows of a CSV file: their text and where each field lies in it.</summary>
        internal sealed class CsvBatch : TableBatch
        {
            private readonly CsvTableReader _table;
            private readonly long[] _lines;
            private readonly int[] _starts;
            private readonly int[] _lengths;

            public CsvBatch(CsvTableReader table, long firstRow, string[] records, long[] lines, int[] starts, int[] lengths)
                : base(firstRow, records.Length)
            {
                _table = table;
                Records = records;
                _lines = lines;
                _starts = starts;
                _lengths = lengths;
            }

            /// <summary>Each row as written in the file (without its line break).</summary>
            public string[] Records { get; }

            public override void ReadFeatures(ReadOnlySpan<int> columns, Span<float> destination)
            {
                int width = _table._columnNames.Length;
                for (int row = 0; row < RowCount; row++)
                {
                    for (int j = 0; j < columns.Length; j++)
                    {
                        int field = row * width + columns[j];
                        var text = Unquote(Records[row].AsSpan(_starts[field], _lengths[field])).Trim();
                        destination[row * columns.Length + j] = Parse(text, row, columns[j]);
                    }
                }
            }

            public override void ReadText(int column, Span<string?> destination)
            {
                int width = _table._columnNames.Length;
                for (int row = 0; row < RowCount; row++)
                {
                    int field = row * width + column;
                    destination[row] = Unquote(Records[row].AsSpan(_starts[field], _lengths[field])).ToString();
                }
            }

            private float Parse(ReadOnlySpan<char> text, int row, int column)
            {
                string where = $"{_table.Path}, line {_lines[row]}, column '{_table._columnNames[column]}'";
                if (text.IsEmpty)
                    throw new InvalidDataException($"{where}: the value is missing. Every feature needs a number (fill or drop such rows first).");
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw new InvalidDataException($"{where}: '{text.ToString()}' is not a number. Name the feature columns with --features, or leave text columns out with --exclude.");
                if (!float.IsFinite(value))
                    throw new InvalidDataException($"{where}: '{text.ToString()}' is not a finite single-precision number.");
                return value;
            }
        }
    }
}
