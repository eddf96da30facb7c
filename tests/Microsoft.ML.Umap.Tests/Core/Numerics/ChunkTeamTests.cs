using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Microsoft.ML.Umap.Core.Numerics;
using Xunit;

namespace Microsoft.ML.Umap.Tests.Core.Numerics
{
    public class ChunkTeamTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        public void EveryChunkOfEveryLoopRunsOnce(int threads)
        {
            using var team = new ChunkTeam(threads);
            var threadsSeen = new ConcurrentDictionary<int, bool>();
            for (int loop = 0; loop < 300; loop++)
            {
                int chunks = loop % 7 + 1;
                var runs = new int[chunks];
                team.Run(chunks, c =>
                {
                    Interlocked.Increment(ref runs[c]);
                    threadsSeen[Environment.CurrentManagedThreadId] = true;
                    // Long enough that a worker finds work while the caller is still busy.
                    Thread.SpinWait(2000);
                });
                Assert.All(runs, r => Assert.Equal(1, r));
            }
            Assert.True(threadsSeen.Count <= threads, $"{threadsSeen.Count} threads ran chunks of a team of {threads}.");
        }

        [Fact]
        public void AnIdleTeamWakesForTheNextLoop()
        {
            using var team = new ChunkTeam(2);
            int done = 0;
            team.Run(4, _ => Interlocked.Increment(ref done));
            // Past the workers' spinning: they sleep, and the next loop must still complete.
            Thread.Sleep(50);
            team.Run(4, _ => Interlocked.Increment(ref done));
            Assert.Equal(8, done);
        }

        [Fact]
        public void TheFirstFailingChunksExceptionIsThrown()
        {
            using var team = new ChunkTeam(2);
            var e = Assert.Throws<InvalidOperationException>(() => team.Run(40, c =>
            {
                if (c % 10 == 7)
                    throw new InvalidOperationException($"chunk {c}");
            }));
            Assert.Equal("chunk 7", e.Message);
            // The team still works after a failure.
            int done = 0;
            team.Run(5, _ => Interlocked.Increment(ref done));
            Assert.Equal(5, done);
        }

        [Fact]
        public void ACancelledTokenStopsTheLoop()
        {
            using var team = new ChunkTeam(2);
            using var source = new CancellationTokenSource();
            int started = 0;
            Assert.ThrowsAny<OperationCanceledException>(() => team.Run(1000, c =>
            {
                if (Interlocked.Increment(ref started) == 3)
                    source.Cancel();
            }, source.Token));
            Assert.True(started < 1000);
        }

        [Fact]
        public void ADisposedTeamRefusesWork()
        {
            var team = new ChunkTeam(3);
            team.Dispose();
            team.Dispose();
            Assert.Throws<ObjectDisposedException>(() => team.Run(2, _ => { }));
        }
    }
}
