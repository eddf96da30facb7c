using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap;

// Usage: LoadCheck <model.zip> <rows.f32> <columns> <output.f32>
//        LoadCheck --save <model.zip> <rows.f32> <columns> <output.f32>
// Loads an ML.NET model file in a fresh process (ML.NET must find the UMAP loader by itself), transforms the
// rows (raw little-endian float32, row-major) and writes the "Embedding" column the same way.
// With --save it writes the rows itself (seeded clusters), fits UMAP to the first three quarters, saves the model and
// writes the transform of every row (the last quarter are new rows), so a LoadCheck built on another ML.NET version
// can load the model and must write the same bytes.
bool save = args.Length > 0 && args[0] == "--save";
var paths = save ? args[1..] : args;
if (paths.Length != 4)
{
    Console.Error.WriteLine("Usage: LoadCheck [--save] <model.zip> <rows.f32> <columns> <output.f32>");
    return 2;
}

string mlNetVersion = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
var ml = new MLContext(seed: 1);
int columns = int.Parse(paths[2]);
if (save)
    WriteRows(paths[1], rows: 400, columns);
var values = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(paths[1])).ToArray();
var rows = Enumerable.Range(0, values.Length / columns).Select(i => new Row { Features = values.AsSpan(i * columns, columns).ToArray() }).ToList();
var schema = SchemaDefinition.Create(typeof(Row));
schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
var data = ml.Data.LoadFromEnumerable(rows, schema);

ITransformer model;
if (save)
{
    var training = ml.Data.LoadFromEnumerable(rows.Take(rows.Count * 3 / 4), schema);
    model = ml.Transforms.Umap(new UmapEstimator.Options { InputColumnName = "Features", OutputColumnName = "Embedding", Seed = 7, NumberOfEpochs = 100 }).Fit(training);
    ml.Model.Save(model, training.Schema, paths[0]);
}
else
{
    model = ml.Model.Load(paths[0], out _);
}

var transformed = model.Transform(data);
using var output = File.Create(paths[3]);
foreach (var embedding in transformed.GetColumn<float[]>("Embedding"))
    output.Write(MemoryMarshal.AsBytes(embedding.AsSpan()));
Console.WriteLine($"{(save ? "Fitted and saved" : "Loaded")} {model.GetType().Name} on ML.NET {mlNetVersion}; transformed {rows.Count} rows.");
return 0;

// Three seeded clusters, so the rows have structure for the neighbour search and the layout.
static void WriteRows(string path, int rows, int columns)
{
    var random = new Random(11);
    var values = new float[rows * columns];
    for (int i = 0; i < rows; i++)
    {
        for (int d = 0; d < columns; d++)
            values[i * columns + d] = (float)random.NextDouble() + (d == 0 ? 4f * (i % 3) : 0f);
    }
    File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}

internal sealed class Row
{
    public float[] Features { get; set; } = Array.Empty<float>();
}
