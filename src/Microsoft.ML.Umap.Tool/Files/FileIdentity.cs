using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Umap.Tool.Files
{
    /// <summary>
    /// A file as the file system knows it (device and inode), whatever the path that leads to it: links, hard links
    /// and every spelling of a path give the same identity. Read with statx(2) on Linux, whose record has the same
    /// layout on every architecture; elsewhere, or where statx is missing, there is none (<see cref="SameFile"/>
    /// then compares resolved paths).
    /// </summary>
    internal readonly record struct FileIdentity(ulong DeviceMajor, ulong DeviceMinor, ulong Inode)
    {
        private const int CurrentDirectory = -100; // AT_FDCWD
        private const uint InodeMask = 0x100; // STATX_INO
        private const int RecordSize = 256; // sizeof(struct statx)
        private const int InodeOffset = 32; // stx_ino
        private const int DeviceMajorOffset = 136; // stx_dev_major
        private const int DeviceMinorOffset = 140; // stx_dev_minor

        private static bool _unavailable = !OperatingSystem.IsLinux();

        /// <summary>The identity of the file at <paramref name="path"/> (links followed), or null when it cannot be read.</summary>
        public static FileIdentity? Of(string path)
        {
            if (_unavailable)
                return null;
            var record = new byte[RecordSize];
            try
            {
                if (NativeMethods.Statx(CurrentDirectory, NullTerminatedUtf8(path), 0, InodeMask, record) != 0)
                    return null;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _unavailable = true; // a C library without statx (glibc before 2.28)
                return null;
            }
            return new FileIdentity(
                BitConverter.ToUInt32(record, DeviceMajorOffset),
                BitConverter.ToUInt32(record, DeviceMinorOffset),
                BitConverter.ToUInt64(record, InodeOffset));
        }

        /// <summary>A path as the C library takes it.</summary>
        public static byte[] NullTerminatedUtf8(string text)
        {
            var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
            System.Text.Encoding.UTF8.GetBytes(text, bytes);
            return bytes;
        }

        private static class NativeMethods
        {
            [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            public static extern int Statx(int directory, byte[] path, int flags, uint mask, [Out] byte[] record);
        }
    }
}
