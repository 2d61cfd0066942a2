using System.Runtime.InteropServices;

namespace Bulwark.Matching.Index;

/// <summary>
/// Multi-index hashing tables over a contiguous id range of the index's hash array. Three layouts answer the same contract
/// (every live entry within a threshold ≤ <see cref="MaxThreshold"/>, each once): <see cref="MihSegment"/> (16 × 16-bit
/// chunks, small tables, for small and medium segments), <see cref="PackedMihSegment"/> (11 × 23/24-bit chunks with a
/// unary directory and bit-packed ids: the default for segments of millions of entries) and <see cref="WideMihSegment"/>
/// (12 × 21/22-bit chunks with 32-bit offsets and ids: the previous large layout, kept for comparison and for version-2
/// snapshots).
/// </summary>
internal abstract class IndexSegment(int start, int end)
{
    public const int MaxThreshold = 47;

    public int Start { get; } = start;
    public int End { get; } = end;
    public int Count => End - Start;

    /// <summary>Appends every live entry of this segment within <paramref name="threshold"/> (≤ <see cref="MaxThreshold"/>), each once.</summary>
    public abstract void Search(ulong[] hashes, in QueryWords q, int threshold, ulong[] tombstones, List<PdqMatch> results);

    protected abstract int Layout { get; }
    protected abstract void WriteTables(Stream stream);

    /// <summary>The 16-table layout below <paramref name="largeMinimum"/> entries, <paramref name="large"/> from there.</summary>
    public static IndexSegment Build(ulong[] hashes, int start, int end, int largeMinimum, LargeSegmentLayout large) =>
        end - start < largeMinimum ? MihSegment.Build(hashes, start, end)
        : large == LargeSegmentLayout.Wide ? WideMihSegment.Build(hashes, start, end)
        : PackedMihSegment.Build(hashes, start, end);

    public void Write(Stream stream)
    {
        Span<int> header = [Layout, Start, End];
        stream.Write(MemoryMarshal.AsBytes(header));
        WriteTables(stream);
    }

    /// <summary>A snapshot's table must be a valid CSR over the range: search reads the hash array through these ids unchecked.</summary>
    protected static void ValidateTable(ReadOnlySpan<int> offsets, ReadOnlySpan<int> postings, int start, int end)
    {
        if (offsets[0] != 0 || offsets[^1] != end - start) throw new InvalidDataException("Segment offsets do not cover the segment.");
        for (var k = 1; k < offsets.Length; k++)
            if (offsets[k] < offsets[k - 1]) throw new InvalidDataException("Segment offsets are not ascending.");
        foreach (var id in postings)
            if (id < start || id >= end) throw new InvalidDataException($"Segment posting {id} is outside [{start}, {end}).");
    }

    /// <summary>Reads one segment of a snapshot of format <paramref name="version"/> (2 knows layouts 1 and 2; 3 adds 3).</summary>
    public static IndexSegment Read(Stream stream, int total, long version)
    {
        Span<int> header = stackalloc int[3];
        stream.ReadExactly(MemoryMarshal.AsBytes(header));
        int layout = header[0], start = header[1], end = header[2];
        if (start < 0 || end < start || end > total) throw new InvalidDataException($"Segment range [{start}, {end}) is outside 0–{total}.");
        return layout switch
        {
            MihSegment.LayoutId => MihSegment.ReadTables(stream, start, end),
            WideMihSegment.LayoutId => WideMihSegment.ReadTables(stream, start, end),
            PackedMihSegment.LayoutId when version >= 3 => PackedMihSegment.ReadTables(stream, start, end),
            _ => throw new InvalidDataException($"Unknown segment layout {layout} in a version-{version} snapshot."),
        };
    }
}

/// <summary>Which layout segments of at least the large-segment minimum use.</summary>
internal enum LargeSegmentLayout
{
    /// <summary><see cref="PackedMihSegment"/>: 11 tables, ~37 B/entry at 10 M (the default).</summary>
    Packed,

    /// <summary><see cref="WideMihSegment"/>: 12 tables, ~61 B/entry at 10 M (the previous default, for comparison).</summary>
    Wide,
}
