using System;
using System.Linq;
using CsCheck;
using Microsoft.ML.Umap.Core.Distances;
using Microsoft.ML.Umap.Core.Neighbors;
using Microsoft.ML.Umap.Core.Numerics;
using Microsoft.ML.Umap.Tests.Core.Neighbors;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>
    /// The coded copy the neighbour walk measures (any finite rows: tiny, constant or partly constant, integer, wide or
    /// with an outlier column): either refused, or every value is kept to half a step and every distance is the distance to the
    /// reconstruction, whatever the query (inside or outside the training range); an exact copy beside it gives
    /// every row back bit for bit.
    /// </summary>
    public class QuantizedRowsProperties
    {
        private readonly ITestOutputHelper _output;

        public QuantizedRowsProperties(ITestOutputHelper output) => _output = output;

        public sealed record Rows(int Count, int Columns, int Kind, int Seed)
        {
            internal RowMatrix Build()
            {
                var rng = new Random(Seed);
                var values = new float[Count * Columns];
                int constantEvery = 2 + Seed % 4;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Kind switch
                    {
                        0 => (float)(rng.NextDouble() * 2 - 1),
                        1 => rng.Next(17), // small integers, as in the digits
                        2 => (float)((rng.NextDouble() - 0.5) * 1e30), // wide but finite ranges
                        3 => 7.5f, // constant columns
                        _ => i % Columns % constantEvery == 0 ? i % Columns - 2.5f : (float)rng.NextDouble(), // some constant (blank borders)
                    };
                }
                if (Kind == 0 && Count > 1 && rng.Next(3) == 0)
                    values[rng.Next(Count) * Columns] = 1e6f; // an outlier squeezing its column
                return new RowMatrix(values, Count, Columns);
            }
        }

        private static readonly Gen<Rows> Cases =
            Gen.Select(Gen.Int[1, 120], Gen.Int[1, 70], Gen.Int[0, 4], Gen.Int[0, 100_000])
                .Select((count, columns, kind, seed) => new Rows(count, columns, kind, seed));

        [Fact]
        public void CodesAreRefusedOrKeepEveryDistanceToTheReconstruction() =>
            PropertyRunner.Run(Cases, c =>
            {
                var rows = c.Build();
                var indices = Enumerable.Range(0, c.Count).SelectMany(i => new[] { i, (i + 1) % c.Count }).ToArray();
                var graph = new KnnGraph(indices, new float[indices.Length], c.Count, 2);
                var codes = QuantizedRows.TryBuild(rows, graph, 2);
                if (codes is null)
                    return "refused";

                var rng = new Random(c.Seed);
                var query = Enumerable.Range(0, c.Columns).Select(col => rows.ReadOnlyRow(rng.Next(c.Count))[col] * 1.5f + 0.25f).ToArray();
                var coded = new CodedQuery(codes.PaddedColumns);
                if (!codes.Prepare(query, coded))
                    return "query beyond the codes' arithmetic";
                for (int i = 0; i < c.Count; i++)
                {
                    double reconstructed = 0, slack = 0, rowTerm = 0;
                    for (int col = 0; col < c.Columns; col++)
                    {
                        double min = Enumerable.Range(0, c.Count).Min(r => (double)rows.ReadOnlyRow(r)[col]);
                        double max = Enumerable.Range(0, c.Count).Max(r => (double)rows.ReadOnlyRow(r)[col]);
                        double step = (max - min) / codes.Levels;
                        double diff = query[col] - rows.ReadOnlyRow(i)[col];
                        // The row is kept to half a step: the distance moves by at most that much per column.
                        slack += Math.Abs(diff) * step + step * step / 4;
                        reconstructed += diff * diff;
                        rowTerm += (max - min) * (max - min);
                    }
                    slack += QuantizedRowsTests.Tolerance(coded, codes.Levels, c.Columns, rowTerm);
                    float measured = codes.SquaredDistance(coded, i);
                    if (reconstructed + slack > float.MaxValue / 2)
                        continue; // beyond float's range, as the exact float kernel's sum is too
                    Assert.InRange(measured, reconstructed - slack - 1e-4 * reconstructed - 1e-6, reconstructed + slack + 1e-4 * reconstructed + 1e-6);
                }
                if (codes.ExactRows is { } copy)
                {
                    // A copy said to be exact gives every row back bit for bit.
                    var row = new float[c.Columns];
                    for (int i = 0; i < c.Count; i++)
                    {
                        copy.Reconstruct(i, row);
                        Assert.Equal(rows.ReadOnlyRow(i).ToArray(), row);
                    }
                }
                return (codes.Levels < 16 ? "half a byte" : "a byte") + (codes.ExactRows != null ? ", exact copy" : "");
            }, ciCases: 60, _output);
    }
}
