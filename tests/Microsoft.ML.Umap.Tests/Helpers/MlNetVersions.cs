using System.Linq;
using System.Reflection;

namespace Microsoft.ML.Umap.Tests.Helpers
{
    /// <summary>The ML.NET version this test build chose (-p:MlNetVersion) and the one the process loaded.</summary>
    internal static class MlNetVersions
    {
        /// <summary>The version the build restored, recorded by the test project as assembly metadata.</summary>
        public static string Built => typeof(MlNetVersions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "MlNetVersion").Value!;

        /// <summary>The version of the Microsoft.ML.Core assembly in this process, without its commit ("6.0.0").</summary>
        public static string Loaded => Of(typeof(MLContext).Assembly);

        /// <summary>An ML.NET assembly's release version, from its informational version ("6.0.0+sha").</summary>
        public static string Of(Assembly assembly) =>
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
    }
}
