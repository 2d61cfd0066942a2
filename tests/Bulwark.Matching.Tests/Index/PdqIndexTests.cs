using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Index;

public class PdqIndexTests
{
    [Fact]
    public void Every_planted_neighbour_up_to_31_bits_is_found_once()
    {
        var rng = new Random(11);
        var data = Enumerable.Range(0, 5000).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToList();
        var query = data[0];
        var planted = Enumerable.Range(0, 41).Select(d => PdqIndexPropertyTests.Flip(query, d, rng)).ToList();
        var index = PdqIndex.Build([.. data, .. planted]);
        var found = index.Search(query, 31);
        Assert.Equal(found.Count, found.Select(m => m.Id).Distinct().Count());
        for (var d = 0; d <= 40; d++)
            Assert.Equal(d <= 31, found.Any(m => m.Id == data.Count + d && m.Distance == d));
    }

    [Fact]
    public void Disabled_entries_are_not_returned_and_not_counted()
    {
        var h = PdqIndexPropertyTests.RandomHash(new Random(2));
        var index = new PdqIndex();
        var a = index.Add(h);
        var b = index.Add(h);
        Assert.Equal(2, index.Count);
        Assert.True(index.Disable(a));
        Assert.False(index.Disable(a));
        Assert.False(index.Disable(99));
        Assert.Equal(1, index.Count);
        Assert.Equal(2, index.TotalEntries);
        Assert.Equal([new PdqMatch(b, 0)], index.Search(h, 0));
    }

    [Fact]
    public void Additions_are_indexed_in_logarithmically_many_segments()
    {
        var rng = new Random(5);
        var index = new PdqIndex();
        for (var i = 0; i < 20 * PdqIndex.TailLimit; i++) index.Add(PdqIndexPropertyTests.RandomHash(rng));
        Assert.InRange(index.SegmentCount, 1, 6);
    }

    [Fact]
    public void Load_rejects_foreign_data()
    {
        using var ms = new MemoryStream(new byte[64]);
        Assert.Throws<InvalidDataException>(() => PdqIndex.Load(ms));
    }

    [Fact]
    public void Search_does_not_allocate_beyond_the_result_list()
    {
        var rng = new Random(9);
        var index = PdqIndex.Build(Enumerable.Range(0, 20_000).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToArray());
        var results = new List<PdqMatch>(1024);
        var q = index[17];
        index.Search(q, 31, results);
        results.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        index.Search(q, 31, results);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains(new PdqMatch(17, 0), results);
    }

