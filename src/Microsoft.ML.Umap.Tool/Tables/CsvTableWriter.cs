using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>CSV out: each input record as it was, then the new values in round-trip form (they parse back to the same floats).</summary>
    internal sealed class CsvTableWriter : TableWriter
    {
        private readonly Stream _output;

        public CsvTableWriter(Stream output, string header, IReadOnlyList<string> newColumns)
        {
            _output = output;
            var line = new StringBuilder(header);
            foreach (var name in newColumns)
                line.Append(',').Append(name);
            _output.Write(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
        }

        public override void Write(TableBatch batch, ReadOnlySpan<float> values, int width)
        {
            var records = ((CsvTableReader.CsvBatch)batch).Records;
            Span<byte> number = stackalloc byte[32];
            for (int row = 0; row < records.Length; row++)
            {
                _output.Write(Encoding.UTF8.GetBytes(records[row]));
                foreach (float value in values.Slice(row * width, width))
                {
                    _output.WriteByte((byte)',');
                    value.TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
                    _output.Write(number[..written]);
                }
                _output.WriteByte((byte)'\n');
            }
        }

        public override void Complete() => _output.Flush();
    }
}
