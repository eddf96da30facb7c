using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.Umap.Tool.Tables.Parquet
{
    /// <summary>
    /// The file as Parquet.Net sees it: reads are allowed only inside the current window (the column chunk being
    /// read), so pages that claim more than their chunk holds end in an error instead of decoding another column's
    /// bytes or running to the end of the file, and every read checks for cancellation.
    /// </summary>
    internal sealed class FileWindow : Stream
    {
        private readonly FileStream _file;
        private readonly CancellationToken _cancellation;
        private long _start;
        private long _end;

        public FileWindow(FileStream file, CancellationToken cancellation)
        {
            _file = file;
            _cancellation = cancellation;
            _end = file.Length;
        }

        /// <summary>Allows reads of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) only.</summary>
        public void Restrict(long start, long length)
        {
            _start = start;
            _end = start + length;
        }

        /// <summary>Allows reads of the whole file.</summary>
        public void Open() => Restrict(0, _file.Length);

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _file.Length;

        public override long Position
        {
            get => _file.Position;
            set => _file.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            _cancellation.ThrowIfCancellationRequested();
            long position = _file.Position;
            if (buffer.Length == 0)
                return 0;
            if (position < _start || position >= _end)
                throw new InvalidDataException("its pages run past the end of its column chunk (the file is corrupt).");
            return _file.Read(buffer[..(int)Math.Min(buffer.Length, _end - position)]);
        }

        // Reads are from a local file and short: answered at once, so Parquet.Net's async reads go through the checks above too.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _file.Dispose();
            base.Dispose(disposing);
        }
    }
}
