using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Umap.Core.Model;
using Microsoft.ML.Umap.Tests.Helpers;
using Microsoft.ML.Umap.Tests.PropertyBased;
using Xunit;
using Xunit.Abstractions;

namespace Microsoft.ML.Umap.Tests.Reliability
{
    /// <summary>
    /// A model file is untrusted input. Seeded mutations of saved models (dense and sparse training rows; the plain
    /// stream of <see cref="UmapTransformer.Save(Stream)"/> and the UMAP entry inside ML.NET's zip) must either fail to
    /// load with the documented exception, or load into a model that places rows in bounded time with finite
    /// coordinates or a contract exception. Half the mutations carry a recomputed, valid checksum.
    /// </summary>
    public class ModelLoaderFuzzTests
    {
        private const int CasesPerModel = 300;

        private readonly ITestOutputHelper _output;

        public ModelLoaderFuzzTests(ITestOutputHelper output) => _output = output;

        private static readonly Lazy<(byte[] Plain, byte[] Zip)> Dense = new(() => Saved(sparse: false));
        private static readonly Lazy<(byte[] Plain, byte[] Zip)> Sparse = new(() => Saved(sparse: true));

        private static (byte[] Plain, byte[] Zip) Saved(bool sparse)
        {
            var ml = new MLContext(seed: 1);
            IDataView data = sparse
                ? HostileData.LoadSparse(ml, HostileData.RandomSparse(50, 300, 5, seed: 4))
                : MlNetData.Load(ml, TestMatrices.Gaussian(50, 4, seed: 4));
            var model = ml.Transforms.Umap(new UmapEstimator.Options { Seed = 2, NumberOfEpochs = 10, NumberOfNeighbors = 6 }).Fit(data);
            using var plain = new MemoryStream();
            model.Save(plain);
            using var zip = new MemoryStream();
            ml.Model.Save(model, data.Schema, zip);
            return (plain.ToArray(), zip.ToArray());
        }

        public enum Mutation
        {
            BitFlips,
            ByteRun,
            Truncation,
            Splice,
            HeaderField,
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void MutatedPlainStreamsFailCleanlyOrGiveAWorkingModel(bool sparse)
        {
            var original = (sparse ? Sparse : Dense).Value.Plain;
            var other = (sparse ? Dense : Sparse).Value.Plain;
            var outcomes = new Dictionary<string, int>();
            for (int i = 0; i < CasesPerModel; i++)
            {
                var rng = new Random(1000 * (sparse ? 2 : 1) + i);
                var (bytes, description) = Mutate(original, other, rng);
                long before = GC.GetAllocatedBytesForCurrentThread();
                UmapTransformer? loaded = null;
                var e = Record.Exception(() => loaded = UmapTransformer.Load(new MLContext(), new MemoryStream(bytes)));
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 8L * bytes.Length + (8 << 20), $"case {i} ({description}): the load allocated {allocated} bytes for a file of {bytes.Length}");
                Tally(outcomes, CheckLoad(e, loaded, i, description, wrapped: false));
            }
            Report(outcomes);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void MutatedModelEntriesInAnMlNetZipFailCleanlyOrGiveAWorkingModel(bool sparse)
        {
            var zip = (sparse ? Sparse : Dense).Value.Zip;
            var entry = ReadEntry(zip);
            var other = ReadEntry((sparse ? Dense : Sparse).Value.Zip);
            var outcomes = new Dictionary<string, int>();
            for (int i = 0; i < CasesPerModel; i++)
            {
                var rng = new Random(5000 * (sparse ? 2 : 1) + i);
                var (bytes, description) = Mutate(entry, other, rng);
                var file = ReplaceEntry(zip, bytes);
                ITransformer? loaded = null;
                var e = Record.Exception(() => loaded = new MLContext().Model.Load(new MemoryStream(file), out _));
                Tally(outcomes, CheckLoad(e, loaded as UmapTransformer, i, description, wrapped: true));
            }
            Report(outcomes);
        }

