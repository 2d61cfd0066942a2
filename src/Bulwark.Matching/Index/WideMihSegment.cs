using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Bulwark.Matching.Index;

/// <summary>
/// Multi-index hashing for large segments: the 256 bits are cut into 12 chunks (4 × 22 + 8 × 21 bits), each with a
/// directly addressed table (4 M or 2 M buckets, CSR layout).
/// <para>
/// Recall: give table t a probe radius r_t (−1 = not probed) with Σ (r_t + 1) ≥ d + 1. If an entry is within d bits of
/// the query, its chunk distances d_t sum to at most d, so they cannot all exceed their radii: some table t has
/// d_t ≤ r_t, and probing every key within r_t of the query's chunk in every table finds it (100 % recall by
/// construction). For d = 31 that is radius 2 in the eight 21-bit tables and radius 1 in the four 22-bit ones: 1,948
/// buckets of ~5 entries at 10 M entries, about 9,000 candidates, against 272 buckets of ~150 entries (41,000 candidates)
/// for <see cref="MihSegment"/>. Candidates are random reads of the hash array, so fewer candidates is what pays; the
/// price is 134 MB of bucket offsets, which only a segment of millions of entries amortises.
/// </para>
/// <para>Each match is reported only by the first table whose chunk is within that table's radius, so no set is needed.</para>
/// </summary>
internal sealed class WideMihSegment : IndexSegment
{
    public const int LayoutId = 2;
    public const int Tables = 12;

    private static readonly int[] Widths = [22, 22, 22, 22, 21, 21, 21, 21, 21, 21, 21, 21];
    private static readonly int[] Starts = new int[Tables];
    private static readonly int[] OffsetBase = new int[Tables + 1];
    // Which tables get a larger radius first when the radius budget does not divide evenly: the narrower ones (cheaper to probe).
    private static readonly int[] ExtraOrder = [4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3];

    static WideMihSegment()
    {
        for (var t = 1; t < Tables; t++) Starts[t] = Starts[t - 1] + Widths[t - 1];
        for (var t = 0; t < Tables; t++) OffsetBase[t + 1] = OffsetBase[t] + (1 << Widths[t]) + 1;
    }

    private readonly int[] _offsets;  // per table (2^width + 1) entries, at OffsetBase[t]
    private readonly int[] _postings; // Tables × Count, absolute ids, ascending within a bucket

    private WideMihSegment(int start, int end, int[] offsets, int[] postings) : base(start, end)
    {
        _offsets = offsets;
        _postings = postings;
    }

    protected override int Layout => LayoutId;

    /// <summary>Bits [Starts[t], Starts[t] + Widths[t]) of the 256-bit value (bit k is bit k % 64 of word k / 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Chunk(ulong w0, ulong w1, ulong w2, ulong w3, int t)
    {
        int s = Starts[t], w = Widths[t], word = s >> 6, shift = s & 63;
        var v = Word(w0, w1, w2, w3, word) >> shift;
        if (shift + w > 64) v |= Word(w0, w1, w2, w3, word + 1) << (64 - shift);
        return (int)(v & ((1UL << w) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ulong w0, ulong w1, ulong w2, ulong w3, int i) => i switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };

    /// <summary>Probe radii with Σ (r_t + 1) = <paramref name="threshold"/> + 1 (see the class summary); −1 skips a table.</summary>
    internal static void Radii(int threshold, Span<int> radii)
    {
        var budget = threshold + 1;
        for (var t = 0; t < Tables; t++) radii[t] = budget / Tables - 1;
        for (var i = 0; i < budget % Tables; i++) radii[ExtraOrder[i]]++;
    }

    /// <summary>
    /// Per table: (key, id) pairs sorted by a stable two-pass LSD radix sort on the key (11-bit digits, so the digit
    /// histograms stay in cache), then postings and offsets read off in one sequential pass. Scattering ids straight
    /// into 4 M buckets (a counting sort) missed the cache on every entry and took 5× longer at 10 M entries.
    /// </summary>
    public static WideMihSegment Build(ulong[] hashes, int start, int end)
    {
        var n = end - start;
        var offsets = new int[OffsetBase[Tables]];
        var postings = new int[Tables * n];
        Parallel.For(0, Tables, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var pairs = new ulong[n];
            var scratch = new ulong[n];
            for (var i = 0; i < n; i++)
            {
                var id = start + i;
                pairs[i] = (ulong)(uint)Chunk(hashes[id * 4], hashes[id * 4 + 1], hashes[id * 4 + 2], hashes[id * 4 + 3], t) << 32 | (uint)id;
            }
            const int digit = 11;
            Span<int> counts = stackalloc int[(1 << digit) + 1];
            for (var shift = 32; shift < 32 + Widths[t]; shift += digit)
            {
                counts.Clear();
                foreach (var p in pairs) counts[(int)((p >> shift) & ((1 << digit) - 1)) + 1]++;
                for (var k = 0; k < 1 << digit; k++) counts[k + 1] += counts[k];
                foreach (var p in pairs) scratch[counts[(int)((p >> shift) & ((1 << digit) - 1))]++] = p;
                (pairs, scratch) = (scratch, pairs);
            }
            var off = offsets.AsSpan(OffsetBase[t], (1 << Widths[t]) + 1);
            var post = postings.AsSpan(t * n, n);
            for (var i = 0; i < n; i++)
            {
                post[i] = (int)(uint)pairs[i];
                off[(int)(pairs[i] >> 32) + 1]++;
            }
            for (var k = 0; k + 1 < off.Length; k++) off[k + 1] += off[k];
        });
        return new WideMihSegment(start, end, offsets, postings);
    }

