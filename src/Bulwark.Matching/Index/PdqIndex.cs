using System.Numerics;
using System.Runtime.InteropServices;
using Bulwark.Matching.Hashing;

namespace Bulwark.Matching.Index;

/// <summary>
/// Finds every entry within a Hamming threshold of a query (100 % recall: see <see cref="MihSegment"/> and <see cref="PackedMihSegment"/>).
/// <para>
/// Layout: all hashes in one ulong[4·n] array (ids are positions, assigned by <see cref="Add"/>); indexed segments over
/// contiguous id ranges; an unindexed tail of recent additions that is scanned flat. When the tail reaches
/// <see cref="TailLimit"/> it becomes a segment and equal-sized neighbouring segments merge (a binary counter), so adding
/// never rebuilds the whole index and costs O(log n) amortised. <see cref="Disable"/> sets a tombstone bit.
/// </para>
/// <para>Searches may run concurrently with each other; <see cref="Add"/> and <see cref="Disable"/> need exclusive access.</para>
/// </summary>
public sealed class PdqIndex
{
    /// <summary>Additions scanned flat before they are indexed (16,384 × 32 B = 512 KB, a few tens of µs per query).</summary>
    public const int TailLimit = 16_384;

    private const ulong Magic = 0x3158_4449_5144_5042; // "BPDQIDX1" as little-endian bytes
    // 3 added the packed large layout and a closing SHA-256; version-2 snapshots (layouts 1 and 2, no checksum) are
    // still read, validated structurally.
    private const int Version = 3;
    private const int OldestReadableVersion = 2;

    /// <summary>
    /// Segments at least this large use the large layout (<see cref="PackedMihSegment"/>). Its ~35 MB of directories
    /// and block counts are fixed, so below ~500 K entries the 16-table layout is smaller; from 512 K entries up the packed
    /// one is as small or smaller and about twice as fast (measured in docs/matching-notes-pdq.md).
    /// </summary>
    public const int DefaultWideSegmentMinimum = 1 << 19;

    private ulong[] _hashes;
    private ulong[] _tombstones;
    private int _total;
    private int _disabled;
    private readonly List<IndexSegment> _segments = [];
    private readonly int _wideMinimum;
    private readonly LargeSegmentLayout _large;

    public PdqIndex() : this(0) { }

    private PdqIndex(int capacity, int wideMinimum = DefaultWideSegmentMinimum, LargeSegmentLayout large = LargeSegmentLayout.Packed)
    {
        _wideMinimum = wideMinimum;
        _large = large;
        _hashes = new ulong[Math.Max(capacity, 1024) * 4];
        _tombstones = new ulong[(_hashes.Length / 4 + 63) / 64];
    }

    /// <summary>Builds an index over <paramref name="hashes"/> in one pass; ids are their positions.</summary>
    public static PdqIndex Build(ReadOnlySpan<PdqHash> hashes) => Build(hashes, DefaultWideSegmentMinimum);

    /// <summary>As <see cref="Build(ReadOnlySpan{PdqHash})"/>, choosing where the large layout starts (tests use small
    /// values) and which one it is (benchmarks compare them).</summary>
    internal static PdqIndex Build(ReadOnlySpan<PdqHash> hashes, int wideMinimum, LargeSegmentLayout large = LargeSegmentLayout.Packed)
    {
        var index = new PdqIndex(hashes.Length, wideMinimum, large);
        for (var i = 0; i < hashes.Length; i++) index.Store(i, hashes[i]);
        index._total = hashes.Length;
        if (hashes.Length > 0) index._segments.Add(IndexSegment.Build(index._hashes, 0, hashes.Length, wideMinimum, large));
        return index;
    }

    /// <summary>An empty index whose merged segments switch to the large layout at <paramref name="wideMinimum"/> entries.</summary>
    internal static PdqIndex Create(int wideMinimum, LargeSegmentLayout large = LargeSegmentLayout.Packed) => new(0, wideMinimum, large);

    /// <summary>Live (not disabled) entries.</summary>
    public int Count => _total - _disabled;

    /// <summary>All entries ever added, including disabled ones; the next id.</summary>
    public int TotalEntries => _total;

    /// <summary>Indexed segments (diagnostics).</summary>
    internal int SegmentCount => _segments.Count;

    /// <summary>How many indexed segments use a large layout, packed or wide (diagnostics).</summary>
    internal int WideSegmentCount => _segments.Count(s => s is not MihSegment);

