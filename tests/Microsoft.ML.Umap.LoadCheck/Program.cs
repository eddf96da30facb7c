using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: LoadCheck <model.zip> <rows.f32> <columns> <output.f32>
// Loads an ML.NET model file in a fresh process (ML.NET must find the UMAP loader by itself), transforms the
// rows (raw little-endian float32, row-major) and writes the "Embedding" column the same way.
if (args.Length != 4)
{
    Console.Error.WriteLine("Usage: LoadCheck <model.zip> <rows.f32> <columns> <output.f32>");
    return 2;
}

var ml = new MLContext(seed: 1);
var model = ml.Model.Load(args[0], out var inputSchema);
int columns = int.Parse(args[2]);
var values = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(args[1])).ToArray();
var rows = Enumerable.Range(0, values.Length / columns).Select(i => new Row { Features = values.AsSpan(i * columns, columns).ToArray() });
var schema = SchemaDefinition.Create(typeof(Row));
schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
var transformed = model.Transform(ml.Data.LoadFromEnumerable(rows, schema));
using var output = File.Create(args[3]);
foreach (var embedding in transformed.GetColumn<float[]>("Embedding"))
    output.Write(MemoryMarshal.AsBytes(embedding.AsSpan()));
Console.WriteLine($"Loaded {model.GetType().Name}; transformed {values.Length / columns} rows.");
return 0;

internal sealed class Row
{
    public float[] Features { get; set; } = Array.Empty<float>();
}
