using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>
    /// CSV out: the header and each record byte for byte as the input holds them, then the new values in round-trip
    /// form (they parse back to the same floats), then the record's own line break (a last record without one takes
    /// the header's, or \n).
    /// </summary>
    internal sealed class CsvTableWriter : TableWriter
    {
        private readonly Stream _output;
        private readonly byte[] _defaultLineEnd;

        public CsvTableWriter(Stream output, CsvTableReader reader, IReadOnlyList<string> newColumns)
        {
            _output = output;
            _defaultLineEnd = reader.HeaderLineEnd.Length > 0 ? reader.HeaderLineEnd : "\n"u8.ToArray();
            _output.Write(reader.Header);
            foreach (var name in newColumns)
            {
                _output.WriteByte((byte)',');
                _output.Write(Encoding.UTF8.GetBytes(name));
            }
            _output.Write(_defaultLineEnd);
        }

        public override void Write(TableBatch batch, ReadOnlySpan<float> values, int width)
        {
            var csv = (CsvTableReader.CsvBatch)batch;
            Span<byte> number = stackalloc byte[32];
            for (int row = 0; row < csv.RowCount; row++)
            {
                _output.Write(csv.Record(row));
                foreach (float value in values.Slice(row * width, width))
                {
                    _output.WriteByte((byte)',');
                    value.TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
                    _output.Write(number[..written]);
                }
                var lineEnd = csv.LineEnd(row);
                _output.Write(lineEnd.IsEmpty ? _defaultLineEnd : lineEnd);
            }
        }

        public override void Complete() => _output.Flush();
    }
}
