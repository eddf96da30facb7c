using System;
using System.IO;

namespace Microsoft.ML.Umap.Tool.Files
{
    /// <summary>Whether two paths lead to one file: through links, hard links or another spelling of the path.</summary>
    internal static class SameFile
    {
        /// <summary>Links followed at most, as the kernel's own limit (ELOOP).</summary>
        private const int MaximumLinks = 40;

        public static bool Is(string first, string second)
        {
            if (!File.Exists(first) || !File.Exists(second))
                return false;
            if (FileIdentity.Of(first) is { } a && FileIdentity.Of(second) is { } b)
                return a == b;
            return ByPath(first, second);
        }

        /// <summary>
        /// The comparison where the file system gives no identity: both paths with every link resolved, compared as
        /// the platform's file names compare. Hard links are not seen this way.
        /// </summary>
        public static bool ByPath(string first, string second) =>
            string.Equals(Resolve(first), Resolve(second), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        /// <summary>The full path with each of its folders and its file name resolved when they are links.</summary>
        public static string Resolve(string path)
        {
            int links = 0;
            return Resolve(path, ref links);
        }

        private static string Resolve(string path, ref int links)
        {
            string full = Path.GetFullPath(path);
            string resolved = Path.GetPathRoot(full)!;
            foreach (string part in full[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            {
                resolved = Path.Combine(resolved, part);
                if (new FileInfo(resolved).LinkTarget is { } target)
                {
                    if (++links > MaximumLinks)
                        throw new IOException($"Too many links lead to {TerminalText.Quote(path)}.");
                    resolved = Resolve(Path.Combine(Path.GetDirectoryName(resolved)!, target), ref links);
                }
            }
            return resolved;
        }
    }
}
