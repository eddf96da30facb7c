// Lets this assembly call the ML.NET internals of MlNetInternals.txt, which it was compiled against through copies of
// these assemblies with exactly those made public (see Microsoft.ML.Umap.csproj). The runtime honours the attribute by
// name; the compiler does not know it.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Marks an assembly whose non-public members this assembly may access.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute : Attribute
    {
        public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

        public string AssemblyName { get; }
    }
}
