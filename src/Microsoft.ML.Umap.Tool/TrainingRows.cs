using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Umap.Tool.Tables;

namespace Microsoft.ML.Umap.Tool
{
    /// <summary>
    /// The rows a fit learns from: every row of the file, or a uniform random sample of a fixed size drawn while
    /// streaming (reservoir sampling), so the file may be far larger than memory.
    /// </summary>
    internal static class TrainingRows
    {
        private const int BatchRows = 65_536;

        /// <summary>The feature columns: those named, or every column not excluded.</summary>
        public static string[] FeatureColumns(TableReader reader, string[] features, string[] exclude)
        {
            if (features.Length > 0)
            {
                reader.IndexesOf(features, "named by --features");
                return features;
            }
            reader.IndexesOf(exclude, "named by --exclude");
            var chosen = reader.ColumnNames.Where(c => !exclude.Contains(c)).ToArray();
            if (chosen.Length == 0)
                throw new InvalidDataException($"{reader.Path}: --exclude leaves no feature columns.");
            return chosen;
        }

        /// <summary>Reads the features of all rows, or of <paramref name="sampleSize"/> rows drawn uniformly (in file order).</summary>
        public static (float[] Values, int Rows, long RowsInFile) Read(TableReader reader, string[] featureNames, int? sampleSize, int seed, CancellationToken cancellationToken)
        {
            var columns = reader.IndexesOf(featureNames, "feature");
            int width = columns.Length;
            var buffer = Array.Empty<float>();
            if (sampleSize is { } capacity)
            {
                var sample = new float[checked((long)capacity * width)];
                var reservoir = new RowReservoir(capacity, seed);
                for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    buffer = Features(batch, columns, buffer);
                    for (int row = 0; row < batch.RowCount; row++)
                    {
                        int slot = reservoir.Offer();
                        if (slot >= 0)
                            buffer.AsSpan(row * width, width).CopyTo(sample.AsSpan(slot * width, width));
                    }
                }
                return (InFileOrder(sample, reservoir.SlotsInFileOrder(), width), reservoir.Kept, reservoir.Seen);
            }

            long seen = 0;
            var chunks = new List<float[]>();
            for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                chunks.Add(Features(batch, columns, Array.Empty<float>()));
                seen += batch.RowCount;
            }
            var values = new float[checked(seen * width)];
            long offset = 0;
            for (int i = 0; i < chunks.Count; i++)
            {
                chunks[i].CopyTo(values, offset);
                offset += chunks[i].Length;
                chunks[i] = Array.Empty<float>();
            }
            return (values, checked((int)seen), seen);
        }

        private static float[] Features(TableBatch batch, int[] columns, float[] reuse)
        {
            int length = batch.RowCount * columns.Length;
            var values = reuse.Length == length ? reuse : new float[length];
            batch.ReadFeatures(columns, values);
            return values;
        }

        /// <summary>The sample sorted back into the order the rows had in the file, so the fit does not depend on reservoir slots.</summary>
        private static float[] InFileOrder(float[] sample, int[] slots, int width)
        {
            var sorted = new float[(long)slots.Length * width];
            for (int i = 0; i < slots.Length; i++)
                sample.AsSpan(slots[i] * width, width).CopyTo(sorted.AsSpan(i * width, width));
            return sorted;
        }
    }
}