    /// <summary>How many indexed segments use the packed layout (diagnostics).</summary>
    internal int PackedSegmentCount => _segments.Count(s => s is PackedMihSegment);

    /// <summary>Adds a hash and returns its id.</summary>
    public int Add(PdqHash hash)
    {
        if (_total * 4 == _hashes.Length) Grow(_total + 1);
        var id = _total;
        Store(id, hash);
        _total++;
        if (_total - IndexedEnd >= TailLimit) SealTail();
        return id;
    }

    /// <summary>
    /// Adds hashes with consecutive ids and returns the first. Same result as <see cref="Add"/> one by one, but the hash
    /// array grows once and a large batch is indexed as one segment: 10 M entries added to an empty index in one call take
    /// the layout and memory of <see cref="Build(ReadOnlySpan{PdqHash})"/>; added one by one they take 786 MB, not 687.
    /// </summary>
    public int AddRange(ReadOnlySpan<PdqHash> hashes)
    {
        var first = _total;
        if ((long)_total + hashes.Length > _hashes.Length / 4) Grow(checked(_total + hashes.Length));
        for (var i = 0; i < hashes.Length; i++) Store(first + i, hashes[i]);
        _total += hashes.Length;
        if (_total - IndexedEnd >= TailLimit) SealTail();
        return first;
    }

    private void Grow(int needed)
    {
        // Doubling leaves up to half of the array unused (214 MB when 10 M entries arrive one by one); past 1 M entries
        // grow by a quarter instead (at most 80 MB spare at 10 M, ~4× the final size copied in all).
        var capacity = (int)Math.Min(Math.Max(needed, _total < 1 << 20 ? _total * 2L : _total + _total / 4L), Array.MaxLength / 4);
        if (capacity < needed) throw new InvalidOperationException($"A PDQ index holds at most {Array.MaxLength / 4} entries.");
        Array.Resize(ref _hashes, capacity * 4);
        Array.Resize(ref _tombstones, (_hashes.Length / 4 + 63) / 64);
    }

    /// <summary>Stops returning entry <paramref name="id"/>; false if it was already disabled or never existed.</summary>
    public bool Disable(int id)
    {
        if ((uint)id >= (uint)_total || Tombstones.IsSet(_tombstones, id)) return false;
        _tombstones[id >> 6] |= 1UL << (id & 63);
        _disabled++;
        return true;
    }

    public bool IsDisabled(int id) => (uint)id < (uint)_total && Tombstones.IsSet(_tombstones, id);