    public override void Search(ulong[] hashes, in QueryWords q, int threshold, ulong[] tombstones, List<PdqMatch> results)
    {
        Span<int> radii = stackalloc int[Tables];
        Radii(threshold, radii);
        // Radius 3 over 22 bits is 1 + 22 + 231 + 1,540 = 1,794 keys.
        Span<int> keys = stackalloc int[2048];
        var candidates = ArrayPool<int>.Shared.Rent(4096);
        try
        {
            for (var t = 0; t < Tables; t++)
            {
                if (radii[t] < 0) continue;
                var count = Keys(Chunk(q.W0, q.W1, q.W2, q.W3, t), Widths[t], radii[t], keys);
                var n = Gather(t, keys[..count], ref candidates);
                Verify(hashes, q, threshold, radii, t, candidates.AsSpan(0, n), tombstones, results);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(candidates);
        }
    }

    /// <summary>Every key within <paramref name="radius"/> bits of <paramref name="key"/>.</summary>
    private static int Keys(int key, int width, int radius, Span<int> keys)
    {
        var n = 0;
        keys[n++] = key;
        if (radius == 0) return n;
        for (var a = 0; a < width; a++)
        {
            var k1 = key ^ (1 << a);
            keys[n++] = k1;
            if (radius == 1) continue;
            for (var b = a + 1; b < width; b++)
            {
                var k2 = k1 ^ (1 << b);
                keys[n++] = k2;
                if (radius == 2) continue;
                for (var c = b + 1; c < width; c++) keys[n++] = k2 ^ (1 << c);
            }
        }
        return n;
    }

    // Buckets hold ~5 entries at 10 M, so prefetching inside a bucket hides nothing. Instead the lookups run in two
    // passes — collect every candidate id of the table (prefetching bucket offsets ahead), then verify them (prefetching
    // hashes ahead) — so the cache misses of different buckets overlap.
    private unsafe int Gather(int table, ReadOnlySpan<int> keys, ref int[] candidates)
    {
        var n = 0;
        var postings = _postings.AsSpan(table * Count, Count);
        fixed (int* offsets = &_offsets[OffsetBase[table]])
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (Sse.IsSupported && i + 16 < keys.Length) Sse.Prefetch0(offsets + keys[i + 16]);
                int from = offsets[keys[i]], to = offsets[keys[i] + 1];
                if (from == to) continue;
                if (n + (to - from) > candidates.Length)
                {
                    var bigger = ArrayPool<int>.Shared.Rent(Math.Max(candidates.Length * 2, n + to - from));
                    candidates.AsSpan(0, n).CopyTo(bigger);
                    ArrayPool<int>.Shared.Return(candidates);
                    candidates = bigger;
                }
                postings[from..to].CopyTo(candidates.AsSpan(n));
                n += to - from;
            }
        }
        return n;
    }

    private static unsafe void Verify(ulong[] hashes, in QueryWords q, int threshold, ReadOnlySpan<int> radii, int table,
        ReadOnlySpan<int> candidates, ulong[] tombstones, List<PdqMatch> results)
    {
        fixed (ulong* h = hashes)
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                if (Sse.IsSupported && i + 16 < candidates.Length) Sse.Prefetch0(h + (long)candidates[i + 16] * 4);
                var id = candidates[i];
                var e = h + (long)id * 4;
                ulong x0 = e[0] ^ q.W0, x1 = e[1] ^ q.W1, x2 = e[2] ^ q.W2, x3 = e[3] ^ q.W3;
                var d = BitOperations.PopCount(x0) + BitOperations.PopCount(x1) + BitOperations.PopCount(x2) + BitOperations.PopCount(x3);
                if (d > threshold || FoundInEarlierTable(x0, x1, x2, x3, table, radii) || Tombstones.IsSet(tombstones, id)) continue;
                results.Add(new PdqMatch(id, d));
            }
        }
    }

    private static bool FoundInEarlierTable(ulong x0, ulong x1, ulong x2, ulong x3, int table, ReadOnlySpan<int> radii)
    {
        for (var t = 0; t < table; t++)
            if (radii[t] >= 0 && BitOperations.PopCount((uint)Chunk(x0, x1, x2, x3, t)) <= radii[t]) return true;
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
            ValidateTable(offsets.AsSpan(OffsetBase[t], OffsetBase[t + 1] - OffsetBase[t]), postings.AsSpan(t * n, n), start, end);
    }

    public static WideMihSegment ReadTables(Stream stream, int start, int end)
    {
        var offsets = new int[OffsetBase[Tables]];
        var postings = new int[Tables * (end - start)];
        stream.ReadExactly(MemoryMarshal.AsBytes(offsets.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(postings.AsSpan()));
        Validate(offsets, postings, start, end);
        return new WideMihSegment(start, end, offsets, postings);
    }
}
