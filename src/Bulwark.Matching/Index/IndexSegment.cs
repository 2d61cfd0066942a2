using System.Runtime.InteropServices;

namespace Bulwark.Matching.Index;

/// <summary>
/// Multi-index hashing tables over a contiguous id range of the index's hash array. Two layouts answer the same contract
/// (every live entry within a threshold ≤ <see cref="MaxThreshold"/>, each once): <see cref="MihSegment"/> (16 × 16-bit
/// chunks, small tables, for small and medium segments) and <see cref="WideMihSegment"/> (12 × 21/22-bit chunks, fewer and
/// shorter buckets, for segments of millions of entries).
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

    /// <summary>The layout that suits <paramref name="end"/> − <paramref name="start"/> entries.</summary>
    public static IndexSegment Build(ulong[] hashes, int start, int end, int wideMinimum) =>
        end - start >= wideMinimum ? WideMihSegment.Build(hashes, start, end) : MihSegment.Build(hashes, start, end);

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

    public static IndexSegment Read(Stream stream, int total)
    {
        Span<int> header = stackalloc int[3];
        stream.ReadExactly(MemoryMarshal.AsBytes(header));
        int layout = header[0], start = header[1], end = header[2];
        if (start < 0 || end < start || end > total) throw new InvalidDataException($"Segment range [{start}, {end}) is outside 0–{total}.");
        return layout switch
        {
            MihSegment.LayoutId => MihSegment.ReadTables(stream, start, end),
            WideMihSegment.LayoutId => WideMihSegment.ReadTables(stream, start, end),
            _ => throw new InvalidDataException($"Unknown segment layout {layout}."),
        };
    }
}
