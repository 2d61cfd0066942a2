using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;

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
        using var ms = new MemoryStream();
        index.Save(ms);
        var bytes = ms.ToArray();
        // The last 4 bytes are the last posting of the last table: point it past the end.
        BitConverter.GetBytes(100).CopyTo(bytes, bytes.Length - 4);
        var e = Assert.Throws<InvalidDataException>(() => PdqIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("outside", e.Message);
    }
}
