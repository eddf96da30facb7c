using System;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    public class PageToucherTests
    {
        [Fact]
        public void TheArrayHoldsExactlyWhatTheOwnerWroteWhileTheHelperTouchedIt()
        {
            const int width = 784, rows = 3000;
            var array = GC.AllocateUninitializedArray<float>(width * rows);
            var random = new Random(7);
            var expected = new float[array.Length];
            for (int i = 0; i < expected.Length; i++)
                expected[i] = random.Next(4) == 0 ? 0f : (float)random.NextDouble() - 0.5f;

            using (var toucher = PageToucher.Start(array, threads: 2))
            {
                Assert.NotNull(toucher);
                for (int row = 0; row < rows; row++)
                {
                    toucher!.Reached((row + 1) * width);
                    expected.AsSpan(row * width, width).CopyTo(array.AsSpan(row * width, width));
                }
            }
            Assert.Equal(expected, array);
        }

        [Fact]
        public void OneThreadOrASmallArrayGetsNoHelper()
        {
            Assert.Null(PageToucher.Start(new float[4 << 20], threads: 1));
            Assert.Null(PageToucher.Start(new float[1000], threads: 2));
        }

        [Fact]
        public void AHelperLeftToRunOverAWholeArrayChangesNoValue()
        {
            // Nothing written by the owner: the helper touches every page, and each touched value must survive.
            var array = new float[2 << 20];
            for (int i = 0; i < array.Length; i++)
                array[i] = i % 3 == 0 ? 0f : i * 0.25f;
            var before = (float[])array.Clone();
            var toucher = PageToucher.Start(array, threads: 2)!;
            System.Threading.Thread.Sleep(100);
            toucher.Dispose();
            Assert.Equal(before, array);
        }
    }
}
