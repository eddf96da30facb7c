using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Tests.Helpers;

namespace Microsoft.ML.Umap.Tests.PropertyBased
{
    /// <summary>The shapes of value users hand to UMAP, including the ones that break numerical code.</summary>
    public enum ValueDistribution
    {
        Gaussian,
        LogNormalRowScales,
        HeavyTailed,
        FewDistinctRows,
        SomeAllZeroRows,
        ConstantColumns,
        NearFloatLimits,
        Tiny,
        Counts,
        EveryColumnConstant,
        AllButOneColumnConstant,
        OneRowRepeated,
    }

    /// <summary>What the label column holds, if there is one.</summary>
    public enum LabelShape
    {
        None,
        Classes,
        ClassesWithMissing,
        OneClass,
        Numbers,
        NumbersWithMissing,
    }

    /// <summary>A data set described by a few numbers, so a failing case prints (and shrinks) small.</summary>
    public sealed record DataShape(int Rows, int Dimension, bool Sparse, double Density, ValueDistribution Values, LabelShape Labels, int Seed)
    {
        /// <summary>The rows, each as (positions, values); dense rows list every position.</summary>
        public List<(int[] Indices, float[] Values)> Generate(int rows, int seed)
        {
            var rng = new Random(seed);
            var result = new List<(int[], float[])>(rows);
            int distinct = Values == ValueDistribution.OneRowRepeated ? 1 : Math.Max(1, Math.Min(rows, 1 + rng.Next(5)));
            var prototypes = new List<(int[], float[])>();
            // Drawn per data set, so new rows of another seed hold another constant than the training rows.
            double constant = rng.Next(1, 100);
            for (int i = 0; i < rows; i++)
            {
                bool repeats = Values is ValueDistribution.FewDistinctRows or ValueDistribution.OneRowRepeated;
                if (repeats && prototypes.Count == distinct)
                {
                    result.Add(prototypes[rng.Next(distinct)]);
                    continue;
                }
                var row = Row(rng, constant);
                if (repeats)
                    prototypes.Add(row);
                result.Add(row);
            }
            return result;
        }

        private (int[], float[]) Row(Random rng, double constant)
        {
            int[] positions;
            if (Sparse)
            {
                int count = (int)Math.Min(Dimension, Math.Max(0, Math.Round(Density * Dimension * (0.5 + rng.NextDouble()))));
                count = Math.Min(count, 256);
                var set = new SortedSet<int>();
                while (set.Count < count)
                    set.Add(rng.Next(Dimension));
                positions = set.ToArray();
            }
            else
            {
                positions = Enumerable.Range(0, Dimension).ToArray();
            }

            double scale = Values == ValueDistribution.LogNormalRowScales ? Math.Exp(2 * Normal(rng)) : 1.0;
            bool zeroRow = Values == ValueDistribution.SomeAllZeroRows && rng.NextDouble() < 0.3;
            var values = new float[positions.Length];
            for (int p = 0; p < positions.Length; p++)
            {
                double v = Values switch
                {
                    ValueDistribution.HeavyTailed => Normal(rng) / Math.Max(1e-12, Math.Abs(Normal(rng))),
                    ValueDistribution.ConstantColumns => positions[p] % 2 == 0 ? 3.0 : Normal(rng),
                    ValueDistribution.NearFloatLimits => (rng.NextDouble() < 0.5 ? -1 : 1) * Math.Pow(10, 15 + 23 * rng.NextDouble()),
                    ValueDistribution.Tiny => Normal(rng) * 1e-38,
                    ValueDistribution.Counts => rng.Next(4),
                    ValueDistribution.EveryColumnConstant => constant,
                    // Small integers: the rows a byte copy keeps exactly.
                    ValueDistribution.OneRowRepeated => rng.Next(200),
                    ValueDistribution.AllButOneColumnConstant => positions[p] == 0 ? rng.Next(50) : 7.0,
                    _ => Normal(rng),
                };
                values[p] = zeroRow ? 0f : (float)Math.Clamp(v * scale, -float.MaxValue, float.MaxValue);
            }
            // A sparse buffer may hold explicit zeros (ML.NET's can): they are kept, the library must cope.
            return (positions, values);
        }

        /// <summary>Row labels as floats (NaN: unlabelled), or null without a label column.</summary>
        public float[]? LabelValues(int rows, int seed)
        {
            if (Labels == LabelShape.None)
                return null;
            var rng = new Random(seed ^ 0x5EED);
            var labels = new float[rows];
            for (int i = 0; i < rows; i++)
            {
                labels[i] = Labels switch
                {
                    LabelShape.OneClass => 1f,
                    LabelShape.Numbers or LabelShape.NumbersWithMissing => (float)(Normal(rng) * 10),
                    _ => rng.Next(4),
                };
                if ((Labels == LabelShape.ClassesWithMissing || Labels == LabelShape.NumbersWithMissing) && rng.NextDouble() < 0.4)
                    labels[i] = float.NaN;
            }
            return labels;
        }

        public IDataView Load(MLContext ml, int rows, int seed) =>
            new InMemoryDataView(Generate(rows, seed), LabelValues(rows, seed), Dimension, Sparse);

        private static double Normal(Random rng) =>
            Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    }
}
