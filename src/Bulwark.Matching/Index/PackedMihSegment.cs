using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Bulwark.Matching.Index;

/// <summary>
/// Multi-index hashing for large segments in about 3.3 bytes per entry and table: 11 chunks (3 × 24 + 8 × 23 bits), each
/// table a unary bucket directory plus bit-packed posting ids.
/// <para>
/// Recall is the argument of <see cref="WideMihSegment"/>: table t is probed to radius r_t with Σ (r_t + 1) = d + 1, and
/// the chunk distances of an entry within d bits cannot all exceed their radii. For d = 31: radius 2 in ten tables and
/// radius 1 in one, 2,828 buckets of ~1 entry at 10 M entries (~3,000 candidates, against ~9,000 for the 12-table layout).
/// </para>
/// <para>
/// Memory (why this layout exists): a 32-bit offset per bucket would cost 4 B × 2^24 per table, more than the postings.
/// Instead the directory is unary — for every bucket in key order, one 1 bit per posting then a 0 — which is
/// n + 2^w bits per table, plus a 32-bit posting count per block of 64 buckets (rebuilt on load, never trusted from a
/// file). Finding a bucket is a select of the j-th zero inside its block: one or two words, PDEP when BMI2 is there.
/// Ids are stored relative to the segment start in ⌈log2 n⌉ bits (24 at 10 M), not 32. At 10 M entries the tables
/// take ~36.6 B/entry against 61 B for the 12-table layout.
/// </para>
/// <para>Each match is reported only by the first table whose chunk is within that table's radius, so no set is needed.</para>
/// </summary>
internal sealed class PackedMihSegment : IndexSegment
{
    public const int LayoutId = 3;
    public const int Tables = 11;

    private static readonly int[] Widths = [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23];
    private static readonly int[] Starts = new int[Tables];

    static PackedMihSegment()
    {
        for (var t = 1; t < Tables; t++) Starts[t] = Starts[t - 1] + Widths[t - 1];
    }

    private readonly int _idBits;
    private readonly ulong[][] _directory; // per table: n + 2^w bits (see the summary), one zero padding word
    private readonly uint[][] _blockBase;  // per table: postings before each block of 64 buckets
    private readonly byte[][] _ids;        // per table: n ids − Start, _idBits each, 8 padding bytes

    private PackedMihSegment(int start, int end, ulong[][] directory, uint[][] blockBase, byte[][] ids) : base(start, end)
    {
        _idBits = IdBits(end - start);
        _directory = directory;
        _blockBase = blockBase;
        _ids = ids;
    }

    protected override int Layout => LayoutId;

    internal static int IdBits(int n) => n <= 1 ? 1 : BitOperations.Log2((uint)(n - 1)) + 1;
    internal static int DirectoryWords(int n, int width) => (int)((n + (1L << width) + 63) / 64) + 1;
    internal static int IdBytes(int n, int idBits) => checked((int)(((long)n * idBits + 7) / 8 + 8));

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

    /// <summary>
    /// Probe radii with Σ (r_t + 1) = <paramref name="threshold"/> + 1; −1 skips a table. The remainder goes to the
    /// 24-bit tables first: their buckets hold half as many entries, so a larger radius there adds fewer candidates.
    /// </summary>
    internal static void Radii(int threshold, Span<int> radii)
    {
        var budget = threshold + 1;
        for (var t = 0; t < Tables; t++) radii[t] = budget / Tables - 1 + (t < budget % Tables ? 1 : 0);
    }

