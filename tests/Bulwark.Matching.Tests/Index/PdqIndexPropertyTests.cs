using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Index;

/// <summary>The index must return exactly the brute-force set, on random and adversarial data.</summary>
public class PdqIndexPropertyTests
{
    internal static PdqHash RandomHash(Random rng) =>
        new((ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63),
            (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63));

    /// <summary>Flips exactly <paramref name="bits"/> distinct bits.</summary>
    internal static PdqHash Flip(PdqHash h, int bits, Random rng)
    {
        Span<ulong> w = [h.W0, h.W1, h.W2, h.W3];
        foreach (var b in Enumerable.Range(0, 256).OrderBy(_ => rng.Next()).Take(bits)) w[b >> 6] ^= 1UL << (b & 63);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    private static readonly PdqHash Ones = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>A data set of one of several shapes, chosen by the generator.</summary>
    internal static List<PdqHash> Dataset(Random rng, int shape, int n)
    {
        var list = new List<PdqHash>(n);
        var bases = Enumerable.Range(0, 1 + rng.Next(5)).Select(_ => RandomHash(rng)).ToArray();
        for (var i = 0; i < n; i++)
        {
            list.Add(shape switch
            {
                0 => RandomHash(rng),
                // Near-duplicate clouds: every entry within 0–40 bits of a few originals (worst case for bucket sizes).
                1 => Flip(bases[rng.Next(bases.Length)], rng.Next(41), rng),
                // Degenerate hashes real pipelines produce (blank frames): all-zero, all-one and their near neighbours.
                2 => Flip(rng.Next(2) == 0 ? PdqHash.Zero : Ones, rng.Next(20), rng),
                // Clustered chunks: each 16-bit chunk takes one of two values, so buckets are huge but full hashes differ.
                _ => ClusteredChunks(rng),
            });
        }
        return list;
    }

    private static PdqHash ClusteredChunks(Random rng)
    {
        Span<ulong> w = stackalloc ulong[4];
        for (var c = 0; c < 16; c++) w[c >> 2] |= (ulong)(rng.Next(2) == 0 ? 0xA5A5 : 0x5A5A) << ((c & 3) * 16);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    /// <summary>Queries: entries themselves, planted neighbours at 0–40 bits, and unrelated hashes.</summary>
    internal static IEnumerable<PdqHash> Queries(Random rng, List<PdqHash> data, int count)
    {
        for (var i = 0; i < count; i++)
            yield return (i % 3) switch
            {
                0 => data[rng.Next(data.Count)],
                1 => Flip(data[rng.Next(data.Count)], rng.Next(41), rng),
                _ => RandomHash(rng),
            };
    }

    private static bool SameAsBruteForce(PdqIndex index, BruteForcePdqScanner brute, PdqHash q, int threshold)
    {
        var expected = brute.Search(q, threshold);
        var actual = index.Search(q, threshold);
        actual.Sort((a, b) => a.Id.CompareTo(b.Id));
        return expected.SequenceEqual(actual);
    }

    private static readonly int[] Thresholds = [0, 1, 8, 15, 16, 30, 31, 32, 40, 47, 48, 64, 256];

    [Property(MaxTest = 40)]
    public bool Built_index_equals_brute_force(int seed)
    {
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), rng.Next(1, 3000));
        var index = PdqIndex.Build(data.ToArray());
        var brute = new BruteForcePdqScanner();
        data.ForEach(h => brute.Add(h));
        foreach (var id in Enumerable.Range(0, data.Count / 10).Select(_ => rng.Next(data.Count)))
            Assert.Equal(brute.Disable(id), index.Disable(id));
        Assert.Equal(brute.Count, index.Count);
        return Queries(rng, data, 30).All(q => SameAsBruteForce(index, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    [Property(MaxTest = 6)]
    public bool Incrementally_added_index_equals_brute_force_across_segments(int seed)
    {
        // More than two TailLimits of additions: exercises sealing, merging and the flat-scanned tail together.
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), 2 * PdqIndex.TailLimit + rng.Next(PdqIndex.TailLimit));
        var index = new PdqIndex();
        var brute = new BruteForcePdqScanner();
        foreach (var h in data)
        {
            Assert.Equal(brute.Add(h), index.Add(h));
            if (rng.Next(50) != 0) continue;
            var victim = rng.Next(index.TotalEntries);
            Assert.Equal(brute.Disable(victim), index.Disable(victim));
        }
        Assert.Equal(brute.Count, index.Count);
        return Queries(rng, data, 20).All(q => SameAsBruteForce(index, brute, q, 31) && SameAsBruteForce(index, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    [Property(MaxTest = 6)]
    public bool Batches_added_with_AddRange_equal_brute_force_and_the_ids_of_Add(int seed)
    {
        // Random batch sizes from 0 to beyond the tail limit, mixed with single adds and disables; the large layout is
        // forced early so batches also seal into packed segments.
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), 2 * PdqIndex.TailLimit + rng.Next(PdqIndex.TailLimit));
        var index = PdqIndex.Create(wideMinimum: PdqIndex.TailLimit + rng.Next(PdqIndex.TailLimit));
        var brute = new BruteForcePdqScanner();
        for (var at = 0; at < data.Count;)
        {
            var n = Math.Min(data.Count - at, rng.Next(4) switch { 0 => 1, 1 => rng.Next(100), 2 => rng.Next(PdqIndex.TailLimit), _ => rng.Next(2 * PdqIndex.TailLimit) });
            if (n == 0)
            {
                Assert.Equal(index.TotalEntries, index.AddRange([]));
                continue;
            }
            var first = brute.Add(data[at]);
            for (var i = 1; i < n; i++) brute.Add(data[at + i]);
            Assert.Equal(first, n == 1 && rng.Next(2) == 0 ? index.Add(data[at]) : index.AddRange(data.GetRange(at, n).ToArray()));
            at += n;
            if (rng.Next(3) == 0)
            {
                var victim = rng.Next(index.TotalEntries);
                Assert.Equal(brute.Disable(victim), index.Disable(victim));
            }
        }
        Assert.Equal(data.Count, index.TotalEntries);
        Assert.Equal(brute.Count, index.Count);
        return Queries(rng, data, 20).All(q => SameAsBruteForce(index, brute, q, 31) && SameAsBruteForce(index, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    [Property(MaxTest = 10)]
    public bool Snapshot_round_trip_answers_identically(int seed)
    {
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), rng.Next(1, 2000));
        var index = PdqIndex.Build(data.ToArray());
        foreach (var h in Dataset(rng, 0, rng.Next(100))) index.Add(h);
        index.Disable(rng.Next(data.Count));
        using var ms = new MemoryStream();
        index.Save(ms);
        ms.Position = 0;
        var loaded = PdqIndex.Load(ms);
        return loaded.Count == index.Count && loaded.TotalEntries == index.TotalEntries && Queries(rng, data, 20).All(q =>
        {
            var a = index.Search(q, 31);
            var b = loaded.Search(q, 31);
            return a.SequenceEqual(b);
        });
    }

    // The large layouts normally start at 512 K entries; these force them on small data so the same brute-force comparison
    // covers them. A packed segment allocates ~21 MB of directories, a wide one 134 MB of offsets, hence few cases.

    [Property(MaxTest = 16)]
    public bool Packed_layout_equals_brute_force(int seed) => LargeLayoutEqualsBruteForce(seed, LargeSegmentLayout.Packed);

    [Property(MaxTest = 8)]
    public bool Wide_layout_equals_brute_force(int seed) => LargeLayoutEqualsBruteForce(seed, LargeSegmentLayout.Wide);

    private static bool LargeLayoutEqualsBruteForce(int seed, LargeSegmentLayout layout)
    {
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), rng.Next(1, 3000));
        var index = PdqIndex.Build(data.ToArray(), wideMinimum: 1, layout);
        Assert.Equal(1, index.WideSegmentCount);
        Assert.Equal(layout == LargeSegmentLayout.Packed ? 1 : 0, index.PackedSegmentCount);
        var brute = new BruteForcePdqScanner();
        data.ForEach(h => brute.Add(h));
        foreach (var id in Enumerable.Range(0, data.Count / 10).Select(_ => rng.Next(data.Count)))
            Assert.Equal(brute.Disable(id), index.Disable(id));
        return Queries(rng, data, 40).All(q => SameAsBruteForce(index, brute, q, 31) && SameAsBruteForce(index, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    [Property(MaxTest = 3)]
    public bool Packed_and_narrow_segments_together_equal_brute_force_and_survive_a_snapshot(int seed)
    {
        // Merges past 2 × TailLimit become packed; the newest segment and the tail stay narrow/flat.
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), 3 * PdqIndex.TailLimit + rng.Next(PdqIndex.TailLimit));
        var index = PdqIndex.Create(wideMinimum: 2 * PdqIndex.TailLimit);
        var brute = new BruteForcePdqScanner();
        foreach (var h in data) Assert.Equal(brute.Add(h), index.Add(h));
        for (var i = 0; i < 50; i++)
        {
            var victim = rng.Next(index.TotalEntries);
            Assert.Equal(brute.Disable(victim), index.Disable(victim));
        }
        Assert.True(index.PackedSegmentCount >= 1 && index.SegmentCount > index.PackedSegmentCount, $"{index.PackedSegmentCount} of {index.SegmentCount}");
        var loaded = RoundTrip(index);
        Assert.Equal(index.PackedSegmentCount, loaded.PackedSegmentCount);
        return Queries(rng, data, 20).All(q => SameAsBruteForce(index, brute, q, 31) && SameAsBruteForce(loaded, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    [Property(MaxTest = 4)]
    public bool Wide_layout_survives_a_snapshot(int seed)
    {
        var rng = new Random(seed);
        var first = Dataset(rng, rng.Next(4), rng.Next(1, 1500));
        var index = PdqIndex.Build(first.ToArray(), wideMinimum: 1, LargeSegmentLayout.Wide);
        var brute = new BruteForcePdqScanner();
        first.ForEach(h => brute.Add(h));
        var more = Dataset(rng, rng.Next(4), rng.Next(200));
        foreach (var h in more) Assert.Equal(brute.Add(h), index.Add(h));
        var loaded = RoundTrip(index);
        List<PdqHash> all = [.. first, .. more];
        return loaded.WideSegmentCount == 1 && loaded.PackedSegmentCount == 0
            && Queries(rng, all, 20).All(q => SameAsBruteForce(loaded, brute, q, Thresholds[rng.Next(Thresholds.Length)]));
    }

    /// <summary>Any single flipped bit or any truncation of a snapshot (of each layout) is refused with <see cref="InvalidDataException"/>.</summary>
    [Property(MaxTest = 30)]
    public bool A_corrupted_or_truncated_snapshot_is_refused(int seed)
    {
        var rng = new Random(seed);
        var data = Dataset(rng, rng.Next(4), rng.Next(1, 400));
        var layout = rng.Next(3);
        var index = PdqIndex.Build(data.ToArray(), wideMinimum: layout == 0 ? int.MaxValue : 1, layout == 2 ? LargeSegmentLayout.Wide : LargeSegmentLayout.Packed);
        index.Disable(rng.Next(data.Count));
        using var ms = new MemoryStream();
        index.Save(ms);
        var bytes = ms.ToArray();
        var flipped = (byte[])bytes.Clone();
        flipped[rng.Next(flipped.Length)] ^= (byte)(1 << rng.Next(8));
        var truncated = bytes.AsSpan(0, rng.Next(bytes.Length)).ToArray();
        return Refused(flipped) && Refused(truncated);

        static bool Refused(byte[] snapshot)
        {
            try
            {
                PdqIndex.Load(new MemoryStream(snapshot));
                return false;
            }
            catch (InvalidDataException)
            {
                return true;
            }
        }
    }

    internal static PdqIndex RoundTrip(PdqIndex index)
    {
        using var ms = new MemoryStream();
        index.Save(ms);
        ms.Position = 0;
        var loaded = PdqIndex.Load(ms);
        Assert.Equal(ms.Length, ms.Position);
        return loaded;
    }
}
