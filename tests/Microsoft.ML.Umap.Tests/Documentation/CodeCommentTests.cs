using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Documentation
{
    /// <summary>
    /// Code comments and public XML docs say what the code does and why; the figures that decided it (timings, sizes,
    /// before/after runs) live in docs/measurements.md, dated, where they can be rerun and kept current instead of going
    /// stale beside the code.
    /// </summary>
    public class CodeCommentTests
    {
        // A time or size unit after a number, a before → after pair, a rate, or MNIST followed by a figure.
        private static readonly Regex Measurement = new(@"µs|\d ?(ns|ms|KB|MB|GB)\b|\d ?→ ?\d|\d ?(rows|points)/s|per second|MNIST[^.;)]*\d", RegexOptions.Compiled);

        [Fact]
        public void CommentsInSrcCarryNoMeasurements()
        {
            string root = DocumentationSnippets.RepositoryRoot();
            var found = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line.Trim())))
                .Where(l => l.Text.StartsWith("//", System.StringComparison.Ordinal) && Measurement.IsMatch(l.Text))
                .Select(l => $"{l.File}:{l.Line}: {l.Text}")
                .ToList();
            Assert.True(found.Count == 0, "Move these figures to docs/measurements.md and say why instead:\n" + string.Join("\n", found));
        }
    }
}
