using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Lets <c>mlContext.Model.Load</c> find this assembly when it was loaded from a path rather than through the
    /// application's dependencies (notebooks' <c>#r "….dll"</c>, plugin hosts): ML.NET asks for the loader assembly
    /// by name (see <see cref="UmapTransformer"/>), and the default load context cannot resolve such an assembly by
    /// name on its own. Answering with the assembly already in memory is always correct.
    /// </summary>
    internal static class LoaderAssemblyResolver
    {
#pragma warning disable CA2255 // A module initializer is the only hook that runs before ML.NET asks for the assembly.
        [ModuleInitializer]
#pragma warning restore CA2255
        internal static void Register()
        {
            var self = typeof(LoaderAssemblyResolver).Assembly;
            string? name = self.GetName().Name;
            AssemblyLoadContext.Default.Resolving += (_, requested) =>
                requested.Name == name ? self : null;
        }
    }
}