    public PdqHash this[int id]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)id, (uint)_total, nameof(id));
            return new PdqHash(_hashes[id * 4], _hashes[id * 4 + 1], _hashes[id * 4 + 2], _hashes[id * 4 + 3]);
        }
    }

    /// <summary>Every live entry within <paramref name="threshold"/> bits, each once, in no particular order.</summary>
    public List<PdqMatch> Search(in PdqHash query, int threshold)
    {
        var results = new List<PdqMatch>();
        Search(query, threshold, results);
        return results;
    }

    /// <summary>Appends every live entry within <paramref name="threshold"/> bits to <paramref name="results"/> (no other allocation).</summary>
    public void Search(in PdqHash query, int threshold, List<PdqMatch> results)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        var q = new QueryWords(query.W0, query.W1, query.W2, query.W3);
        foreach (var segment in _segments)
        {
            if (threshold <= IndexSegment.MaxThreshold) segment.Search(_hashes, q, threshold, _tombstones, results);
            else FlatScan.Scan(_hashes, segment.Start, segment.End, q, threshold, _tombstones, results);
        }
        FlatScan.Scan(_hashes, IndexedEnd, _total, q, threshold, _tombstones, results);
    }

    /// <summary>The same contract answered by scanning everything; the baseline the benchmarks compare with.</summary>
    internal void ScanAll(in PdqHash query, int threshold, List<PdqMatch> results) =>
        FlatScan.Scan(_hashes, 0, _total, new QueryWords(query.W0, query.W1, query.W2, query.W3), threshold, _tombstones, results);

    private int IndexedEnd => _segments.Count == 0 ? 0 : _segments[^1].End;

    private void Store(int id, in PdqHash h)
    {
        _hashes[id * 4] = h.W0;
        _hashes[id * 4 + 1] = h.W1;
        _hashes[id * 4 + 2] = h.W2;
        _hashes[id * 4 + 3] = h.W3;
    }

    private void SealTail()
    {
        _segments.Add(IndexSegment.Build(_hashes, IndexedEnd, _total, _wideMinimum, _large));
        while (_segments.Count >= 2 && _segments[^1].Count * 2 > _segments[^2].Count)
        {
            var merged = IndexSegment.Build(_hashes, _segments[^2].Start, _segments[^1].End, _wideMinimum, _large);
            _segments.RemoveRange(_segments.Count - 2, 2);
            _segments.Add(merged);
        }
    }

    /// <summary>
    /// Writes hashes, tombstones and the built tables, then a SHA-256 of all of it, so <see cref="Load"/> is a few bulk
    /// reads, not a rebuild.
    /// </summary>
    public void Save(Stream stream)
    {
        using var sum = new ChecksumStream(stream);
        Span<long> header = [(long)Magic, Version, _total, _disabled, _segments.Count];
        sum.Write(MemoryMarshal.AsBytes(header));
        sum.Write(MemoryMarshal.AsBytes(_hashes.AsSpan(0, _total * 4)));
        sum.Write(MemoryMarshal.AsBytes(_tombstones.AsSpan(0, (_total + 63) / 64)));
        foreach (var s in _segments) s.Write(sum);
        stream.Write(sum.Current());
    }

    /// <summary>
    /// Reads a snapshot written by <see cref="Save"/> (this version or version 2); throws <see cref="InvalidDataException"/>
    /// if it is not one, is truncated, or its tables are inconsistent — never an index that could read out of bounds.
    /// </summary>
    public static PdqIndex Load(Stream stream)
    {
        try
        {
            return LoadChecked(stream);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("PDQ index snapshot is truncated.", e);
        }
    }

    private static PdqIndex LoadChecked(Stream file)
    {
        var length = file.CanSeek ? file.Length - file.Position : long.MaxValue;
        using var stream = new ChecksumStream(file);
        Span<long> header = stackalloc long[5];
        stream.ReadExactly(MemoryMarshal.AsBytes(header));
        if (header[0] != unchecked((long)Magic)) throw new InvalidDataException("Not a PDQ index snapshot.");
        if (header[1] is < OldestReadableVersion or > Version)
            throw new InvalidDataException($"PDQ index snapshot version {header[1]}; this build reads versions {OldestReadableVersion}–{Version}. Rebuild the index.");
        if (header[2] is < 0 or > int.MaxValue / 4 || header[3] < 0 || header[3] > header[2] || header[4] < 0 || header[4] > header[2])
            throw new InvalidDataException("PDQ index snapshot header is inconsistent.");
        var total = (int)header[2];
        // A corrupt count must not make us allocate gigabytes before the read fails: the hashes alone need 32 B per entry.
        if (length < 40 + total * 32L) throw new EndOfStreamException();
        var index = new PdqIndex(total) { _total = total, _disabled = (int)header[3] };
        stream.ReadExactly(MemoryMarshal.AsBytes(index._hashes.AsSpan(0, total * 4)));
        stream.ReadExactly(MemoryMarshal.AsBytes(index._tombstones.AsSpan(0, (total + 63) / 64)));
        var disabled = 0;
        for (var i = 0; i < (total + 63) / 64; i++) disabled += BitOperations.PopCount(index._tombstones[i]);
        if (total % 64 != 0 && index._tombstones[total / 64] >> (total % 64) != 0)
            throw new InvalidDataException("PDQ index snapshot marks entries past its end as disabled.");
        if (disabled != index._disabled) throw new InvalidDataException($"PDQ index snapshot says {index._disabled} entries are disabled; its tombstones mark {disabled}.");
        var end = 0;
        for (var i = 0; i < header[4]; i++)
        {
            var s = IndexSegment.Read(stream, total, header[1]);
            if (s.Start != end) throw new InvalidDataException("PDQ index snapshot segments are not contiguous.");
            end = s.End;
            index._segments.Add(s);
        }
        if (header[1] >= 3)
        {
            Span<byte> stored = stackalloc byte[ChecksumStream.Length32];
            file.ReadExactly(stored);
            if (!stored.SequenceEqual(stream.Current())) throw new InvalidDataException("PDQ index snapshot checksum does not match its contents (corrupt file).");
        }
        return index;
    }
}
