using System;
using System.Collections.Concurrent;

namespace Microsoft.ML.Umap
{
    /// <summary>
    /// Custom distance functions by name, so that a model fitted with one can be saved and loaded: the model
    /// stores the name (<see cref="UmapEstimator.Options.CustomDistanceName"/>), and loading it looks the
    /// function up here. Register the same function under the same name in every process that loads the model.
    /// Loading a model whose name is not registered throws <see cref="InvalidOperationException"/> naming it
    /// (<c>mlContext.Model.Load</c> wraps it in a <see cref="System.Reflection.TargetInvocationException"/>, as it
    /// does for any model component's error).
    /// </summary>
    /// <example>
    /// <code>
    /// UmapCustomDistances.Register("weighted-manhattan", (x, y) => ...);
    /// var umap = mlContext.Transforms.Umap(new UmapEstimator.Options { Metric = UmapMetric.Custom, CustomDistanceName = "weighted-manhattan" });
    /// </code>
    /// </example>
    public static class UmapCustomDistances
    {
        private static readonly ConcurrentDictionary<string, UmapDistanceFunction> Functions = new(StringComparer.Ordinal);

        /// <summary>Longest name a model can store.</summary>
        public const int MaximumNameLength = 256;

        /// <summary>
        /// Registers <paramref name="function"/> under <paramref name="name"/> (case-sensitive) for this process,
        /// replacing any function registered under that name before (so a notebook cell can run twice).
        /// </summary>
        /// <exception cref="ArgumentException">The name is empty, blank or longer than <see cref="MaximumNameLength"/>.</exception>
        /// <exception cref="ArgumentNullException">The name or the function is null.</exception>
        public static void Register(string name, UmapDistanceFunction function)
        {
            CheckName(name, nameof(name));
            ArgumentNullException.ThrowIfNull(function);
            Functions[name] = function;
        }

        /// <summary>Removes the function registered under <paramref name="name"/>; false if there was none.</summary>
        public static bool Unregister(string name) => name != null && Functions.TryRemove(name, out _);

        /// <summary>Whether a function is registered under <paramref name="name"/>.</summary>
        public static bool IsRegistered(string name) => name != null && Functions.ContainsKey(name);

        /// <summary>The function registered under <paramref name="name"/>.</summary>
        /// <exception cref="InvalidOperationException">Nothing is registered under that name; the message says how to register it.</exception>
        internal static UmapDistanceFunction Get(string name, string purpose) =>
            Functions.TryGetValue(name, out var function)
                ? function
                : throw new InvalidOperationException($"{purpose} needs the custom distance '{name}', which is not registered in this process. Call UmapCustomDistances.Register(\"{name}\", function) first.");

        internal static void CheckName(string name, string parameterName)
        {
            ArgumentNullException.ThrowIfNull(name, parameterName);
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaximumNameLength)
                throw new ArgumentException($"A custom distance name must be 1 to {MaximumNameLength} characters and not blank; got '{name}'.", parameterName);
        }
    }
}
