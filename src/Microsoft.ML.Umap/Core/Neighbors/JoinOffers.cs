using System;

namespace Microsoft.ML.Umap.Core.Neighbors
{
    /// <summary>
    /// One work item's offers from NN-descent's local join, in the order they were made, applied to the heaps later
    /// by target range. A buffer of the library's own rather than a <c>List</c> of offers: the package's precompiled
    /// image can hold this code but not the framework's list over one of the library's types, which a first fit would
    /// run unoptimised through its first rounds.
    /// </summary>
    internal sealed class JoinOffers
    {
        private Offer[] _offers = new Offer[64];
        private int _count;

        public ReadOnlySpan<Offer> Offers => _offers.AsSpan(0, _count);

        public void Clear() => _count = 0;

        public void Add(int target, int other, float distance)
        {
            if (_count == _offers.Length)
                Array.Resize(ref _offers, 2 * _offers.Length);
            _offers[_count++] = new Offer(target, other, distance);
        }

        /// <summary>Offer <see cref="Other"/> at <see cref="Distance"/> (reduced) to <see cref="Target"/>'s heap.</summary>
        public readonly record struct Offer(int Target, int Other, float Distance);
    }
}