    /// <summary>
    /// Per table: (key, relative id) pairs sorted by a stable LSD radix sort on the key (12-bit digits, two passes), then
    /// the directory bits and packed ids written in one sequential pass: posting i of key k is bit i + k.
    /// </summary>
    public static PackedMihSegment Build(ulong[] hashes, int start, int end)
    {
        var n = end - start;
        var idBits = IdBits(n);
        var directory = new ulong[Tables][];
        var blockBase = new uint[Tables][];
        var ids = new byte[Tables][];
        Parallel.For(0, Tables, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var pairs = new ulong[n];
            var scratch = new ulong[n];
            for (var i = 0; i < n; i++)
            {
                var id = start + i;
                pairs[i] = (ulong)(uint)Chunk(hashes[id * 4], hashes[id * 4 + 1], hashes[id * 4 + 2], hashes[id * 4 + 3], t) << 32 | (uint)i;
            }
            const int digit = 12;
            Span<int> counts = stackalloc int[(1 << digit) + 1];
            for (var shift = 32; shift < 32 + Widths[t]; shift += digit)
            {
                counts.Clear();
                foreach (var p in pairs) counts[(int)((p >> shift) & ((1 << digit) - 1)) + 1]++;
                for (var k = 0; k < 1 << digit; k++) counts[k + 1] += counts[k];
                foreach (var p in pairs) scratch[counts[(int)((p >> shift) & ((1 << digit) - 1))]++] = p;
                (pairs, scratch) = (scratch, pairs);
            }
            scratch = null;
            var dir = new ulong[DirectoryWords(n, Widths[t])];
            var packed = new byte[IdBytes(n, idBits)];
            for (var i = 0; i < n; i++)
            {
                var bit = i + (long)(pairs[i] >> 32);
                dir[bit >> 6] |= 1UL << (int)(bit & 63);
                WriteId(packed, i, (uint)pairs[i], idBits);
            }
            directory[t] = dir;
            ids[t] = packed;
            blockBase[t] = BlockBases(dir, n, Widths[t]) ?? throw new InvalidOperationException("Directory construction is inconsistent.");
        });
        return new PackedMihSegment(start, end, directory, blockBase, ids);
    }

    private static void WriteId(byte[] packed, long i, uint id, int idBits)
    {
        var bit = i * idBits;
        ref var at = ref packed[bit >> 3];
        Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) | (ulong)id << (int)(bit & 7));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int ReadId(byte* packed, long i, int idBits)
    {
        var bit = i * idBits;
        return (int)((Unsafe.ReadUnaligned<ulong>(packed + (bit >> 3)) >> (int)(bit & 7)) & ((1UL << idBits) - 1));
    }

    /// <summary>
    /// Postings before each block of 64 buckets, read off the directory; null when the directory is not one (other
    /// than n ones in its first n + 2^w bits and zeros after them), which is how a snapshot's directory is checked.
    /// </summary>
    private static uint[]? BlockBases(ulong[] dir, int n, int width)
    {
        var totalBits = n + (1L << width);
        var bases = new uint[(1 << width) / 64];
        long zeros = 0, ones = 0;
        var next = 1; // block b starts after the (64·b)-th zero
        for (var wi = 0; wi < dir.Length; wi++)
        {
            var x = dir[wi];
            var valid = Math.Clamp(totalBits - (long)wi * 64, 0, 64);
            var mask = valid == 64 ? ulong.MaxValue : (1UL << (int)valid) - 1;
            if ((x & ~mask) != 0) return null;
            var z = valid - BitOperations.PopCount(x);
            while (next < bases.Length && zeros + z >= 64L * next)
            {
                var at = SelectBit(~x & mask, (int)(64L * next - zeros - 1));
                bases[next++] = (uint)(ones + BitOperations.PopCount(x & ((1UL << at) - 1)));
            }
            zeros += z;
            ones += BitOperations.PopCount(x);
        }
        return ones == n && zeros == 1L << width ? bases : null;
    }

    /// <summary>Position of the <paramref name="rank"/>-th (0-based) set bit of <paramref name="x"/>, which has more than that many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SelectBit(ulong x, int rank)
    {
        if (Bmi2.X64.IsSupported) return BitOperations.TrailingZeroCount(Bmi2.X64.ParallelBitDeposit(1UL << rank, x));
        for (var i = 0; i < rank; i++) x &= x - 1;
        return BitOperations.TrailingZeroCount(x);
    }

    public override void Search(ulong[] hashes, in QueryWords q, int threshold, ulong[] tombstones, List<PdqMatch> results)
    {
        Span<int> radii = stackalloc int[Tables];
        Radii(threshold, radii);
        // Threshold 47 gives radius 4: Σ C(24, ≤ 4) = 12,951 keys in one table.
        var keys = ArrayPool<int>.Shared.Rent(12_951);
        var buckets = ArrayPool<long>.Shared.Rent(12_951);
        var candidates = ArrayPool<int>.Shared.Rent(4096);
        try
        {
            for (var t = 0; t < Tables; t++)
            {
                if (radii[t] < 0) continue;
                var count = Keys(Chunk(q.W0, q.W1, q.W2, q.W3, t), Widths[t], radii[t], keys);
                var found = Locate(t, keys.AsSpan(0, count), buckets, out var total);
                var n = Decode(t, buckets.AsSpan(0, found), total, ref candidates);
                Verify(hashes, q, threshold, radii, t, candidates.AsSpan(0, n), tombstones, results);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(candidates);
            ArrayPool<long>.Shared.Return(buckets);
            ArrayPool<int>.Shared.Return(keys);
        }
    }

    /// <summary>Every key within <paramref name="radius"/> bits of <paramref name="key"/>.</summary>
    private static int Keys(int key, int width, int radius, int[] keys)
    {
        var n = 0;
        Flip(key, 0, radius);
        return n;

        void Flip(int k, int from, int left)
        {
            keys[n++] = k;
            if (left == 0) return;
            for (var b = from; b < width; b++) Flip(k ^ (1 << b), b + 1, left - 1);
        }
    }

    // Three passes so the dependent cache misses of different buckets overlap: locate every non-empty bucket
    // (prefetching block bases, then directory words, ahead), decode their ids (prefetched when located), verify
    // (prefetching hashes ahead).
    private unsafe int Locate(int table, ReadOnlySpan<int> keys, long[] buckets, out int total)
    {
        var found = 0;
        total = 0;
        var idBits = _idBits;
        fixed (ulong* dir = _directory[table])
        fixed (uint* bases = _blockBase[table])
        fixed (byte* ids = _ids[table])
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (Sse.IsSupported)
                {
                    if (i + 16 < keys.Length) Sse.Prefetch0(bases + (keys[i + 16] >> 6));
                    if (i + 8 < keys.Length)
                    {
                        var b8 = keys[i + 8] >> 6;
                        Sse.Prefetch0(dir + ((bases[b8] + ((long)b8 << 6)) >> 6));
                    }
                }
                int key = keys[i], block = key >> 6, j = key & 63;
                var pos = bases[block] + ((long)block << 6);
                if (j > 0) pos = AfterZeros(dir, pos, j);
                var count = OnesFrom(dir, pos);
                if (count == 0) continue;
                var first = pos - ((long)block << 6) - j;
                if (Sse.IsSupported) Sse.Prefetch0(ids + (first * idBits >> 3));
                buckets[found++] = first << 32 | count;
                total += (int)count;
            }
        }
        return found;
    }

    /// <summary>The position just after the <paramref name="j"/>-th zero (1-based) at or after <paramref name="pos"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe long AfterZeros(ulong* dir, long pos, int j)
    {
        var wi = pos >> 6;
        var x = ~dir[wi] & (ulong.MaxValue << (int)(pos & 63));
        while (true)
        {
            var z = BitOperations.PopCount(x);
            if (z >= j) return (wi << 6) + SelectBit(x, j - 1) + 1;
            j -= z;
            x = ~dir[++wi];
        }
    }

    /// <summary>Length of the run of ones starting at <paramref name="pos"/> (the bucket's size).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe long OnesFrom(ulong* dir, long pos)
    {
        long count = 0;
        while (true)
        {
            var offset = (int)(pos & 63);
            var ones = BitOperations.TrailingZeroCount(~(dir[pos >> 6] >> offset));
            count += ones;
            if (ones < 64 - offset) return count;
            pos += ones;
        }
    }

    private unsafe int Decode(int table, ReadOnlySpan<long> buckets, int total, ref int[] candidates)
    {
        if (total > candidates.Length)
        {
            ArrayPool<int>.Shared.Return(candidates);
            candidates = ArrayPool<int>.Shared.Rent(total);
        }
        var n = 0;
        var idBits = _idBits;
        var start = Start;
        fixed (byte* ids = _ids[table])
        fixed (int* c = candidates)
        {
            foreach (var b in buckets)
            {
                long first = b >> 32, end = first + (b & 0xFFFF_FFFF);
                for (var i = first; i < end; i++) c[n++] = start + ReadId(ids, i, idBits);
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

    /// <summary>Per table the directory words then the packed ids; lengths follow from the segment's size, so none are stored.</summary>
    protected override void WriteTables(Stream stream)
    {
        for (var t = 0; t < Tables; t++)
        {
            stream.Write(MemoryMarshal.AsBytes(_directory[t].AsSpan()));
            stream.Write(_ids[t]);
        }
    }

    /// <summary>
    /// Reads and checks a snapshot's tables: the directory must hold exactly n ones in its n + 2^w bits (so every bucket
    /// run stays inside the postings) and every id must lie inside the segment, since search reads hashes through them unchecked.
    /// </summary>
    public static PackedMihSegment ReadTables(Stream stream, int start, int end)
    {
        var n = end - start;
        var idBits = IdBits(n);
        var directory = new ulong[Tables][];
        var blockBase = new uint[Tables][];
        var ids = new byte[Tables][];
        for (var t = 0; t < Tables; t++)
        {
            directory[t] = new ulong[DirectoryWords(n, Widths[t])];
            stream.ReadExactly(MemoryMarshal.AsBytes(directory[t].AsSpan()));
            ids[t] = new byte[IdBytes(n, idBits)];
            stream.ReadExactly(ids[t]);
            blockBase[t] = BlockBases(directory[t], n, Widths[t])
                ?? throw new InvalidDataException($"Segment [{start}, {end}) table {t}: the bucket directory does not hold exactly {n} postings.");
            ValidateIds(ids[t], n, idBits, start, end, t);
        }
        return new PackedMihSegment(start, end, directory, blockBase, ids);
    }

    private static unsafe void ValidateIds(byte[] packed, int n, int idBits, int start, int end, int table)
    {
        fixed (byte* p = packed)
        {
            for (long i = 0; i < n; i++)
            {
                var id = ReadId(p, i, idBits);
                if (id >= n) throw new InvalidDataException($"Segment posting {start + id} (table {table}) is outside [{start}, {end}).");
            }
        }
    }
}
