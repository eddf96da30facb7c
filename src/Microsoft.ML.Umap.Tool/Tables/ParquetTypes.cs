using System;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Parquet.Schema;

namespace Microsoft.ML.Umap.Tool.Tables
{
    /// <summary>Parquet.Net reads and writes through generic methods; these reach them for a column type known only at run time.</summary>
    internal static class ParquetTypes
    {
        /// <summary>The column's value type, without the Nullable wrapper of an optional column.</summary>
        public static Type ValueType(DataField field) => Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;

        /// <summary>Calls the static generic <paramref name="method"/> closed over <paramref name="type"/>, rethrowing what it throws (not reflection's wrapper).</summary>
        public static object? Call(MethodInfo method, Type type, params object[] arguments)
        {
            try
            {
                return method.MakeGenericMethod(type).Invoke(null, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
