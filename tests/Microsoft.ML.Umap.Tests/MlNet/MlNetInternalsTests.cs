using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Umap.MlNet;
using Microsoft.ML.Umap.Tests.Helpers;
using Mono.Cecil;
using Xunit;

namespace Microsoft.ML.Umap.Tests.MlNet
{
    /// <summary>
    /// The library reaches ML.NET internals only through the named list MlNetInternals.txt (docs/mlnet-internals.md):
    /// the compiled assembly refers to no internal type or member of ML.NET that the list lacks, lists nothing it does
    /// not use, and the start-up check finds the whole list in the ML.NET this run loaded (CI runs 5.0.1 and 6.0.0).
    /// </summary>
    public sealed class MlNetInternalsTests
    {
        [Fact]
        public void TheLibraryUsesNoMlNetInternalOffTheList()
        {
            var listed = MlNetInternalsList.Embedded().ToHashSet(StringComparer.Ordinal);
            var unlisted = InternalsUsed(LibraryPath()).Where(use => !listed.Contains(use)).ToList();
            Assert.True(unlisted.Count == 0, "Microsoft.ML.Umap uses ML.NET internals that MlNetInternals.txt does not list:\n" + string.Join("\n", unlisted));
        }

        [Fact]
        public void TheListNamesOnlyWhatTheLibraryUses()
        {
            var used = InternalsUsed(LibraryPath()).Concat(InterfaceMembersImplemented(LibraryPath())).ToHashSet(StringComparer.Ordinal);
            var unused = MlNetInternalsList.Embedded().Where(entry => !used.Contains(entry)).ToList();
            Assert.True(unused.Count == 0, "MlNetInternals.txt lists ML.NET internals the library does not use:\n" + string.Join("\n", unused));
        }

        [Fact]
        public void TheScanSeesAnInternalTheListLacks()
        {
            // The scan itself: with one entry taken out, the use of that member is reported.
            var uses = InternalsUsed(LibraryPath()).ToList();
            const string Entry = "Microsoft.ML.Core Microsoft.ML.ModelSaveContext::SaveNonEmptyString(System.String)";
            Assert.Contains(Entry, uses);
            var listed = MlNetInternalsList.Embedded().Where(e => e != Entry).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(new[] { Entry }, uses.Where(use => !listed.Contains(use)).Distinct());
        }

        [Fact]
        public void OneMechanismOnlyNoUnsafeAccessor()
        {
            using var library = AssemblyDefinition.ReadAssembly(LibraryPath());
            var accessors = library.MainModule.GetTypes().SelectMany(t => t.Methods)
                .Where(m => m.CustomAttributes.Any(a => a.AttributeType.Name == "UnsafeAccessorAttribute"))
                .Select(m => m.FullName).ToList();
            Assert.Empty(accessors);
        }

        [Fact]
        public void TheMlNetOfThisRunHasEveryListedMember()
        {
            Assert.Null(MlNetInternalsList.Problem(MlNetInternalsList.Embedded(), MlNetInternalsList.LoadedAssemblies()));
            MlNetInternals.ThrowIfUnavailable();
        }

        [Theory]
        [InlineData("Microsoft.ML.Core Microsoft.ML.ModelSaveContext::SaveEverything(System.String)")]
        [InlineData("Microsoft.ML.Core Microsoft.ML.ModelSaveContext::SaveBinaryStream(System.String)")]
        [InlineData("Microsoft.ML.Data Microsoft.ML.Model.OnnxConverter.OnnxContextOfTomorrow")]
        [InlineData("Microsoft.ML.Tomorrow Microsoft.ML.Something")]
        public void AMissingMemberIsNamedWithTheMlNetVersion(string missing)
        {
            var entries = MlNetInternalsList.Embedded().Append(missing);
            string? problem = MlNetInternalsList.Problem(entries, MlNetInternalsList.LoadedAssemblies());
            Assert.NotNull(problem);
            Assert.Contains($"ML.NET {MlNetVersions.Loaded}", problem);
            Assert.Contains(missing.Replace(" ", ": ", StringComparison.Ordinal), problem);
            Assert.Contains("[5.0.1, 7.0.0)", problem);
        }

        private static string LibraryPath() => typeof(UmapTransformer).Assembly.Location;

        /// <summary>
        /// Every type and member of an ML.NET assembly that <paramref name="path"/> refers to and that is not public in
        /// the ML.NET of this run, spelled as the list spells it.
        /// </summary>
        private static IEnumerable<string> InternalsUsed(string path)
        {
            using var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(AppContext.BaseDirectory);
            using var library = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
            var module = library.MainModule;
            var uses = new List<string>();
            foreach (var reference in module.GetTypeReferences().Where(IsMlNet))
            {
                var type = reference.Resolve() ?? throw new InvalidOperationException($"{reference.FullName} is not in the ML.NET of this run.");
                if (!IsVisible(type))
                    uses.Add(Entry(type));
            }
            foreach (var reference in module.GetMemberReferences().Where(m => IsMlNet(m.DeclaringType.GetElementType())))
            {
                var member = reference.Resolve() ?? throw new InvalidOperationException($"{reference.FullName} is not in the ML.NET of this run.");
                bool visible = member switch
                {
                    MethodDefinition method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
                    FieldDefinition field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
                    _ => true,
                };
                // A public member of an internal type is listed too: the list names every internal way in.
                if (!visible || !IsVisible(member.DeclaringType))
                    uses.Add(Entry(member));
            }
            return uses.Distinct().ToList();
        }

        /// <summary>The members of internal ML.NET interfaces that types of the library implement.</summary>
        private static IEnumerable<string> InterfaceMembersImplemented(string path)
        {
            using var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(AppContext.BaseDirectory);
            using var library = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
            return library.MainModule.GetTypes()
                .SelectMany(t => t.Interfaces.Select(i => i.InterfaceType).Where(IsMlNet))
                .Select(i => i.Resolve())
                .Where(i => i != null && !IsVisible(i))
                .SelectMany(i => i.Methods.Select(m => Entry(m)))
                .Distinct()
                .ToList();
        }

        private static bool IsMlNet(TypeReference type) =>
            type.Scope.Name.StartsWith("Microsoft.ML", StringComparison.Ordinal) && !type.Scope.Name.StartsWith("Microsoft.ML.Umap", StringComparison.Ordinal);

        private static bool IsVisible(TypeDefinition type) =>
            type.IsNested ? type.IsNestedPublic && IsVisible(type.DeclaringType) : type.IsPublic;

        private static string Entry(TypeDefinition type) => $"{type.Module.Assembly.Name.Name} {type.FullName}";

        private static string Entry(IMemberDefinition member) => member switch
        {
            MethodDefinition method => $"{Entry(method.DeclaringType)}::{method.Name}({string.Join(",", method.Parameters.Select(p => p.ParameterType.FullName))})",
            _ => $"{Entry(member.DeclaringType)}::{member.Name}",
        };
    }
}
