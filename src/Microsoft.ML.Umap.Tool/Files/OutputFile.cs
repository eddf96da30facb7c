using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Umap.Tool.CommandLine;

namespace Microsoft.ML.Umap.Tool.Files
{
    /// <summary>
    /// A file a command writes. Every check on its path is done when it is created, before the command reads
    /// anything: it must not be one of the command's inputs (by any path or link), and its folder must exist. The
    /// content goes to a temporary file of a name no one else uses, created new in the output's folder (never an
    /// existing file, never through a link), and <see cref="Commit"/> renames it over the output in one step: a
    /// reader sees the old file or the whole new one, a link at the output's name is replaced (its target is never
    /// written), and a command that fails or is cancelled leaves nothing behind. If another process wrote the
    /// output while this one ran (two jobs given the same output), this one refuses to commit, so a job that
    /// reports success is the one whose rows are in the file.
    /// </summary>
    internal sealed class OutputFile : IDisposable
    {
        private readonly string _temporaryPath;
        private readonly OutputState _before;
        private readonly FileStream _stream;
        private bool _committed;

        private OutputFile(string path, string temporaryPath, OutputState before, FileStream stream)
        {
            Path = path;
            _temporaryPath = temporaryPath;
            _before = before;
            _stream = stream;
        }

        /// <summary>The output's path, as given.</summary>
        public string Path { get; }

        /// <summary>Where the content goes until <see cref="Commit"/>.</summary>
        public Stream Stream => _stream;

        /// <summary>Checks <paramref name="path"/> against the command's <paramref name="inputs"/> and creates its temporary file.</summary>
        public static OutputFile Create(string path, IEnumerable<string> inputs)
        {
            if (Directory.Exists(path))
                throw new UsageException($"The output {TerminalText.Quote(path)} is a folder; --output names the file to write.");
            foreach (string input in inputs)
            {
                if (SameFile.Is(path, input))
                    throw new UsageException($"The output {TerminalText.Quote(path)} is the input {TerminalText.Quote(input)}: writing it would destroy what the command reads. Choose another output.");
            }
            string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"The output folder {TerminalText.Quote(folder)} does not exist.");
            var before = OutputState.Of(path);
            string temporaryPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}.partial");
            // CreateNew fails on any existing name, a link included, so nothing is ever written through one.
            var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
            return new OutputFile(path, temporaryPath, before, stream);
        }

        /// <summary>Closes the content and puts it in the output's place.</summary>
        public void Commit()
        {
            _stream.Dispose();
            if (OutputState.Of(Path) != _before)
                throw WrittenByAnother();
            if (_before.Exists)
                File.Move(_temporaryPath, Path, overwrite: true);
            else
                MoveWithoutReplacing();
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
                return;
            _stream.Dispose();
            File.Delete(_temporaryPath);
        }

        /// <summary>
        /// Puts the content at the output's name only if nothing is there: on Linux as a hard link, which the kernel
        /// refuses at once if the name exists (.NET's File.Move checks, then renames, leaving a moment between);
        /// elsewhere, or on a file system without hard links, through File.Move.
        /// </summary>
        private void MoveWithoutReplacing()
        {
            const int AlreadyExists = 17; // EEXIST
            if (OperatingSystem.IsLinux())
            {
                if (TryLink(out int error))
                {
                    File.Delete(_temporaryPath);
                    return;
                }
                if (error == AlreadyExists)
                    throw WrittenByAnother();
            }
            try
            {
                File.Move(_temporaryPath, Path, overwrite: false);
            }
            catch (IOException) when (OutputState.Of(Path).Exists)
            {
                throw WrittenByAnother();
            }
        }

        /// <summary>Links the content at the output's name; false with the C library's error number when it cannot (0 without one).</summary>
        private bool TryLink(out int error)
        {
            error = 0;
            try
            {
                if (NativeMethods.Link(FileIdentity.NullTerminatedUtf8(_temporaryPath), FileIdentity.NullTerminatedUtf8(System.IO.Path.GetFullPath(Path))) == 0)
                    return true;
                error = Marshal.GetLastPInvokeError();
            }
            catch (DllNotFoundException)
            {
            }
            return false;
        }

        private IOException WrittenByAnother() =>
            new($"{Path} was written by another process while this one ran (are two jobs given the same output?). This job's result was not written; the file holds the other job's.");

        private static class NativeMethods
        {
            [DllImport("libc", EntryPoint = "link", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            public static extern int Link(byte[] existing, byte[] name);
        }

        /// <summary>What the output's name holds, to see whether another process wrote it meanwhile.</summary>
        private readonly record struct OutputState(bool Exists, FileIdentity? Identity, long Length, DateTime LastWriteTimeUtc, string? LinkTarget)
        {
            public static OutputState Of(string path)
            {
                var file = new FileInfo(path);
                string? link = file.LinkTarget;
                if (!File.Exists(path))
                    return new OutputState(link != null, null, 0, default, link);
                return new OutputState(true, FileIdentity.Of(path), file.Length, file.LastWriteTimeUtc, link);
            }
        }
    }
}
