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
        private readonly StreamWriter _writer;

        public CsvTableWriter(string path, string header, IReadOnlyList<string> newColumns)
            : base(path)
        {
            _writer = new StreamWriter(PartialPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { NewLine = "\n" };
            _writer.Write(header);
            foreach (var name in newColumns)
            {
                _writer.Write(',');
                _writer.Write(name);
            }
            _writer.WriteLine();
        }

        public override void Write(TableBatch batch, ReadOnlySpan<float> values, int width)
        {
            var records = ((CsvTableReader.CsvBatch)batch).Records;
            Span<char> number = stackalloc char[32];
            for (int row = 0; row < records.Length; row++)
            {
                _writer.Write(records[row]);
                foreach (float value in values.Slice(row * width, width))
                {
                    _writer.Write(',');
                    value.TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
                    _writer.Write(number[..written]);
                }
                _writer.WriteLine();
            }
        }

        protected override void Close() => _writer.Dispose();
    }
}
