using System;
using System.Diagnostics.CodeAnalysis;

namespace Microsoft.ML.Umap.MlNet
{
    /// <summary>
    /// Schema errors worded and typed as ML.NET's own transforms report them: an <see cref="ArgumentOutOfRangeException"/>
    /// against <c>inputSchema</c>, the parameter of <c>GetOutputSchema</c> through which Fit and Transform check their
    /// input, whichever method finds the problem.
    /// </summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "ML.NET names the schema argument of GetOutputSchema in every schema error; callers catch and compare it.")]
    internal static class SchemaErrors
    {
        /// <summary>The parameter name ML.NET gives schema errors.</summary>
        public const string ParameterName = "inputSchema";

        /// <summary>
        /// The <paramref name="role"/> column (<c>input</c>, <c>label</c>) named <paramref name="name"/> is missing;
        /// <paramref name="detail"/>, a sentence, says more.
        /// </summary>
        public static ArgumentOutOfRangeException ColumnNotFound(string role, string name, string? detail = null) =>
            new(ParameterName, $"{char.ToUpperInvariant(role[0])}{role[1..]} column '{name}' not found.{(detail is null ? "" : " " + detail)}");

        /// <summary>The <paramref name="role"/> column named <paramref name="name"/> has the wrong type.</summary>
        public static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string found) =>
            new(ParameterName, $"Schema mismatch for {role} column '{name}': expected {expected}, got {found}.");
    }
}
