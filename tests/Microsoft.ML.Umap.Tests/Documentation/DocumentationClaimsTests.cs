using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML.Umap.Plotting;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Documentation
{
    /// <summary>
    /// What the documentation (README.md and docs/) says exists is checked against the code: every option in its table is
    /// an option and every option is documented, the umap-learn workflows it maps name public members, what it calls not
    /// implemented has no public member, the folders docs/architecture.md lists are there (and every source and test
    /// folder is listed), the files and members it walks through exist, and every link between the pages lands.
    /// </summary>
    public class DocumentationClaimsTests
    {
        private static readonly string Root = DocumentationSnippets.RepositoryRoot();

        /// <summary>Each documentation page (relative path) and its text.</summary>
        private static readonly Lazy<Dictionary<string, string>> Pages = new(() =>
            DocumentationSnippets.MarkdownFiles(Root).Append("CONTRIBUTING.md").ToDictionary(f => f, f => File.ReadAllText(Path.Combine(Root, f))));

        private static string Page(string file) => Pages.Value[file];

        /// <summary>The names of every public type and member of the library and its plotting package.</summary>
        private static readonly Lazy<HashSet<string>> PublicNames = new(() =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in new[] { typeof(UmapTransformer).Assembly, typeof(EmbeddingPlot).Assembly }.SelectMany(a => a.GetExportedTypes()))
            {
                names.Add(type.Name);
                foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                    names.Add(member.Name);
            }
            return names;
        });

        /// <summary>The pages' prose: fenced code dropped, each paragraph and list item on one line.</summary>
        private static readonly Lazy<string[]> Passages = new(() =>
            Pages.Value.Values.SelectMany(text => Regex.Split(Regex.Replace(text, "```.*?```", "", RegexOptions.Singleline), @"\n\s*\n|\n(?=- )"))
                .Select(p => Regex.Replace(p, @"\s+", " ").Trim())
                .ToArray());

        private static IEnumerable<string> Backticked(string text) => Regex.Matches(text, "`([^`]+)`").Select(m => m.Groups[1].Value);

        /// <summary>The paragraph or list item of the documentation that contains <paramref name="marker"/>.</summary>
        private static string Passage(string marker)
        {
            var found = Passages.Value.Where(p => p.Contains(marker, StringComparison.Ordinal)).ToList();
            Assert.True(found.Count == 1, $"The documentation says \"{marker}\" in {found.Count} places, not one.");
            return found[0];
        }

        [Fact]
        public void EveryOptionInTheTableIsAnOptionAndEveryOptionIsDocumented()
        {
            var options = typeof(UmapEstimator.Options).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<ObsoleteAttribute>() is null)
                .Select(p => p.Name)
                .ToHashSet();
            var tableRows = Page("docs/options.md").Split('\n').SkipWhile(l => !l.StartsWith("| Option | Default |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.NotEmpty(tableRows);
            var named = new HashSet<string>();
            foreach (var row in tableRows)
            {
                string previous = "";
                foreach (string name in Backticked(row.Split('|')[1]))
                {
                    // "`DensityRegularizationStrength`, `…Fraction`": the ellipsis stands for the first name's stem.
                    string full = name.StartsWith('…') ? Regex.Replace(previous, "[A-Z][a-z]+$", "") + name[1..] : name;
                    Assert.True(options.Contains(full), $"docs/options.md's option table names `{full}`, which UmapEstimator.Options does not have.");
                    named.Add(full);
                    if (!name.StartsWith('…'))
                        previous = full;
                }
            }
            // Options outside the table are named elsewhere in the documentation (the column names, a metric's parameters...).
            var documented = named.Concat(Passages.Value.SelectMany(Backticked)).ToHashSet();
            Assert.Empty(options.Where(o => !documented.Contains(o)).Select(o => $"UmapEstimator.Options.{o} is not in the documentation"));
        }

        [Fact]
        public void TheUmapLearnWorkflowsItMapsArePublicMembers()
        {
            var pairs = Regex.Matches(Passage("umap-learn users find its workflows"), "`([^`]+)` is ((?:`[^`]+`(?: / )?)+)").ToList();
            Assert.True(pairs.Count >= 5, $"{pairs.Count} workflows mapped");
            foreach (Match pair in pairs)
            {
                foreach (string ours in Backticked(pair.Groups[2].Value))
                {
                    string member = ours.Split('.').Last().TrimEnd('(', ')');
                    Assert.True(PublicNames.Value.Contains(member), $"The documentation maps umap-learn's `{pair.Groups[1].Value}` to `{ours}`, which is not a public member.");
                }
            }
        }

        [Fact]
        public void WhatItCallsNotImplementedHasNoPublicMember()
        {
            string passage = Passage("are not implemented");
            int claim = passage.IndexOf("are not implemented", StringComparison.Ordinal);
            string sentence = passage[(passage.LastIndexOf(". ", claim, StringComparison.Ordinal) + 2)..claim];
            var missing = Backticked(sentence).ToList();
            Assert.NotEmpty(missing);
            foreach (string name in missing)
            {
                // umap-learn's names: output_dens would be OutputDens..., AlignedUMAP AlignedUmap...
                string pascal = string.Concat(name.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
                var found = PublicNames.Value.Where(n => n.StartsWith(pascal, StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.True(found.Count == 0, $"The documentation says `{name}` is not implemented, but the library has {string.Join(", ", found)}.");
            }
            // Nor may it list a workflow the documentation maps to a member of ours.
            foreach (Match workflow in Regex.Matches(Passage("umap-learn users find its workflows"), "`([a-z_]+)` is"))
            {
                string words = workflow.Groups[1].Value.Replace('_', ' ').Trim();
                Assert.DoesNotContain(words, sentence, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public void TheArchitectureListsFoldersThatExistAndEverySourceAndTestFolder()
        {
            string architecture = Page("docs/architecture.md");
            var lines = architecture[architecture.IndexOf("## Folders", StringComparison.Ordinal)..].Split('\n').SkipWhile(l => l != "```").Skip(1).TakeWhile(l => l != "```").ToList();
            Assert.NotEmpty(lines);
            var listed = new List<string>();
            var folderAtIndent = new Dictionary<int, string>();
            string describedFolder = "";
            foreach (string line in lines)
            {
                int indent = line.Length - line.TrimStart().Length;
                string text = line.Trim();
                // A line starts with its paths ("Core/", "Neighbors/ -> Graph/", "UmapCatalog.cs, UmapTransformer.cs"),
                // relative to the folder of the line above it with less indentation; a deeply indented line only carries
                // on the description above it.
                var paths = Regex.Match(text, @"^[\w.*/-]+(?:(?:, | -> )[\w.*/-]+)*");
                if (indent < 16 && paths.Success)
                {
                    string parent = indent == 0 ? "" : folderAtIndent[indent - 2];
                    var names = Regex.Split(paths.Value, ", | -> ");
                    listed.AddRange(names.Select(name => parent + name));
                    folderAtIndent[indent] = names[0].EndsWith('/') ? parent + names[0] : parent;
                    // Folders named in the description ("Core/, Persistence/", Core's "plus Distances/") are the line's
                    // children at the top level, its siblings below it.
                    describedFolder = indent == 0 ? folderAtIndent[0] : parent;
                    text = text[paths.Length..];
                }
                foreach (Match folder in Regex.Matches(text, @"(?<![\w./])([A-Z][A-Za-z]+/)(?=[,\s]|$)"))
                    listed.Add(describedFolder + folder.Groups[1].Value);
            }
            foreach (string path in listed)
            {
                bool exists = path.Contains('*')
                    ? Directory.EnumerateFiles(Path.Combine(Root, Path.GetDirectoryName(path)!), Path.GetFileName(path)).Any()
                    : path.EndsWith('/') ? Directory.Exists(Path.Combine(Root, path)) : File.Exists(Path.Combine(Root, path));
                Assert.True(exists, $"docs/architecture.md's Folders lists {path}, which does not exist.");
            }
            foreach (string folder in new[] { "src/Microsoft.ML.Umap/", "src/Microsoft.ML.Umap/Core/", "tests/Microsoft.ML.Umap.Tests/" })
            {
                foreach (string directory in Directory.EnumerateDirectories(Path.Combine(Root, folder)).Select(d => Path.GetFileName(d)!).Where(d => d is not ("bin" or "obj")))
                    Assert.True(listed.Contains(folder + directory + "/"), $"docs/architecture.md's Folders does not list {folder}{directory}/.");
            }
        }

        /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.</summary>
        private static string Anchor(string heading) =>
            Regex.Replace(Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^\p{L}\p{N}\s_-]", ""), @"\s", "-");

        private static string WithoutCode(string text) => Regex.Replace(text, "```.*?```", "", RegexOptions.Singleline);

        [Fact]
        public void EveryLinkBetweenThePagesLandsOnAFileAndHeadingThatExist()
        {
            int checkedLinks = 0;
            foreach (var (file, text) in Pages.Value)
            {
                foreach (Match link in Regex.Matches(WithoutCode(text), @"\]\(([^)\s]+)\)"))
                {
                    string target = link.Groups[1].Value;
                    if (Regex.IsMatch(target, "^[a-z]+:"))
                        continue;
                    int hash = target.IndexOf('#');
                    string path = hash < 0 ? target : target[..hash];
                    string resolved = path.Length == 0 ? file : Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(Root, Path.GetDirectoryName(file)!, path))).Replace('\\', '/');
                    Assert.True(File.Exists(Path.Combine(Root, resolved)) || Directory.Exists(Path.Combine(Root, resolved)), $"{file} links to {target}, which does not exist.");
                    if (hash >= 0)
                    {
                        var anchors = File.ReadAllLines(Path.Combine(Root, resolved)).Where(l => l.StartsWith('#')).Select(l => Anchor(l.TrimStart('#'))).ToHashSet();
                        Assert.True(anchors.Contains(target[(hash + 1)..]), $"{file} links to {target}, whose heading does not exist.");
                    }
                    checkedLinks++;
                }
            }
            Assert.True(checkedLinks >= 20, $"{checkedLinks} links checked");
        }

        [Fact]
        public void EveryFileAndNameTheArchitectureWalksThroughExists()
        {
            // A rename in src/ must carry docs/architecture.md along, or a newcomer follows it into nothing.
            string source = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(File.ReadAllText));
            string prose = WithoutCode(Page("docs/architecture.md"));
            var named = Backticked(prose).ToList();
            int paths = 0, names = 0;
            foreach (string token in named)
            {
                if (Regex.IsMatch(token, @"^(src|tests|docs|samples|benchmarks|examples)/"))
                {
                    Assert.True(File.Exists(Path.Combine(Root, token)) || Directory.Exists(Path.Combine(Root, token)), $"docs/architecture.md names {token}, which does not exist.");
                    paths++;
                    continue;
                }
                foreach (Match identifier in Regex.Matches(token, @"(?<!\w)[A-Z]\w*"))
                {
                    Assert.True(Regex.IsMatch(source, $@"\b{identifier.Value}\b"), $"docs/architecture.md names `{token}`, but src/ has no {identifier.Value}.");
                    names++;
                }
            }
            Assert.True(paths >= 40 && names >= 40, $"{paths} paths and {names} names checked");
            foreach (string question in new[] { "where a negative sample is drawn", "where a row's sigma is searched", "where the model file is validated" })
                Assert.Contains(question, prose, StringComparison.Ordinal);
        }

        [Fact]
        public void TheTestFoldersThatMirrorTheLibraryMirrorFoldersItHas()
        {
            // docs/architecture.md: Core/, Persistence/ and Quality/ of the tests mirror the library, so a newcomer finds a
            // file's tests at the same path.
            string tests = Path.Combine(Root, "tests", "Microsoft.ML.Umap.Tests");
            var mirrored = new[] { "Core", "Persistence", "Quality" }
                .SelectMany(top => Directory.EnumerateDirectories(Path.Combine(tests, top), "*", SearchOption.AllDirectories).Prepend(Path.Combine(tests, top)))
                .Select(d => Path.GetRelativePath(tests, d))
                .ToList();
            Assert.Contains(Path.Combine("Core", "Neighbors"), mirrored);
            foreach (string folder in mirrored)
                Assert.True(Directory.Exists(Path.Combine(Root, "src", "Microsoft.ML.Umap", folder)), $"tests/Microsoft.ML.Umap.Tests/{folder} mirrors no folder of src/Microsoft.ML.Umap.");
        }

        [Fact]
        public void EveryProjectTheCommandsRunExists()
        {
            // The README's first screen promises two commands; the pages' others must be as runnable.
            var blocks = Pages.Value.SelectMany(page => Regex.Matches(page.Value, "```bash\n(.*?)```", RegexOptions.Singleline).Select(m => (page.Key, m.Groups[1].Value))).ToList();
            var projects = blocks.SelectMany(b => Regex.Matches(b.Value, @"--project (\S+)").Select(m => (b.Key, m.Groups[1].Value))).ToList();
            Assert.Contains(("README.md", "samples/MnistNotebook"), projects);
            Assert.Contains(blocks, b => b.Key == "README.md" && b.Value.Contains("\ndotnet test -c Release\n", StringComparison.Ordinal));
            foreach (var (file, project) in projects)
                Assert.True(Directory.Exists(Path.Combine(Root, project)), $"{file} runs the project {project}, which does not exist.");
            foreach (var (file, script) in blocks.SelectMany(b => Regex.Matches(b.Value, @"(?:sbatch|kubectl apply -f|spark-submit --files model.zip) (examples/\S+)").Select(m => (b.Key, m.Groups[1].Value))))
                Assert.True(File.Exists(Path.Combine(Root, script)), $"{file} runs {script}, which does not exist.");
        }
    }
}