        /// <summary>What happened, for the summary; fails the test on an undocumented exception or a broken model.</summary>
        private static string CheckLoad(Exception? e, UmapTransformer? loaded, int i, string description, bool wrapped)
        {
            if (e != null)
            {
                // mlContext.Model.Load calls the loader by reflection: ML.NET wraps what it throws (docs/errors.md).
                var cause = wrapped && e is TargetInvocationException { InnerException: not null } t ? t.InnerException : e;
                Assert.True(cause is InvalidDataException || (cause is InvalidOperationException && cause.Message.Contains("registered", StringComparison.Ordinal)),
                    $"case {i} ({description}): {e}");
                return $"refused: {(cause == e ? "" : e.GetType().Name + " wrapping ")}{cause.GetType().Name}";
            }

            Assert.NotNull(loaded);
            var model = loaded!;
            var rows = new List<(int[], float[])>();
            var rng = new Random(i);
            for (int r = 0; r < 3; r++)
            {
                var indices = Enumerable.Range(0, Math.Min(model.FeatureCount, 6)).Select(p => (int)((long)p * model.FeatureCount / 6)).Distinct().ToArray();
                rows.Add((indices, indices.Select(_ => (float)rng.NextDouble()).ToArray()));
            }
            var data = new InMemoryDataView(rows, null, model.FeatureCount, sparse: true);
            var transform = Task.Run(() => PropertyRunner.ContractOnly(() =>
            {
                foreach (var row in model.Transform(data).GetColumn<float[]>(model.OutputColumnName))
                    Assert.All(row, v => Assert.True(float.IsFinite(v), $"case {i} ({description}): non-finite coordinate"));
            }));
            Assert.True(transform.Wait(TimeSpan.FromSeconds(60)), $"case {i} ({description}): transforming 3 rows took over a minute");
            return transform.Result is null ? "loaded, placed rows" : $"loaded, placing refused: {transform.Result.GetType().Name}";
        }

        private static (byte[] Bytes, string Description) Mutate(byte[] original, byte[] other, Random rng)
        {
            var bytes = (byte[])original.Clone();
            var kind = (Mutation)rng.Next(5);
            string description;
            switch (kind)
            {
                case Mutation.BitFlips:
                {
                    int flips = 1 + rng.Next(8);
                    for (int f = 0; f < flips; f++)
                        bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                    description = $"{flips} bit flips";
                    break;
                }
                case Mutation.ByteRun:
                {
                    int start = rng.Next(bytes.Length), length = Math.Min(bytes.Length - start, 1 + rng.Next(64));
                    byte fill = (byte)(rng.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => rng.Next(256) });
                    bytes.AsSpan(start, length).Fill(fill);
                    description = $"{length} bytes of 0x{fill:X2} at {start}";
                    break;
                }
                case Mutation.Truncation:
                {
                    int length = rng.Next(bytes.Length);
                    bytes = bytes.AsSpan(0, length).ToArray();
                    description = $"truncated to {length} bytes";
                    break;
                }
                case Mutation.Splice:
                {
                    int from = rng.Next(other.Length), to = rng.Next(bytes.Length);
                    int length = Math.Min(Math.Min(other.Length - from, bytes.Length - to), 1 + rng.Next(512));
                    other.AsSpan(from, length).CopyTo(bytes.AsSpan(to));
                    description = $"{length} bytes of another model spliced in at {to}";
                    break;
                }
                default:
                {
                    // A header field set to a value that breaks naive code: huge, negative, NaN, infinite.
                    int header = bytes.AsSpan().IndexOf("UMAPMDL\0"u8);
                    int offset = header + 12 + 4 * rng.Next(50);
                    var values = new byte[][]
                    {
                        BitConverter.GetBytes(int.MaxValue), BitConverter.GetBytes(-1), BitConverter.GetBytes(0), BitConverter.GetBytes(1 << 20),
                        BitConverter.GetBytes(double.NaN), BitConverter.GetBytes(double.PositiveInfinity), BitConverter.GetBytes(1e300), BitConverter.GetBytes(-1e-300),
                    };
                    var value = values[rng.Next(values.Length)];
                    if (header >= 0 && offset + value.Length <= bytes.Length)
                        value.CopyTo(bytes, offset);
                    description = $"header bytes at {offset - header} set to {BitConverter.ToString(value)}";
                    break;
                }
            }

            if (rng.Next(2) == 0 && TryResign(bytes))
                description += ", checksum recomputed";
            return (bytes, description);
        }

        private static bool TryResign(byte[] bytes)
        {
            try
            {
                new ModelBytes(bytes).Resign();
                return true;
            }
            catch (ArgumentException)
            {
                return false; // signature or version gone, or too short to hold a checksum
            }
        }

        private static byte[] ReadEntry(byte[] zip)
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            using var stream = archive.Entries.Single(e => e.Name == "UmapModel.bin").Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        private static byte[] ReplaceEntry(byte[] zip, byte[] content)
        {
            var copy = new MemoryStream();
            copy.Write(zip);
            using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
            {
                var entry = archive.Entries.Single(e => e.Name == "UmapModel.bin");
                string name = entry.FullName;
                entry.Delete();
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
            return copy.ToArray();
        }

        private static void Tally(Dictionary<string, int> outcomes, string outcome) =>
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

        private void Report(Dictionary<string, int> outcomes)
        {
            foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
                _output.WriteLine($"{count,4}  {outcome}");
            Assert.Equal(CasesPerModel, outcomes.Values.Sum());
        }
    }
}
