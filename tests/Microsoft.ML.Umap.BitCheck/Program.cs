using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap;
using Microsoft.ML.Umap.Samples;

// One line per result: its name and a 64-bit FNV-1a hash of its floats' bytes (no crypto library: none is needed, and
// the ARM64 run under emulation has no OpenSSL). The lines must not depend on
// the processor, its vector width, the runtime's instruction-set switches or the thread count.
var only = args.Length > 0 ? args[0] : null;
Console.Error.WriteLine($"{RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}; vectors: 512 {Vector512.IsHardwareAccelerated}, 256 {Vector256.IsHardwareAccelerated}, 128 {Vector128.IsHardwareAccelerated}");

var digits = Datasets.Digits();
var training = digits.Take(1500);
var fresh = new LabelledData(digits.Features.AsSpan(1500 * digits.Columns).ToArray(), digits.Rows - 1500, digits.Columns, digits.Labels.AsSpan(1500).ToArray());
var ml = new MLContext(seed: 1);

// Epochs and rows are kept small: the ARM64 run is emulated, some thirty times slower.
var small = training.Take(600);
Check("digits 2-D", () => FitAndTransform(Dense(training), Dense(fresh), new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 100 }));
Check("digits 3-D", () => FitAndTransform(Dense(small), Dense(fresh), new UmapEstimator.Options { Seed = 2, NumberOfEpochs = 100, NumberOfComponents = 3 }));
Check("digits sparse cosine", () => FitAndTransform(Sparse(small), Sparse(fresh), new UmapEstimator.Options { Seed = 3, NumberOfEpochs = 100, Metric = UmapMetric.Cosine }));
Check("digits manhattan", () => FitAndTransform(Dense(small), Dense(fresh), new UmapEstimator.Options { Seed = 4, NumberOfEpochs = 50, Metric = UmapMetric.Manhattan }));
Check("digits minkowski", () => FitAndTransform(Dense(small.Take(300)), Dense(fresh.Take(50)), new UmapEstimator.Options { Seed = 5, NumberOfEpochs = 50, Metric = UmapMetric.Minkowski, MinkowskiP = 3 }));
Check("digits supervised", () => FitAndTransform(Dense(small), Dense(fresh), new UmapEstimator.Options { Seed = 6, NumberOfEpochs = 100, LabelColumnName = "Label" }));
Check("digits densMAP", () => Fit(Dense(small), new UmapEstimator.Options { Seed = 7, NumberOfEpochs = 100, DensityRegularization = true }).GetTrainingEmbedding());
Check("digits update", () =>
{
    var model = Fit(Dense(small), new UmapEstimator.Options { Seed = 8, NumberOfEpochs = 100 });
    return model.Update(Dense(fresh)).GetTrainingEmbedding();
});
Check("digits inverse transform", () =>
{
    var model = Fit(Dense(small), new UmapEstimator.Options { Seed = 9, NumberOfEpochs = 100 });
    var points = model.GetTrainingEmbedding().Take(40).Select(p => p.Select(v => v + 0.25f).ToArray()).ToArray();
    return model.InverseTransform(points);
});
Check("digits quality", () =>
{
    var model = Fit(Dense(small), new UmapEstimator.Options { Seed = 1, NumberOfEpochs = 100 });
    var embedded = model.Transform(Dense(small));
    return new[]
    {
        new[] { (float)UmapMetrics.Trustworthiness(embedded, "Features", "Embedding", 15) },
        new[] { (float)UmapMetrics.KnnAccuracy(embedded, "Embedding", "Label") },
    };
});
// Parametric: the encoder's training (products, backpropagation, Adam) and its forward pass, all three trainings.
Check("digits parametric", () => Transform(Fit(Dense(small), new UmapEstimator.Options
{
    Seed = 11, NumberOfEpochs = 50, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 40, 24 }, NumberOfEpochs = 8, BatchSize = 100 },
}), Dense(fresh)));
Check("digits parametric regression", () => Transform(Fit(Dense(small), new UmapEstimator.Options
{
    Seed = 11, NumberOfEpochs = 50, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 40, 24 }, NumberOfEpochs = 8, BatchSize = 100, Training = UmapEncoderTraining.EmbeddingThenObjective },
}), Dense(fresh)));
Check("digits parametric objective", () => Transform(Fit(Dense(small), new UmapEstimator.Options
{
    Seed = 12, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 40 }, NumberOfEpochs = 8, BatchSize = 100, Training = UmapEncoderTraining.Objective },
}), Dense(fresh)));
// The encoder trained on principal components (the randomised sketch, the projection, the fold into the first layer).
Check("digits parametric pca", () => Transform(Fit(Dense(small), new UmapEstimator.Options
{
    Seed = 13, NumberOfEpochs = 50, Parametric = new UmapEncoderOptions { HiddenLayerSizes = new[] { 40, 24 }, NumberOfEpochs = 8, BatchSize = 100, NumberOfInputComponents = 16 },
}), Dense(fresh)));
// NN-descent, the coded walk of new rows and the exact byte copy start at 4,096 training rows.
var mnist = Datasets.Mnist();
Check("mnist 4,200 2-D", () => FitAndTransform(Dense(mnist.Take(4200)), Dense(new LabelledData(mnist.Features.AsSpan(4200 * mnist.Columns, 200 * mnist.Columns).ToArray(), 200, mnist.Columns, mnist.Labels.AsSpan(4200, 200).ToArray())),
    new UmapEstimator.Options { Seed = 10, NumberOfEpochs = 30, NumberOfTransformEpochs = 20 }));

