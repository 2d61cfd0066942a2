using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bulwark.Matching.Index;

/// <summary>
/// Linear scan of hashes stored as contiguous ulong[4] rows. Memory-bound (32 bytes per entry), so the only trick that
/// pays is skipping the second half of the popcounts once the first half already exceeds the threshold: for unrelated
/// hashes the first 128 bits alone differ by ~64 ± 6 bits, far above any useful threshold.
/// </summary>
internal static class FlatScan
{
    public static void Scan(ulong[] hashes, int start, int end, in QueryWords q, int threshold, ulong[] tombstones, List<PdqMatch> results)
    {
        ref var h = ref MemoryMarshal.GetArrayDataReference(hashes);
        for (var id = start; id < end; id++)
        {
            ref var e = ref Unsafe.Add(ref h, id * 4);
            var d = BitOperations.PopCount(e ^ q.W0) + BitOperations.PopCount(Unsafe.Add(ref e, 1) ^ q.W1);
            if (d > threshold) continue;
            d += BitOperations.PopCount(Unsafe.Add(ref e, 2) ^ q.W2) + BitOperations.PopCount(Unsafe.Add(ref e, 3) ^ q.W3);
            if (d <= threshold && !Tombstones.IsSet(tombstones, id)) results.Add(new PdqMatch(id, d));
        }
    }
}

/// <summary>The query's four words, passed by reference to the hot loops.</summary>
internal readonly record struct QueryWords(ulong W0, ulong W1, ulong W2, ulong W3);

internal static class Tombstones
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSet(ulong[] bits, int id) => (bits[id >> 6] & (1UL << (id & 63))) != 0;
}