    [Fact]
    public void Wide_layout_chunks_cover_every_bit_exactly_once()
    {
        for (var bit = 0; bit < 256; bit++)
        {
            var w = new ulong[4];
            w[bit >> 6] = 1UL << (bit & 63);
            var owners = Enumerable.Range(0, WideMihSegment.Tables)
                .Count(t => System.Numerics.BitOperations.PopCount((uint)WideMihSegment.Chunk(w[0], w[1], w[2], w[3], t)) == 1);
            Assert.Equal(1, owners);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(31)]
    [InlineData(35)]
    [InlineData(47)]
    public void Wide_layout_radii_spend_exactly_the_pigeonhole_budget(int threshold)
    {
        Span<int> radii = stackalloc int[WideMihSegment.Tables];
        WideMihSegment.Radii(threshold, radii);
        var budget = 0;
        foreach (var r in radii)
        {
            Assert.InRange(r, -1, 3);
            budget += r + 1;
        }
        Assert.Equal(threshold + 1, budget);
    }

    [Fact]
    public void A_snapshot_with_a_posting_outside_its_segment_is_refused()
    {
        var rng = new Random(5);
        var index = PdqIndex.Build(Enumerable.Range(0, 100).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToArray());
        var bytes = Save(index);
        // The 4 bytes before the checksum are the last posting of the last table: point it past the end, and give the
        // file a matching checksum, as a crafted snapshot would.
        BitConverter.GetBytes(100).CopyTo(bytes, bytes.Length - 32 - 4);
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("outside", e.Message);
    }

    // Packed snapshots, 100 entries: 40-byte header, 32 B per hash, 2 tombstone words, 12-byte segment header, then per
    // table the directory words and the 7-bit ids.
    private const int N = 100;
    private static readonly int PackedTables = 40 + 32 * N + 16 + 12;

    private static byte[] PackedSnapshot()
    {
        var rng = new Random(6);
        return Save(PdqIndex.Build(Enumerable.Range(0, N).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToArray(), wideMinimum: 1));
    }

    [Fact]
    public void A_packed_snapshot_whose_ids_leave_the_segment_is_refused_even_with_a_valid_checksum()
    {
        var bytes = PackedSnapshot();
        Assert.Equal(7, PackedMihSegment.IdBits(N));
        var ids = PackedTables + 8 * PackedMihSegment.DirectoryWords(N, 24);
        bytes[ids] |= 0x7F; // the first id of table 0 becomes 127
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("outside", e.Message);
    }

    [Theory]
    [InlineData(0)]      // a bucket gains a posting: n + 1 ones
    [InlineData(-1)]     // a one in the padding word, past the n + 2^w directory bits
    public void A_packed_snapshot_with_an_inconsistent_directory_is_refused_even_with_a_valid_checksum(int where)
    {
        var bytes = PackedSnapshot();
        var words = PackedMihSegment.DirectoryWords(N, 24);
        var at = where == 0 ? PackedTables + 8 * (words / 2) : PackedTables + 8 * (words - 1);
        bytes[at] ^= 0x80;
        Reseal(bytes);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("directory", e.Message);
    }

    [Fact]
    public void A_version_2_snapshot_still_loads_and_answers_the_same()
    {
        // Version 2 is version 3 without the packed layout and without the closing checksum.
        var rng = new Random(8);
        var data = Enumerable.Range(0, 3000).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToArray();
        foreach (var index in new[] { PdqIndex.Build(data), PdqIndex.Build(data, wideMinimum: 1, LargeSegmentLayout.Wide) })
        {
            var bytes = Save(index);
            BitConverter.GetBytes(2L).CopyTo(bytes, 8);
            var loaded = PdqIndex.Load(new MemoryStream(bytes[..^32]));
            Assert.Equal(index.WideSegmentCount, loaded.WideSegmentCount);
            foreach (var q in data.Take(50).Select(h => PdqIndexPropertyTests.Flip(h, 20, rng)))
                Assert.Equal(index.Search(q, 31), loaded.Search(q, 31));
        }
    }

    [Fact]
    public void A_version_2_snapshot_cannot_hold_the_packed_layout()
    {
        var bytes = PackedSnapshot();
        BitConverter.GetBytes(2L).CopyTo(bytes, 8);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes[..^32])));
        Assert.Contains("layout 3", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Snapshots_of_other_versions_are_refused_by_name(long version)
    {
        var bytes = PackedSnapshot();
        BitConverter.GetBytes(version).CopyTo(bytes, 8);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes)));
        Assert.Contains($"version {version}", e.Message);
    }

    [Fact]
    public void A_packed_search_does_not_allocate_beyond_the_result_list()
    {
        var rng = new Random(9);
        var index = PdqIndex.Build(Enumerable.Range(0, 20_000).Select(_ => PdqIndexPropertyTests.RandomHash(rng)).ToArray(), wideMinimum: 1);
        Assert.Equal(1, index.PackedSegmentCount);
        var results = new List<PdqMatch>(1024);
        var q = index[17];
        index.Search(q, 31, results);
        index.Search(q, 47, results);
        results.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        index.Search(q, 31, results);
        index.Search(q, 47, results);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains(new PdqMatch(17, 0), results);
    }

    [Fact]
    public void Packed_layout_chunks_cover_every_bit_exactly_once()
    {
        for (var bit = 0; bit < 256; bit++)
        {
            var w = new ulong[4];
            w[bit >> 6] = 1UL << (bit & 63);
            var owners = Enumerable.Range(0, PackedMihSegment.Tables)
                .Count(t => System.Numerics.BitOperations.PopCount((uint)PackedMihSegment.Chunk(w[0], w[1], w[2], w[3], t)) == 1);
            Assert.Equal(1, owners);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(31)]
    [InlineData(35)]
    [InlineData(47)]
    public void Packed_layout_radii_spend_exactly_the_pigeonhole_budget(int threshold)
    {
        Span<int> radii = stackalloc int[PackedMihSegment.Tables];
        PackedMihSegment.Radii(threshold, radii);
        var budget = 0;
        foreach (var r in radii)
        {
            Assert.InRange(r, -1, 4);
            budget += r + 1;
        }
        Assert.Equal(threshold + 1, budget);
    }

    /// <summary>
    /// A crafted snapshot (random bits flipped in the tables, checksum recomputed) is either refused or answers only
    /// with ids inside the index at their true distances: whatever the tables say, a search never leaves the hash array.
    /// </summary>
    [Property(MaxTest = 40)]
    public bool A_resealed_corrupt_snapshot_is_refused_or_stays_in_bounds(int seed)
    {
        var rng = new Random(seed);
        var data = PdqIndexPropertyTests.Dataset(rng, rng.Next(4), rng.Next(1, 300));
        var layout = rng.Next(3);
        var index = PdqIndex.Build(data.ToArray(), wideMinimum: layout == 0 ? int.MaxValue : 1, layout == 2 ? LargeSegmentLayout.Wide : LargeSegmentLayout.Packed);
        var bytes = Save(index);
        var tables = 40 + 32 * data.Count + 8 * ((data.Count + 63) / 64);
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            var at = tables + rng.Next(bytes.Length - 32 - tables);
            bytes[at] ^= (byte)(1 << rng.Next(8));
        }
        Reseal(bytes);
        PdqIndex loaded;
        try
        {
            loaded = PdqIndex.Load(new MemoryStream(bytes));
        }
        catch (InvalidDataException)
        {
            return true;
        }
        return PdqIndexPropertyTests.Queries(rng, data, 20).All(q =>
        {
            var threshold = rng.Next(48);
            return loaded.Search(q, threshold).All(m =>
                m.Id >= 0 && m.Id < loaded.TotalEntries && m.Distance == loaded[m.Id].HammingDistance(q) && m.Distance <= threshold);
        });
    }

    private static byte[] Save(PdqIndex index)
    {
        using var ms = new MemoryStream();
        index.Save(ms);
        return ms.ToArray();
    }

    /// <summary>Rewrites the closing SHA-256 to match the (edited) contents.</summary>
    private static void Reseal(byte[] bytes) => System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
}