void Check(string name, Func<float[][]> result)
{
    if (only != null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
        return;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var values = result();
    var bytes = MemoryMarshal.AsBytes(values.SelectMany(r => r).ToArray().AsSpan());
    ulong hash = 14695981039346656037UL;
    foreach (byte b in bytes)
        hash = (hash ^ b) * 1099511628211UL;
    Console.WriteLine($"{name,-28} {hash:X16}");
    Console.Error.WriteLine($"  {name}: {clock.Elapsed.TotalSeconds:F1} s");
}

UmapTransformer Fit(IDataView data, UmapEstimator.Options options) => ml.Transforms.Umap(options).Fit(data);

float[][] FitAndTransform(IDataView data, IDataView newRows, UmapEstimator.Options options)
{
    var model = Fit(data, options);
    return model.GetTrainingEmbedding().Concat(model.Transform(newRows).GetColumn<float[]>("Embedding")).ToArray();
}

float[][] Transform(UmapTransformer model, IDataView rows) => model.Transform(rows).GetColumn<float[]>("Embedding").ToArray();

IDataView Dense(LabelledData set)
{
    var rows = Enumerable.Range(0, set.Rows).Select(i => new DenseRow { Features = set.Row(i), Label = set.Labels[i] }).ToList();
    var schema = SchemaDefinition.Create(typeof(DenseRow));
    schema[nameof(DenseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, set.Columns);
    return ml.Data.LoadFromEnumerable(rows, schema);
}

IDataView Sparse(LabelledData set)
{
    var rows = new List<SparseRow>(set.Rows);
    for (int i = 0; i < set.Rows; i++)
    {
        var row = set.Row(i);
        var indices = Enumerable.Range(0, row.Length).Where(c => row[c] != 0).ToArray();
        rows.Add(new SparseRow { Features = new VBuffer<float>(row.Length, indices.Length, indices.Select(c => row[c]).ToArray(), indices), Label = set.Labels[i] });
    }
    var schema = SchemaDefinition.Create(typeof(SparseRow));
    schema[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, set.Columns);
    return ml.Data.LoadFromEnumerable(rows, schema);
}

internal sealed class DenseRow
{
    public float[] Features { get; set; } = Array.Empty<float>();

    public int Label { get; set; }
}

internal sealed class SparseRow
{
    public VBuffer<float> Features { get; set; }

    public int Label { get; set; }
}
