using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// The list of ML.NET internals the library uses (MlNetInternals.txt, embedded), and whether the ML.NET assemblies
    /// of this process have each one. The build makes the same list accessible (build/Publicizer), with the same
    /// spelling of types: namespace and name, '/' before a nested type, generic arguments in angle brackets.
    /// </summary>
    internal static class MlNetInternalsList
    {
        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        /// <summary>The entries of the embedded list, each "assembly type" or "assembly type::member(parameters)".</summary>
        public static IReadOnlyList<string> Embedded()
        {
            using var stream = typeof(MlNetInternalsList).Assembly.GetManifestResourceStream("MlNetInternals.txt")
                ?? throw new InvalidOperationException("Microsoft.ML.Umap was built without its list of ML.NET internals (MlNetInternals.txt).");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd());
        }

        /// <summary>The entries of a list's text: lines that are neither blank nor comments.</summary>
        public static IReadOnlyList<string> Parse(string text) =>
            text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && line[0] != '#').ToList();

        /// <summary>The ML.NET assemblies the list names, as this process loaded them (whatever load context).</summary>
        public static IReadOnlyList<Assembly> LoadedAssemblies() =>
            new[] { typeof(IHostEnvironment).Assembly, typeof(MLContext).Assembly };

        /// <summary>
        /// Null when <paramref name="assemblies"/> have every entry; otherwise what a user must read: the first missing
        /// member, the ML.NET version found and the versions this library supports.
        /// </summary>
        public static string? Problem(IEnumerable<string> entries, IReadOnlyList<Assembly> assemblies)
        {
            var missing = entries.FirstOrDefault(entry => !Exists(entry, assemblies));
            if (missing is null)
                return null;
            var self = typeof(MlNetInternalsList).Assembly;
            string supported = self.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "MlNetSupportedVersions")?.Value ?? "unknown";
            return $"Microsoft.ML.Umap {ReleaseVersion(self)} cannot run on ML.NET {ReleaseVersion(assemblies[0])}: it needs {missing.Replace(" ", ": ", StringComparison.Ordinal)}, " +
                $"an internal member of ML.NET that this version does not have. This release of Microsoft.ML.Umap supports ML.NET {supported}; " +
                "use one of those, or a Microsoft.ML.Umap release that supports this ML.NET. Models saved with UmapTransformer.Save(Stream) load without ML.NET internals.";
        }

        /// <summary>The release an assembly belongs to, from its informational version without the commit ("6.0.0").</summary>
        public static string ReleaseVersion(Assembly assembly) =>
            (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];

        private static bool Exists(string entry, IReadOnlyList<Assembly> assemblies)
        {
            var parts = entry.Split(' ', 2, StringSplitOptions.TrimEntries);
            var assembly = assemblies.FirstOrDefault(a => a.GetName().Name == parts[0]);
            if (assembly is null || parts.Length < 2)
                return false;
            int separator = parts[1].IndexOf("::", StringComparison.Ordinal);
            string typeName = separator < 0 ? parts[1] : parts[1][..separator];
            var type = assembly.GetType(typeName.Replace('/', '+'), throwOnError: false);
            if (type is null)
                return false;
            if (separator < 0)
                return true;
            string member = parts[1][(separator + 2)..];
            return type.GetMembers(Declared).Any(m => Signature(m) == member);
        }

        /// <summary>A member as the list names it: a field by its name, a method or constructor with its parameter types.</summary>
        private static string? Signature(MemberInfo member) => member switch
        {
            FieldInfo field => field.Name,
            MethodBase method => string.Create(CultureInfo.InvariantCulture, $"{method.Name}({string.Join(",", method.GetParameters().Select(p => TypeName(p.ParameterType)))})"),
            _ => null,
        };

        /// <summary>A type's name as Mono.Cecil spells it, which is how the build reads the list.</summary>
        private static string TypeName(Type type)
        {
            if (type.IsByRef || type.IsArray)
                return TypeName(type.GetElementType()!) + (type.IsByRef ? "&" : "[" + new string(',', type.GetArrayRank() - 1) + "]");
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
                return TypeName(type.GetGenericTypeDefinition()) + "<" + string.Join(",", type.GetGenericArguments().Select(TypeName)) + ">";
            if (type.IsNested)
                return TypeName(type.DeclaringType!) + "/" + type.Name;
            return type.Namespace is null ? type.Name : type.Namespace + "." + type.Name;
        }
    }
}
