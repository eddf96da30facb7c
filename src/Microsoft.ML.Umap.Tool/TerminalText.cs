using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Text;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// Text from files (values, column names, a model's column names) on its way to a terminal: control characters
    /// are shown as escapes, so data cannot move the cursor, recolour or retitle the terminal, and a value is quoted
    /// only up to a length, so one huge cell does not flood the message.
    /// </summary>
    internal static class TerminalText
    {
        /// <summary>The most characters of one value a message quotes.</summary>
        public const int QuotedLength = 80;

        /// <summary>
        /// <paramref name="text"/> with every control and bidirectional-formatting character written as an escape
        /// (\n, \t, \u001B ...), so it shows as one line of plain text whatever it holds.
        /// </summary>
        public static string Escape(string text)
        {
            int first = 0;
            while (first < text.Length && !NeedsEscape(text[first]))
                first++;
            if (first == text.Length)
                return text;
            var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (!NeedsEscape(c))
                    escaped.Append(c);
                else if (c == '\n')
                    escaped.Append("\\n");
                else if (c == '\r')
                    escaped.Append("\\r");
                else if (c == '\t')
                    escaped.Append("\\t");
                else
                    escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return escaped.ToString();
        }

        /// <summary>A value for a message: escaped, in single quotes, cut to <see cref="QuotedLength"/> characters with the full length said.</summary>
        public static string Quote(string value)
        {
            if (value.Length <= QuotedLength)
                return "'" + Escape(value) + "'";
            return "'" + Escape(value[..QuotedLength]) + $"...' ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
        }

        /// <summary>A value the file holds as UTF-8 bytes (bytes that are not UTF-8 shown as U+FFFD), for a message.</summary>
        public static string Quote(ReadOnlySpan<byte> utf8)
        {
            // Four bytes at most make a character: decode no more than the message shows.
            int shown = Math.Min(utf8.Length, 4 * (QuotedLength + 1));
            string text = Encoding.UTF8.GetString(utf8[..shown]);
            if (shown == utf8.Length || text.Length <= QuotedLength)
                return Quote(text);
            return "'" + Escape(text[..QuotedLength]) + $"...' ({utf8.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
        }

        /// <summary>Column names for a message, unquoted: all of up to four, else the first three and the last.</summary>
        public static string Names(IReadOnlyList<string> names)
        {
            static string Name(string name) => Escape(name.Length <= QuotedLength ? name : name[..QuotedLength] + "...");
            return names.Count <= 4
                ? string.Join(", ", names.Select(Name))
                : $"{Name(names[0])}, {Name(names[1])}, {Name(names[2])}, ..., {Name(names[^1])}";
        }

        private static bool NeedsEscape(char c) =>
            char.IsControl(c)
            || c is >= '\u202A' and <= '\u202E' // embeddings and overrides
            || c is >= '\u2066' and <= '\u2069' // isolates
            || c is '\u200E' or '\u200F' or '\u061C'; // direction marks
    }
}
