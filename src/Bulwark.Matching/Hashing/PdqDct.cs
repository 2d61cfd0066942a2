using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Bulwark.Matching.Hashing;

/// <summary>
/// The stages after downsampling: quality metric, 64×64 → 16×16 DCT, median threshold and the dihedral sign/transpose
/// rules. All arithmetic is single precision in the reference's order, so results are bit-identical to the C++ code.
/// </summary>
internal static class PdqDct
{
    /// <summary>Row-major 16×64: D[i,j] = sqrt(2/64)·cos(π/128·(i+1)·(2j+1)), scale factor rounded to float first as in the reference.</summary>
    internal static readonly float[] Matrix = BuildMatrix();

    /// <summary>The same matrix transposed (64×16), so the second DCT product can be vectorised along its output row.</summary>
    internal static readonly float[] MatrixT = Transpose(Matrix);

    private static float[] BuildMatrix()
    {
        var m = new float[16 * 64];
        var scale = (float)Math.Sqrt(2.0 / 64.0);
        for (var i = 0; i < 16; i++)
            for (var j = 0; j < 64; j++)
                m[i * 64 + j] = (float)(scale * Math.Cos(Math.PI / 2.0 / 64.0 * (i + 1) * (2 * j + 1)));
        return m;
    }

    private static float[] Transpose(float[] d)
    {
        var t = new float[64 * 16];
        for (var i = 0; i < 16; i++)
            for (var k = 0; k < 64; k++)
                t[k * 16 + i] = d[i * 64 + k];
        return t;
    }

    /// <summary>Heuristic gradient-count quality in 0–100 over the 64×64 downsample (reference formula, truncations included).</summary>
    internal static int Quality(ReadOnlySpan<float> a)
    {
        var gradientSum = 0;
        for (var i = 0; i < 63; i++)
            for (var j = 0; j < 64; j++)
            {
                var d = (int)((a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100f / 255f);
                gradientSum += Math.Abs(d);
            }
        for (var i = 0; i < 64; i++)
            for (var j = 0; j < 63; j++)
            {
                var d = (int)((a[i * 64 + j] - a[i * 64 + j + 1]) * 100f / 255f);
                gradientSum += Math.Abs(d);
            }
        return Math.Min(gradientSum / 90, 100);
    }

    /// <summary>
    /// B = D·A·Dᵀ for A 64×64 → B 16×16. Vectorised across each output row: every lane accumulates its own dot product
    /// in the reference's k order (no FMA, no reassociation), so the float result is identical to the scalar loop.
    /// </summary>
    internal static void Dct64To16(ReadOnlySpan<float> a, Span<float> t16x64, Span<float> b16x16)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            Dct64To16Scalar(a, t16x64, b16x16);
            return;
        }
        ref var ra = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref var rt = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(t16x64);
        var d = Matrix;
        for (var i = 0; i < 16; i++)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (var k = 0; k < 64; k++)
            {
                var dk = Vector256.Create(d[i * 64 + k]);
                ref var row = ref Unsafe.Add(ref ra, k * 64);
                s0 += dk * Vector256.LoadUnsafe(ref row, 0);
                s1 += dk * Vector256.LoadUnsafe(ref row, 8);
                s2 += dk * Vector256.LoadUnsafe(ref row, 16);
                s3 += dk * Vector256.LoadUnsafe(ref row, 24);
                s4 += dk * Vector256.LoadUnsafe(ref row, 32);
                s5 += dk * Vector256.LoadUnsafe(ref row, 40);
                s6 += dk * Vector256.LoadUnsafe(ref row, 48);
                s7 += dk * Vector256.LoadUnsafe(ref row, 56);
            }
            ref var trow = ref Unsafe.Add(ref rt, i * 64);
            s0.StoreUnsafe(ref trow, 0); s1.StoreUnsafe(ref trow, 8); s2.StoreUnsafe(ref trow, 16); s3.StoreUnsafe(ref trow, 24);
            s4.StoreUnsafe(ref trow, 32); s5.StoreUnsafe(ref trow, 40); s6.StoreUnsafe(ref trow, 48); s7.StoreUnsafe(ref trow, 56);
        }
        ref var rdt = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(MatrixT);
        for (var i = 0; i < 16; i++)
        {
            Vector256<float> s0 = default, s1 = default;
            for (var k = 0; k < 64; k++)
            {
                var tk = Vector256.Create(t16x64[i * 64 + k]);
                s0 += tk * Vector256.LoadUnsafe(ref rdt, (nuint)(k * 16));
                s1 += tk * Vector256.LoadUnsafe(ref rdt, (nuint)(k * 16 + 8));
            }
            s0.CopyTo(b16x16.Slice(i * 16, 8));
            s1.CopyTo(b16x16.Slice(i * 16 + 8, 8));
        }
    }

    /// <summary>The plain triple loop, kept as the reference for the vectorised version.</summary>
    internal static void Dct64To16Scalar(ReadOnlySpan<float> a, Span<float> t16x64, Span<float> b16x16)
    {
        var d = Matrix;
        for (var i = 0; i < 16; i++)
            for (var j = 0; j < 64; j++)
            {
                var sum = 0f;
                for (var k = 0; k < 64; k++) sum += d[i * 64 + k] * a[k * 64 + j];
                t16x64[i * 64 + j] = sum;
            }
        for (var i = 0; i < 16; i++)
            for (var j = 0; j < 16; j++)
            {
                var sum = 0f;
                for (var k = 0; k < 64; k++) sum += t16x64[i * 64 + k] * d[j * 64 + k];
                b16x16[i * 16 + j] = sum;
            }
    }

    /// <summary>Bit k set when coefficient k exceeds the median (the reference's Torben median: the 128th smallest of 256).</summary>
    internal static PdqHash ToHash(ReadOnlySpan<float> b16x16)
    {
        Span<float> sorted = stackalloc float[256];
        b16x16[..256].CopyTo(sorted);
        sorted.Sort();
        var median = sorted[127];
        Span<ulong> w = stackalloc ulong[4];
        w.Clear();
        for (var k = 0; k < 256; k++)
            if (b16x16[k] > median) w[k >> 6] |= 1UL << (k & 63);
        return PdqHash.FromBits(w);
    }

    /// <summary>
    /// The DCT of a rotated or flipped image is the original's DCT with some coefficients negated and/or transposed,
    /// so all eight variants come from one DCT. Order: original, rot90, rot180, rot270, flipX, flipY, flip+1, flip−1.
    /// </summary>
    internal static void Dihedral(PdqDihedral variant, ReadOnlySpan<float> a, Span<float> b)
    {
        for (var i = 0; i < 16; i++)
            for (var j = 0; j < 16; j++)
            {
                var v = a[i * 16 + j];
                switch (variant)
                {
                    case PdqDihedral.Original: b[i * 16 + j] = v; break;
                    case PdqDihedral.Rotate90: b[j * 16 + i] = (j & 1) != 0 ? v : -v; break;
                    case PdqDihedral.Rotate180: b[i * 16 + j] = ((i + j) & 1) != 0 ? -v : v; break;
                    case PdqDihedral.Rotate270: b[j * 16 + i] = (i & 1) != 0 ? v : -v; break;
                    case PdqDihedral.FlipX: b[i * 16 + j] = (i & 1) != 0 ? v : -v; break;
                    case PdqDihedral.FlipY: b[i * 16 + j] = (j & 1) != 0 ? v : -v; break;
                    case PdqDihedral.FlipPlus1: b[j * 16 + i] = v; break;
                    default: b[j * 16 + i] = ((i + j) & 1) != 0 ? -v : v; break;
                }
            }
    }
}
