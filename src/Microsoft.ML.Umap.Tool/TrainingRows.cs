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
    /// streaming (reservoir sampling), so the file may be far larger than memory. Each row keeps its place in the
    /// file, so a row the library refuses can be named by its line.
    /// </summary>
    internal sealed class TrainingRows
    {
        private const int BatchRows = 65_536;

        private TrainingRows(float[] values, int rows, long rowsInFile, long[] positions)
        {
            Values = values;
            Rows = rows;
            RowsInFile = rowsInFile;
            Positions = positions;
        }

        /// <summary>The rows' features, row-major, in file order.</summary>
        public float[] Values { get; }

        public int Rows { get; }

        /// <summary>The rows the file holds (more than <see cref="Rows"/> when sampled).</summary>
        public long RowsInFile { get; }

        /// <summary>Each row's place in the file (<see cref="TableBatch.Position"/>).</summary>
        public long[] Positions { get; }

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
        public static TrainingRows Read(TableReader reader, string[] featureNames, int? sampleSize, int seed, FeatureValues allowed, CancellationToken cancellationToken)
        {
            var columns = reader.IndexesOf(featureNames, "feature");
            int width = columns.Length;
            var buffer = Array.Empty<float>();
            if (sampleSize is { } capacity)
            {
                // The sample grows with the rows kept, so a sample larger than the file costs only the file.
                var sample = Array.Empty<float>();
                var positions = new List<long>();
                var reservoir = new RowReservoir(capacity, seed);
                for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    buffer = Features(batch, columns, buffer, allowed);
                    for (int row = 0; row < batch.RowCount; row++)
                    {
                        int slot = reservoir.Offer();
                        if (slot < 0)
                            continue;
                        long end = ((long)slot + 1) * width;
                        if (end > sample.Length)
                            sample = Grown(sample, end, (long)capacity * width, reader.Path, width);
                        buffer.AsSpan(row * width, width).CopyTo(sample.AsSpan(slot * width, width));
                        if (slot == positions.Count)
                            positions.Add(batch.Position(row));
                        else
                            positions[slot] = batch.Position(row);
                    }
                }
                var slots = reservoir.SlotsInFileOrder();
                return new TrainingRows(InFileOrder(sample, slots, width), reservoir.Kept, reservoir.Seen, slots.Select(s => positions[s]).ToArray());
            }

            long seen = 0;
            var chunks = new List<float[]>();
            var allPositions = new List<long>();
            for (TableBatch? batch; (batch = reader.ReadBatch(BatchRows)) != null;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                chunks.Add(Features(batch, columns, Array.Empty<float>(), allowed));
                for (int row = 0; row < batch.RowCount; row++)
                    allPositions.Add(batch.Position(row));
                seen += batch.RowCount;
                if (seen * width > Array.MaxLength)
                    throw TooMany(reader.Path, seen, width);
            }
            var values = new float[seen * width];
            long offset = 0;
            for (int i = 0; i < chunks.Count; i++)
            {
                chunks[i].CopyTo(values, offset);
                offset += chunks[i].Length;
                chunks[i] = Array.Empty<float>();
            }
            return new TrainingRows(values, (int)seen, seen, allPositions.ToArray());
        }

        /// <summary>A copy of <paramref name="values"/> with room for at least <paramref name="needed"/> values: twice as many, at most <paramref name="limit"/>.</summary>
        private static float[] Grown(float[] values, long needed, long limit, string path, int width)
        {
            if (needed > Array.MaxLength)
                throw TooMany(path, needed / width, width);
            var grown = new float[Math.Min(Math.Min(limit, Array.MaxLength), Math.Max(needed, 2L * values.Length))];
            values.CopyTo(grown, 0);
            return grown;
        }

        private static InvalidDataException TooMany(string path, long rows, int width) =>
            new($"{path}: {rows:N0} rows of {width} features are more than one array holds ({Array.MaxLength:N0} values); fit on fewer rows with --sample.");

        private static float[] Features(TableBatch batch, int[] columns, float[] reuse, FeatureValues allowed)
        {
            int length = batch.RowCount * columns.Length;
            var values = reuse.Length == length ? reuse : new float[length];
            batch.ReadFeatures(columns, values, allowed);
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
