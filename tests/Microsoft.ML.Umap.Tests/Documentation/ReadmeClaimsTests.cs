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
    /// What the README says exists is checked against the code: every option in its table is an option and every
    /// option is documented, the umap-learn workflows it maps name public members, what it calls not implemented has
    /// no public member, and the folders its Layout section lists are there (and every source and test folder is listed).
    /// </summary>
    public class ReadmeClaimsTests
    {
        private static readonly string Root = DocumentationSnippets.RepositoryRoot();

        private static readonly Lazy<string> Readme = new(() => File.ReadAllText(Path.Combine(Root, "README.md")));

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

        /// <summary>The README's prose: fenced code dropped, each paragraph and list item on one line.</summary>
        private static readonly Lazy<string[]> Passages = new(() =>
            Regex.Split(Regex.Replace(Readme.Value, "```.*?```", "", RegexOptions.Singleline), @"\n\s*\n|\n(?=- )")
                .Select(p => Regex.Replace(p, @"\s+", " ").Trim())
                .ToArray());

        private static IEnumerable<string> Backticked(string text) => Regex.Matches(text, "`([^`]+)`").Select(m => m.Groups[1].Value);

        /// <summary>The paragraph or list item of the README that contains <paramref name="marker"/>.</summary>
        private static string Passage(string marker)
        {
            var found = Passages.Value.Where(p => p.Contains(marker, StringComparison.Ordinal)).ToList();
            Assert.True(found.Count == 1, $"The README says \"{marker}\" in {found.Count} places, not one.");
            return found[0];
        }

        [Fact]
        public void EveryOptionInTheTableIsAnOptionAndEveryOptionIsDocumented()
        {
            var options = typeof(UmapEstimator.Options).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<ObsoleteAttribute>() is null)
                .Select(p => p.Name)
                .ToHashSet();
            var tableRows = Readme.Value.Split('\n').SkipWhile(l => !l.StartsWith("| Option | Default |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.NotEmpty(tableRows);
            var named = new HashSet<string>();
            foreach (var row in tableRows)
            {
                string previous = "";
                foreach (string name in Backticked(row.Split('|')[1]))
                {
                    // "`DensityRegularizationStrength`, `…Fraction`": the ellipsis stands for the first name's stem.
                    string full = name.StartsWith('…') ? Regex.Replace(previous, "[A-Z][a-z]+$", "") + name[1..] : name;
                    Assert.True(options.Contains(full), $"The README's option table names `{full}`, which UmapEstimator.Options does not have.");
                    named.Add(full);
                    if (!name.StartsWith('…'))
                        previous = full;
                }
            }
            // Options outside the table are named elsewhere in the README (the column names, a metric's parameters...).
            var documented = named.Concat(Passages.Value.SelectMany(Backticked)).ToHashSet();
            Assert.Empty(options.Where(o => !documented.Contains(o)).Select(o => $"UmapEstimator.Options.{o} is not in the README"));
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
                    Assert.True(PublicNames.Value.Contains(member), $"The README maps umap-learn's `{pair.Groups[1].Value}` to `{ours}`, which is not a public member.");
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
                Assert.True(found.Count == 0, $"The README says `{name}` is not implemented, but the library has {string.Join(", ", found)}.");
            }
            // Nor may it list a workflow the README maps to a member of ours.
            foreach (Match workflow in Regex.Matches(Passage("umap-learn users find its workflows"), "`([a-z_]+)` is"))
            {
                string words = workflow.Groups[1].Value.Replace('_', ' ').Trim();
                Assert.DoesNotContain(words, sentence, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public void TheLayoutListsFoldersThatExistAndEverySourceAndTestFolder()
        {
            var lines = Readme.Value[Readme.Value.IndexOf("## Layout", StringComparison.Ordinal)..].Split('\n').SkipWhile(l => l != "```").Skip(1).TakeWhile(l => l != "```").ToList();
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
                    // Folders named in the description ("Kernels/, Stages/", Core's "plus Distances/") are the line's
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
                Assert.True(exists, $"The README's Layout lists {path}, which does not exist.");
            }
            foreach (string folder in new[] { "src/Microsoft.ML.Umap/", "src/Microsoft.ML.Umap/Core/", "tests/Microsoft.ML.Umap.Tests/" })
            {
                foreach (string directory in Directory.EnumerateDirectories(Path.Combine(Root, folder)).Select(d => Path.GetFileName(d)!).Where(d => d is not ("bin" or "obj")))
                    Assert.True(listed.Contains(folder + directory + "/"), $"The README's Layout does not list {folder}{directory}/.");
            }
        }
    }
}
