using System.Linq;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    public class FastRandomTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(5)]
        [InlineData(8)]
        [InlineData(37)]
        [InlineData(1000)]
        public void PaddedFillGivesExactlyTheSequentialValuesComplemented(int count)
        {
            var a = FastRandom.ForStream(9, 1, 2);
            var b = a;
            int padded = count + FastRandom.FillPadding - 1;
            var room = Enumerable.Repeat(12345, padded + 3).ToArray();
            a.FillComplementedIntsPadded(room, count, 70_000);
            var sequential = Enumerable.Range(0, count).Select(_ => ~b.NextInt(70_000)).ToArray();
            Assert.Equal(sequential, room[..count]);
            Assert.All(room[padded..], v => Assert.Equal(12345, v)); // nothing written past the padding
            Assert.Equal(b.NextUInt64(), a.NextUInt64()); // both streams advanced by count draws
        }

        [Fact]
        public void IntegersAreUniformAndInRange()
        {
            var rng = FastRandom.ForStream(3);
            var counts = new int[10];
            for (int i = 0; i < 100_000; i++)
                counts[rng.NextInt(10)]++;
            Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        }

        [Fact]
        public void StreamsDifferByKey()
        {
            Assert.NotEqual(FastRandom.ForStream(1, 0, 1).NextUInt64(), FastRandom.ForStream(1, 1, 0).NextUInt64());
            Assert.NotEqual(FastRandom.ForStream(1).NextUInt64(), FastRandom.ForStream(2).NextUInt64());
            Assert.Equal(FastRandom.ForStream(5, 6, 7).NextUInt64(), FastRandom.ForStream(5, 6, 7).NextUInt64());
        }
    }
}
