using System;
using System.IO;
using System.Text;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// Progress and messages on standard error are best effort: when the stream fails (a full disk, a closed pipe)
    /// the text is dropped and the job goes on, so its result never depends on where its log goes.
    /// </summary>
    internal sealed class BestEffortWriter : TextWriter
    {
        private readonly TextWriter _inner;

        public BestEffortWriter(TextWriter inner) => _inner = inner;

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value) => Try(() => _inner.Write(value));

        public override void Write(string? value) => Try(() => _inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Try(() => _inner.Write(buffer, index, count));

        public override void WriteLine(string? value) => Try(() => _inner.WriteLine(value));

        public override void Flush() => Try(_inner.Flush);

        private static void Try(Action write)
        {
            try
            {
                write();
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
