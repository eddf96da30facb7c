using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Microsoft.ML.Umap.Tests.Documentation
{
    /// <summary>
    /// The C# blocks of a Markdown file, as the programs a reader would run: each block is the Program.cs of a
    /// <c>dotnet new console</c> project (with its implicit usings) that references the packages. A block right after
    /// the line <c>&lt;!-- continues the C# block above --&gt;</c> continues the previous one: the reader has already
    /// run that code, so its statements come first and its types stay in scope.
    /// </summary>
    internal static class DocumentationSnippets
    {
        public const string ContinuationMarker = "<!-- continues the C# block above -->";

        /// <summary>The usings <c>dotnet new console</c> makes implicit.</summary>
        private static readonly string[] ImplicitUsings =
        {
            "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
        };

        /// <summary>One runnable program: where it starts in which file, and its source.</summary>
        public sealed record Program(string File, int Line, string Source)
        {
            public override string ToString() => $"{File}:{Line}";
        }

        /// <summary>The repository root (the folder holding UmapMLNet.sln), found above the test's folder.</summary>
        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UmapMLNet.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException("The repository root (UmapMLNet.sln) was not found above " + AppContext.BaseDirectory);
        }

        /// <summary>README.md and every Markdown file under docs/, relative to the repository root.</summary>
        public static IEnumerable<string> MarkdownFiles(string root) =>
            new[] { "README.md" }.Concat(
                Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
                    .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
                    .OrderBy(path => path, StringComparer.Ordinal));

        /// <summary>The programs of one Markdown file, continued blocks merged into the block they continue.</summary>
        public static List<Program> Programs(string root, string file)
        {
            var lines = File.ReadAllLines(Path.Combine(root, file));
            var programs = new List<(int Line, List<string> Blocks)>();
            string previousLine = "";
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimEnd() != "```csharp")
                {
                    if (lines[i].Trim().Length > 0)
                        previousLine = lines[i].Trim();
                    continue;
                }
                int start = i + 1;
                int end = start;
                while (end < lines.Length && lines[end].TrimEnd() != "```")
                    end++;
                string block = string.Join("\n", lines[start..end]);
                if (previousLine == ContinuationMarker && programs.Count > 0)
                    programs[^1].Blocks.Add(block);
                else
                    programs.Add((start, new List<string> { block }));
                i = end;
                previousLine = "";
            }
            return programs.Select(p => new Program(file, p.Line, Merge(p.Blocks))).ToList();
        }

        /// <summary>
        /// One program from its blocks: the usings of all, then every block's statements in order, then every block's
        /// types (C# wants a program's statements before its type declarations).
        /// </summary>
        private static string Merge(List<string> blocks)
        {
            var usings = new List<string>(ImplicitUsings.Select(u => $"global using global::{u};"));
            var statements = new StringBuilder();
            var types = new StringBuilder();
            foreach (string block in blocks)
            {
                var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(block).GetRoot();
                usings.AddRange(unit.Usings.Select(u => u.ToFullString().Trim()));
                foreach (var member in unit.Members)
                {
                    if (member is GlobalStatementSyntax)
                        statements.Append(member.ToFullString());
                    else
                        types.Append(member.ToFullString());
                }
                statements.AppendLine();
            }
            return string.Join("\n", usings.Distinct()) + "\n\n" + statements + "\n" + types;
        }

        /// <summary>Compiles a program against the assemblies a user's project would reference; the errors, or the assembly.</summary>
        public static (byte[]? Assembly, string? Errors) Compile(Program program)
        {
            var tree = CSharpSyntaxTree.ParseText(program.Source, new CSharpParseOptions(LanguageVersion.Latest), path: program.ToString());
            var compilation = CSharpCompilation.Create(
                "Snippet" + Guid.NewGuid().ToString("N"),
                new[] { tree },
                References(),
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (result.Success)
                return (stream.ToArray(), null);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
            return (null, string.Join(Environment.NewLine, errors) + Environment.NewLine + "--- program ---" + Environment.NewLine + program.Source);
        }

        /// <summary>The framework plus ML.NET, Microsoft.ML.Umap and its Plotting package, as the test itself references them.</summary>
        private static IEnumerable<MetadataReference> References()
        {
            // Loading these makes sure they are in the test process, whose files are then the references.
            _ = new[] { typeof(UmapTransformer), typeof(Microsoft.ML.Umap.Plotting.EmbeddingPlot), typeof(Trainers.KMeansTrainer), typeof(Transforms.NormalizingTransformer), typeof(Data.TextLoader) };
            var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            // The test's own assembly and test framework are not what a user's program would see.
            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic && a.Location.Length > 0)
                .Where(a => a.GetName().Name is string name && !name.StartsWith("Microsoft.ML.Umap.Tests", StringComparison.Ordinal) && !name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase))
                .Select(a => a.Location);
            var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "Microsoft.ML*.dll").Where(f => !Path.GetFileName(f).StartsWith("Microsoft.ML.Umap.Tests", StringComparison.Ordinal));
            return framework.Concat(loaded).Concat(local)
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Select(g => MetadataReference.CreateFromFile(g.First()));
        }
    }
}
