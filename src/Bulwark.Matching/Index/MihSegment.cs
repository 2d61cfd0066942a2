using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Bulwark.Matching.Index;

/// <summary>
/// Multi-index hashing over a contiguous id range: the 256 bits are cut into 16 chunks of 16 bits and each chunk gets a
/// directly addressed table (65,536 buckets, CSR layout: offsets + posting ids).
/// <para>
/// Why 16×16 with radius 1: if two hashes differ in at most d bits, then by pigeonhole at least one of the 16 chunks
/// differs in at most ⌊d/16⌋ bits. For the operating threshold d ≤ 31 that is 1 bit, so probing the query's own
/// bucket plus its 16 one-bit neighbours in every table (272 buckets) finds every match — 100 % recall by construction.
/// The alternative 8×32-bit split needs radius 3 (5,489 probes per table into a sparse 32-bit key space), which costs
/// far more than the extra candidates 16-bit buckets produce. Thresholds 32–47 use radius 2 (137 probes per table);
/// above that the index scans.
/// </para>
/// </summary>
internal sealed class MihSegment : IndexSegment
{
    public const int LayoutId = 1;
    public const int Tables = 16;
    public const int Buckets = 1 << 16;

    private readonly int[] _offsets;  // Tables × (Buckets + 1)
    private readonly int[] _postings; // Tables × Count, absolute ids, ascending within a bucket

    private MihSegment(int start, int end, int[] offsets, int[] postings) : base(start, end)
    {
        _offsets = offsets;
        _postings = postings;
    }

    protected override int Layout => LayoutId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(ulong word, int table) => (int)((word >> ((table & 3) * 16)) & 0xFFFF);

    /// <summary>Counting sort of the range once per table (tables in parallel: they are independent).</summary>
    public static MihSegment Build(ulong[] hashes, int start, int end)
    {
        var n = end - start;
        var offsets = new int[Tables * (Buckets + 1)];
        var postings = new int[Tables * n];
        Parallel.For(0, Tables, t =>
        {
            var off = offsets.AsSpan(t * (Buckets + 1), Buckets + 1);
            var word = t >> 2;
            for (var id = start; id < end; id++) off[Key(hashes[id * 4 + word], t) + 1]++;
            for (var k = 0; k < Buckets; k++) off[k + 1] += off[k];
            var cursor = off[..Buckets].ToArray();
            var post = postings.AsSpan(t * n, n);
            for (var id = start; id < end; id++) post[cursor[Key(hashes[id * 4 + word], t)]++] = id;
        });
        return new MihSegment(start, end, offsets, postings);
    }

    public override void Search(ulong[] hashes, in QueryWords q, int threshold, ulong[] tombstones, List<PdqMatch> results)
    {
        var radius = threshold >> 4;
        Span<ulong> qw = [q.W0, q.W1, q.W2, q.W3];
        for (var t = 0; t < Tables; t++)
        {
            var key = Key(qw[t >> 2], t);
            Probe(hashes, q, threshold, radius, t, key, tombstones, results);
            if (radius == 0) continue;
            for (var b = 0; b < 16; b++)
            {
                var k1 = key ^ (1 << b);
                Probe(hashes, q, threshold, radius, t, k1, tombstones, results);
                if (radius < 2) continue;
                for (var c = b + 1; c < 16; c++) Probe(hashes, q, threshold, radius, t, k1 ^ (1 << c), tombstones, results);
            }
        }
    }

    private unsafe void Probe(ulong[] hashes, in QueryWords q, int threshold, int radius, int table, int key, ulong[] tombstones, List<PdqMatch> results)
    {
        var off = table * (Buckets + 1) + key;
        int from = _offsets[off], to = _offsets[off + 1];
        if (from == to) return;
        var post = _postings.AsSpan(table * Count + from, to - from);
        fixed (ulong* h = hashes)
        {
            for (var i = 0; i < post.Length; i++)
            {
                // Candidates are random accesses into the hash array: prefetch a few ahead so the misses overlap.
                if (Sse.IsSupported && i + 8 < post.Length) Sse.Prefetch0(h + (long)post[i + 8] * 4);
                var id = post[i];
                var e = h + (long)id * 4;
                ulong x0 = e[0] ^ q.W0, x1 = e[1] ^ q.W1, x2 = e[2] ^ q.W2, x3 = e[3] ^ q.W3;
                var d = BitOperations.PopCount(x0) + BitOperations.PopCount(x1) + BitOperations.PopCount(x2) + BitOperations.PopCount(x3);
                if (d > threshold || FoundInEarlierTable(x0, x1, x2, x3, table, radius) || Tombstones.IsSet(tombstones, id)) continue;
                results.Add(new PdqMatch(id, d));
            }
        }
    }

    /// <summary>A match is reported only by the first table whose chunk is within the radius, so no result set is needed to dedupe.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FoundInEarlierTable(ulong x0, ulong x1, ulong x2, ulong x3, int table, int radius)
    {
        for (var t = 0; t < table; t++)
        {
            var x = (t >> 2) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
            if (BitOperations.PopCount((x >> ((t & 3) * 16)) & 0xFFFF) <= radius) return true;
        }
        return false;
    }

    protected override void WriteTables(Stream stream)
    {
        stream.Write(MemoryMarshal.AsBytes(_offsets.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(_postings.AsSpan()));
    }

    private static void Validate(int[] offsets, int[] postings, int start, int end)
    {
        var n = end - start;
        for (var t = 0; t < Tables; t++)
            ValidateTable(offsets.AsSpan(t * (Buckets + 1), Buckets + 1), postings.AsSpan(t * n, n), start, end);
    }

    public static MihSegment ReadTables(Stream stream, int start, int end)
    {
        var offsets = new int[Tables * (Buckets + 1)];
        var postings = new int[Tables * (end - start)];
        stream.ReadExactly(MemoryMarshal.AsBytes(offsets.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(postings.AsSpan()));
        Validate(offsets, postings, start, end);
        return new MihSegment(start, end, offsets, postings);
    }
}
