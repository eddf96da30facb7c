using System;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    public class StageGarbageTests
    {
        [Fact]
        public void ALargeFitCollectsEveryGeneration()
        {
            int before = GC.CollectionCount(2);
            StageGarbage.Collect(StageGarbage.FromRows);
            Assert.True(GC.CollectionCount(2) > before);
        }
    }
}
