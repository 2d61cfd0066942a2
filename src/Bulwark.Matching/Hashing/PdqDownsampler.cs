using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bulwark.Matching.Hashing;

/// <summary>
/// Luminance + two-pass Jarosz box filter + decimation to 64×64, bit-identical to <see cref="PdqReference.Downsample64"/>
/// but streamed over strips of 8 rows so the working set stays in L1/L2 instead of four passes over two full-size
/// float buffers (a 1600×1004 image is 6.4 MB per buffer — the reference layout is memory-bound).
/// <para>
/// Every running sum is a sequential chain, so we vectorise <em>across</em> independent lines, never along one:
/// row passes run on an 8-row strip transposed to [column][8] (one Vector256 = the same column of 8 rows), column
/// passes run on ordinary rows (one Vector256 = 8 adjacent columns). Each lane then performs exactly the reference's
/// float operations in the reference's order. The second row pass only divides at the 64 sampled columns and the
/// second column pass only at the 64 sampled rows, because decimation discards everything else.
/// </para>
/// </summary>
internal sealed class PdqDownsampler
{
    [ThreadStatic] private static PdqDownsampler? t_instance;

    /// <summary>One per thread: the buffers are reused so steady-state hashing does not allocate.</summary>
    public static PdqDownsampler ForCurrentThread => t_instance ??= new PdqDownsampler();

    /// <summary>The streamed kernel needs AVX for the 8×8 transposes; elsewhere we fall back to the reference code.</summary>
    public static bool IsSupported => Avx.IsSupported && Vector256.IsHardwareAccelerated;

    private float[] _rows8 = [];    // 8 rows × cols, row-major: luma of the current strip
    private float[] _outRows8 = []; // 8 rows × cols: outputs of the first column pass awaiting the second row pass
    private float[] _stripA = [];   // cols × 8: a strip transposed so each column of 8 rows is one vector
    private float[] _stripB = [];
    private float[] _ring = [];     // (windowAlongCols + 8 + 1) rows × cols: first-row-pass output, last row is scratch
    private float[] _colSum = [];   // cols: running sums of the first column pass
    private float[] _r2 = [];       // rows × 64: second-row-pass output at the sampled columns
    private readonly int[] _decimRows = new int[64];
    private readonly int[] _decimCols = new int[64];
    private readonly int[] _rowSlots = new int[8];

    private int _rows, _cols, _wAlongRows, _wAlongCols, _ringRows;
    private int _added, _nextOut, _count;

