using System;

namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>
    /// A command line that cannot work, found only once the command runs (an output that is the input, say): exit
    /// code 2, like the errors the parser finds. Problems with the data are never this type.
    /// </summary>
    internal sealed class UsageException : Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }

        public UsageException()
        {
        }

        public UsageException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
