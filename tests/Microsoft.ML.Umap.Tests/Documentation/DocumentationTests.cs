using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.ML.Umap.Tests.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Documentation
{
    /// <summary>
    /// Every C# block of README.md and docs/ compiles and runs as written, so a snippet a reader copies cannot drift
    /// from the library. Each runs from a scratch folder holding the repository's data/, as from the repository root, with
    /// the console captured; they change the working directory, so they run alone.
    /// </summary>
    [Collection(ProcessWideState.Name)]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public class DocumentationTests
    {
        private readonly ITestOutputHelper _output;

        public DocumentationTests(ITestOutputHelper output) => _output = output;

        private static readonly string Root = DocumentationSnippets.RepositoryRoot();

        public static IEnumerable<object[]> Programs() =>
            DocumentationSnippets.MarkdownFiles(Root)
                .SelectMany(file => DocumentationSnippets.Programs(Root, file))
                .Select(p => new object[] { p.File, p.Line });

        [Fact]
        public void TheDocumentationHasItsProgramsWhereTheyAreExpected()
        {
            var files = Programs().Select(p => (string)p[0]).ToList();
            // The README keeps one quick start; the other programs live with their topic.
            Assert.True(files.Count(f => f == "README.md") == 1, $"README.md: {files.Count(f => f == "README.md")} programs");
            Assert.True(files.Count(f => f == "docs/workflows.md") >= 5, $"docs/workflows.md: {files.Count(f => f == "docs/workflows.md")} programs");
            Assert.Contains("docs/package/README.md", files);
            Assert.Contains("docs/package/Plotting.README.md", files);
            foreach (var file in DocumentationSnippets.MarkdownFiles(Root))
            {
                // A continuation marker must sit right above a C# block and below an earlier one, or the block would
                // silently stand alone.
                var lines = File.ReadAllLines(Path.Combine(Root, file)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                for (int i = 0; i < lines.Count; i++)
                {
                    if (lines[i] == DocumentationSnippets.ContinuationMarker)
                        Assert.True(lines.Take(i).Contains("```csharp") && i + 1 < lines.Count && lines[i + 1] == "```csharp", $"{file}: a stray continuation marker");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Programs))]
        public async Task EveryCSharpBlockCompilesAndRunsAsWritten(string file, int line)
        {
            var program = DocumentationSnippets.Programs(Root, file).Single(p => p.Line == line);
            var (assembly, errors) = DocumentationSnippets.Compile(program);
            Assert.True(errors is null, $"{program} does not compile:{Environment.NewLine}{errors}");

            string scratch = Path.Combine(Path.GetTempPath(), "umap-docs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            Directory.CreateSymbolicLink(Path.Combine(scratch, "data"), Path.Combine(Root, "data"));
            string previousDirectory = Environment.CurrentDirectory;
            var previousOut = Console.Out;
            var captured = new StringWriter();
            try
            {
                Environment.CurrentDirectory = scratch;
                Console.SetOut(captured);
                var entry = Assembly.Load(assembly!).EntryPoint ?? throw new Xunit.Sdk.XunitException($"{program} has no entry point.");
                var run = Task.Run(() =>
                {
                    object? result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
                    (result as Task)?.GetAwaiter().GetResult();
                });
                await run.WaitAsync(TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"{program} ran for over two minutes");
            }
            catch (TargetInvocationException t) when (t.InnerException != null)
            {
                throw new Xunit.Sdk.XunitException($"{program} threw {t.InnerException}{Environment.NewLine}--- output ---{Environment.NewLine}{captured}{Environment.NewLine}--- program ---{Environment.NewLine}{program.Source}");
            }
            finally
            {
                Console.SetOut(previousOut);
                Environment.CurrentDirectory = previousDirectory;
                Directory.Delete(scratch, recursive: true);
                _output.WriteLine(captured.ToString());
            }
        }
    }
}
