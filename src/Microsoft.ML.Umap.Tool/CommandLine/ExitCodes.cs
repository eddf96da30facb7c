namespace Microsoft.ML.Umap.Tool.CommandLine
{
    /// <summary>The <c>umap</c> command's exit codes.</summary>
    internal static class ExitCodes
    {
        public const int Success = 0;

        /// <summary>A file, a value or a model the tool cannot use (the message says which, and where).</summary>
        public const int BadInput = 1;

        /// <summary>The command line itself: an unknown option, a value out of range, options that contradict each other.</summary>
        public const int BadCommandLine = 2;

        /// <summary>A bug in the tool: the message asks for a report.</summary>
        public const int InternalError = 70;

        /// <summary>Cancelled by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
        public const int Cancelled = 130;
    }
}