    public void Downsample(ReadOnlySpan<byte> px, int width, int height, PdqPixelFormat format, Span<float> out64)
    {
        _rows = height;
        _cols = width;
        var bpp = format.BytesPerPixel();
        if (height == 64 && width == 64)
        {
            // The reference skips blurring when the input is already 64×64 (e.g. frames pre-scaled by ffmpeg).
            for (var r = 0; r < 64; r++) FillLumaRow(px.Slice(r * 64 * bpp, 64 * bpp), out64.Slice(r * 64, 64), format);
            return;
        }
        _wAlongRows = PdqReference.WindowSize(width, 64);
        _wAlongCols = PdqReference.WindowSize(height, 64);
        _ringRows = _wAlongCols + 8;
        Ensure(ref _rows8, 8 * width);
        Ensure(ref _outRows8, 8 * width);
        Ensure(ref _stripA, 8 * width);
        Ensure(ref _stripB, 8 * width);
        Ensure(ref _ring, (_ringRows + 1) * width);
        Ensure(ref _colSum, width);
        Ensure(ref _r2, 64 * height);
        for (var i = 0; i < 64; i++)
        {
            _decimRows[i] = (int)((i + 0.5) * height / 64);
            _decimCols[i] = (int)((i + 0.5) * width / 64);
        }
        _colSum.AsSpan(0, width).Clear();
        _added = _nextOut = _count = 0;

        for (var r0 = 0; r0 < height; r0 += 8)
        {
            var nr = Math.Min(8, height - r0);
            for (var k = 0; k < 8; k++)
            {
                var dst = _rows8.AsSpan(k * width, width);
                if (k < nr) FillLumaRow(px.Slice((r0 + k) * width * bpp, width * bpp), dst, format);
                else dst.Clear();
                _rowSlots[k] = (k < nr ? (r0 + k) % _ringRows : _ringRows) * width;
            }
            RowsToStrip(_rows8, width, _stripA);
            BoxStrip(_stripA, _stripB, width, _wAlongRows);
            StripToRows(_stripB, width, _ring, _rowSlots);
            AdvanceColumnPass(r0 + nr);
        }
        SecondColumnPass(out64);
    }

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }

    /// <summary>First column pass, advanced as far as the rows produced so far allow (add row a, subtract row a − window).</summary>
    private void AdvanceColumnPass(int available)
    {
        int n = _rows, w = _wAlongCols, half = (w + 2) / 2, cols = _cols;
        var sum = _colSum.AsSpan(0, cols);
        while (_added < half - 1)
        {
            if (_added >= available) return;
            AddRow(sum, RingRow(_added));
            _added++;
            _count++;
        }
        while (_nextOut < n)
        {
            var o = _nextOut;
            var hasAdd = o <= n - half;
            var hasSub = o >= w - half + 1;
            if (hasAdd && o + half - 1 >= available) return;
            if (hasAdd && !hasSub) _count++;
            else if (!hasAdd) _count--;
            var outRow = _outRows8.AsSpan((o & 7) * cols, cols);
            ColumnStep(sum, hasAdd ? RingRow(o + half - 1) : default, hasSub ? RingRow(o + half - 1 - w) : default, outRow, _count);
            _nextOut++;
            if ((o & 7) == 7 || o == n - 1) SecondRowPass(o & ~7, (o & 7) + 1);
        }
    }

    private ReadOnlySpan<float> RingRow(int row) => _ring.AsSpan(row % _ringRows * _cols, _cols);

    private static void AddRow(Span<float> sum, ReadOnlySpan<float> row)
    {
        var j = 0;
        for (; j + 8 <= sum.Length; j += 8)
            (Vector256.Create(sum.Slice(j, 8)) + Vector256.Create(row.Slice(j, 8))).CopyTo(sum.Slice(j, 8));
        for (; j < sum.Length; j++) sum[j] += row[j];
    }

    /// <summary>sum = (sum + add) − sub; out = sum / count — per column, exactly the reference's step. Empty spans mean "no add/sub".</summary>
    private static void ColumnStep(Span<float> sum, ReadOnlySpan<float> add, ReadOnlySpan<float> sub, Span<float> output, int count)
    {
        var n = sum.Length;
        bool hasAdd = !add.IsEmpty, hasSub = !sub.IsEmpty;
        var vc = Vector256.Create((float)count);
        ref var rs = ref MemoryMarshal.GetReference(sum);
        ref var ra = ref MemoryMarshal.GetReference(add);
        ref var rb = ref MemoryMarshal.GetReference(sub);
        ref var ro = ref MemoryMarshal.GetReference(output);
        var j = 0;
        for (; j + 8 <= n; j += 8)
        {
            var s = Vector256.LoadUnsafe(ref rs, (nuint)j);
            if (hasAdd) s += Vector256.LoadUnsafe(ref ra, (nuint)j);
            if (hasSub) s -= Vector256.LoadUnsafe(ref rb, (nuint)j);
            s.StoreUnsafe(ref rs, (nuint)j);
            (s / vc).StoreUnsafe(ref ro, (nuint)j);
        }
        for (; j < n; j++)
        {
            var s = sum[j];
            if (hasAdd) s += add[j];
            if (hasSub) s -= sub[j];
            sum[j] = s;
            output[j] = s / count;
        }
    }

    /// <summary>Second row pass over up to 8 first-column-pass rows; keeps only the 64 sampled columns.</summary>
    private void SecondRowPass(int firstRow, int rowCount)
    {
        RowsToStrip(_outRows8, _cols, _stripA);
        int n = _cols, w = _wAlongRows, half = (w + 2) / 2;
        ref var s = ref MemoryMarshal.GetArrayDataReference(_stripA);
        var sum = Vector256<float>.Zero;
        int count = 0, nd = 0;
        Span<float> lanes = stackalloc float[8];
        for (var i = 0; i < half - 1; i++) { sum += Vector256.LoadUnsafe(ref s, (nuint)(i * 8)); count++; }
        for (var o = 0; o < n; o++)
        {
            var hasAdd = o <= n - half;
            if (hasAdd) sum += Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1) * 8));
            if (o >= w - half + 1) sum -= Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1 - w) * 8));
            if (hasAdd && o <= w - half) count++;
            else if (!hasAdd) count--;
            if (_decimCols[nd] != o) continue;
            (sum / Vector256.Create((float)count)).CopyTo(lanes);
            while (nd < 64 && _decimCols[nd] == o)
            {
                for (var k = 0; k < rowCount; k++) _r2[(firstRow + k) * 64 + nd] = lanes[k];
                nd++;
            }
            if (nd == 64) break;
        }
    }

    /// <summary>Second column pass over the 64 kept columns (8 vectors), dividing only at the 64 sampled rows.</summary>
    private void SecondColumnPass(Span<float> out64)
    {
        int n = _rows, w = _wAlongCols, half = (w + 2) / 2;
        ref var r2 = ref MemoryMarshal.GetArrayDataReference(_r2);
        for (var g = 0; g < 64; g += 8)
        {
            var sum = Vector256<float>.Zero;
            int count = 0, nd = 0;
            for (var i = 0; i < half - 1; i++) { sum += Vector256.LoadUnsafe(ref r2, (nuint)(i * 64 + g)); count++; }
            for (var o = 0; o < n && nd < 64; o++)
            {
                var hasAdd = o <= n - half;
                if (hasAdd) sum += Vector256.LoadUnsafe(ref r2, (nuint)((o + half - 1) * 64 + g));
                if (o >= w - half + 1) sum -= Vector256.LoadUnsafe(ref r2, (nuint)((o + half - 1 - w) * 64 + g));
                if (hasAdd && o <= w - half) count++;
                else if (!hasAdd) count--;
                while (nd < 64 && _decimRows[nd] == o)
                {
                    (sum / Vector256.Create((float)count)).CopyTo(out64.Slice(nd * 64 + g, 8));
                    nd++;
                }
            }
        }
    }

    /// <summary>First row pass on a transposed strip: each vector is one column of 8 rows; reference phases 1–4.</summary>
    private static void BoxStrip(float[] src, float[] dst, int n, int window)
    {
        var half = (window + 2) / 2;
        ref var s = ref MemoryMarshal.GetArrayDataReference(src);
        ref var d = ref MemoryMarshal.GetArrayDataReference(dst);
        var sum = Vector256<float>.Zero;
        var count = 0;
        var o = 0;
        for (var i = 0; i < half - 1; i++) { sum += Vector256.LoadUnsafe(ref s, (nuint)(i * 8)); count++; }
        for (; o <= window - half; o++)
        {
            sum += Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1) * 8));
            count++;
            (sum / Vector256.Create((float)count)).StoreUnsafe(ref d, (nuint)(o * 8));
        }
        var vc = Vector256.Create((float)count);
        for (; o <= n - half; o++)
        {
            sum += Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1) * 8));
            sum -= Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1 - window) * 8));
            (sum / vc).StoreUnsafe(ref d, (nuint)(o * 8));
        }
        for (; o < n; o++)
        {
            sum -= Vector256.LoadUnsafe(ref s, (nuint)((o + half - 1 - window) * 8));
            count--;
            (sum / Vector256.Create((float)count)).StoreUnsafe(ref d, (nuint)(o * 8));
        }
    }

    /// <summary>8 row-major rows → [column][8].</summary>
    private static void RowsToStrip(float[] rows, int cols, float[] strip)
    {
        ref var r = ref MemoryMarshal.GetArrayDataReference(rows);
        ref var st = ref MemoryMarshal.GetArrayDataReference(strip);
        var c = 0;
        for (; c + 8 <= cols; c += 8)
        {
            var v0 = Vector256.LoadUnsafe(ref r, (nuint)c);
            var v1 = Vector256.LoadUnsafe(ref r, (nuint)(cols + c));
            var v2 = Vector256.LoadUnsafe(ref r, (nuint)(2 * cols + c));
            var v3 = Vector256.LoadUnsafe(ref r, (nuint)(3 * cols + c));
            var v4 = Vector256.LoadUnsafe(ref r, (nuint)(4 * cols + c));
            var v5 = Vector256.LoadUnsafe(ref r, (nuint)(5 * cols + c));
            var v6 = Vector256.LoadUnsafe(ref r, (nuint)(6 * cols + c));
            var v7 = Vector256.LoadUnsafe(ref r, (nuint)(7 * cols + c));
            Transpose8x8(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            ref var o = ref Unsafe.Add(ref st, c * 8);
            v0.StoreUnsafe(ref o, 0); v1.StoreUnsafe(ref o, 8); v2.StoreUnsafe(ref o, 16); v3.StoreUnsafe(ref o, 24);
            v4.StoreUnsafe(ref o, 32); v5.StoreUnsafe(ref o, 40); v6.StoreUnsafe(ref o, 48); v7.StoreUnsafe(ref o, 56);
        }
        for (; c < cols; c++)
            for (var k = 0; k < 8; k++) strip[c * 8 + k] = rows[k * cols + c];
    }

    /// <summary>[column][8] → 8 rows written at the given offsets of <paramref name="dst"/>.</summary>
    private static void StripToRows(float[] strip, int cols, float[] dst, int[] rowOffsets)
    {
        ref var st = ref MemoryMarshal.GetArrayDataReference(strip);
        ref var d = ref MemoryMarshal.GetArrayDataReference(dst);
        var c = 0;
        for (; c + 8 <= cols; c += 8)
        {
            ref var i = ref Unsafe.Add(ref st, c * 8);
            var v0 = Vector256.LoadUnsafe(ref i, 0);
            var v1 = Vector256.LoadUnsafe(ref i, 8);
            var v2 = Vector256.LoadUnsafe(ref i, 16);
            var v3 = Vector256.LoadUnsafe(ref i, 24);
            var v4 = Vector256.LoadUnsafe(ref i, 32);
            var v5 = Vector256.LoadUnsafe(ref i, 40);
            var v6 = Vector256.LoadUnsafe(ref i, 48);
            var v7 = Vector256.LoadUnsafe(ref i, 56);
            Transpose8x8(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            v0.StoreUnsafe(ref d, (nuint)(rowOffsets[0] + c)); v1.StoreUnsafe(ref d, (nuint)(rowOffsets[1] + c));
            v2.StoreUnsafe(ref d, (nuint)(rowOffsets[2] + c)); v3.StoreUnsafe(ref d, (nuint)(rowOffsets[3] + c));
            v4.StoreUnsafe(ref d, (nuint)(rowOffsets[4] + c)); v5.StoreUnsafe(ref d, (nuint)(rowOffsets[5] + c));
            v6.StoreUnsafe(ref d, (nuint)(rowOffsets[6] + c)); v7.StoreUnsafe(ref d, (nuint)(rowOffsets[7] + c));
        }
        for (; c < cols; c++)
            for (var k = 0; k < 8; k++) dst[rowOffsets[k] + c] = strip[c * 8 + k];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>0.299·R + 0.587·G + 0.114·B in float, left to right as the reference; 8 pixels per vector where possible.</summary>
    internal static void FillLumaRow(ReadOnlySpan<byte> px, Span<float> dst, PdqPixelFormat format)
    {
        var n = dst.Length;
        var j = 0;
        var cr = Vector256.Create(PdqReference.LumaR);
        var cg = Vector256.Create(PdqReference.LumaG);
        var cb = Vector256.Create(PdqReference.LumaB);
        var mask = Vector256.Create(0xFFu);
        ref var p = ref MemoryMarshal.GetReference(px);
        ref var d = ref MemoryMarshal.GetReference(dst);
        switch (format)
        {
            case PdqPixelFormat.Rgba32:
            case PdqPixelFormat.Bgra32:
                for (; j + 8 <= n; j += 8)
                {
                    var v = Vector256.LoadUnsafe(ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref p, j * 4)));
                    var c0 = Vector256.ConvertToSingle((v & mask).AsInt32());
                    var c1 = Vector256.ConvertToSingle(((v >> 8) & mask).AsInt32());
                    var c2 = Vector256.ConvertToSingle(((v >> 16) & mask).AsInt32());
                    var y = format == PdqPixelFormat.Rgba32 ? cr * c0 + cg * c1 + cb * c2 : cr * c2 + cg * c1 + cb * c0;
                    y.StoreUnsafe(ref d, (nuint)j);
                }
                break;
            case PdqPixelFormat.Rgb24 when Ssse3.IsSupported:
                // Two overlapping 16-byte loads cover 8 RGB pixels (24 bytes); pshufb spreads them to one pixel per 32-bit lane.
                var lo = Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF);
                var hi = Vector128.Create((byte)4, 5, 6, 0xFF, 7, 8, 9, 0xFF, 10, 11, 12, 0xFF, 13, 14, 15, 0xFF);
                for (; j + 8 <= n; j += 8)
                {
                    ref var q = ref Unsafe.Add(ref p, j * 3);
                    var a = Ssse3.Shuffle(Vector128.LoadUnsafe(ref q), lo);
                    var b = Ssse3.Shuffle(Vector128.LoadUnsafe(ref q, 8), hi);
                    var v = Vector256.Create(a.AsUInt32(), b.AsUInt32());
                    var c0 = Vector256.ConvertToSingle((v & mask).AsInt32());
                    var c1 = Vector256.ConvertToSingle(((v >> 8) & mask).AsInt32());
                    var c2 = Vector256.ConvertToSingle(((v >> 16) & mask).AsInt32());
                    (cr * c0 + cg * c1 + cb * c2).StoreUnsafe(ref d, (nuint)j);
                }
                break;
        }
        var bpp = format.BytesPerPixel();
        for (; j < n; j++)
        {
            var q = px.Slice(j * bpp, bpp);
            dst[j] = format switch
            {
                PdqPixelFormat.Gray8 => q[0],
                PdqPixelFormat.Bgra32 => PdqReference.LumaR * q[2] + PdqReference.LumaG * q[1] + PdqReference.LumaB * q[0],
                _ => PdqReference.LumaR * q[0] + PdqReference.LumaG * q[1] + PdqReference.LumaB * q[2],
            };
        }
    }
}
