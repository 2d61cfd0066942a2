namespace Bulwark.Matching.Hashing;

/// <summary>
/// PDQ (Meta's perceptual photo hash) over decoded pixels. Bit-identical to the reference C++ float pipeline for the
/// same pixels: luminance, two-pass Jarosz box filter, decimation to 64×64, 16×16 DCT, median threshold.
/// Thread-safe; each thread reuses its own scratch buffers, so steady-state calls do not allocate (except the dihedral result).
/// </summary>
public static class PdqHasher
{
    /// <summary>The reference returns an all-zero hash with quality 0 for images narrower or shorter than this.</summary>
    public const int MinDimension = 5;

    /// <summary>Hashes tightly packed pixels (row-major, top row first).</summary>
    public static PdqResult Hash(ReadOnlySpan<byte> pixels, int width, int height, PdqPixelFormat format)
    {
        if (!TryDct(pixels, width, height, format, out var quality)) return new PdqResult(PdqHash.Zero, 0);
        return new PdqResult(PdqDct.ToHash(Dct), quality);
    }

    /// <summary>Hashes of all eight rotations/flips from one pass (the DCT of a transformed image is a sign/transposition of the original's).</summary>
    public static PdqDihedralResult HashDihedral(ReadOnlySpan<byte> pixels, int width, int height, PdqPixelFormat format)
    {
        var hashes = new PdqHash[8];
        if (!TryDct(pixels, width, height, format, out var quality)) return new PdqDihedralResult(hashes, 0);
        Span<float> aux = stackalloc float[256];
        for (var v = 0; v < 8; v++)
        {
            PdqDct.Dihedral((PdqDihedral)v, Dct, aux);
            hashes[v] = PdqDct.ToHash(aux);
        }
        return new PdqDihedralResult(hashes, quality);
    }

    [ThreadStatic] private static float[]? t_dct;
    private static float[] Dct => t_dct ??= new float[256];

    private static bool TryDct(ReadOnlySpan<byte> pixels, int width, int height, PdqPixelFormat format, out int quality)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        var needed = (long)width * height * format.BytesPerPixel();
        if (pixels.Length < needed)
            throw new ArgumentException($"{width}×{height} {format} needs {needed} bytes; got {pixels.Length}.", nameof(pixels));
        quality = 0;
        if (width < MinDimension || height < MinDimension) return false;

        Span<float> a = stackalloc float[64 * 64];
        if (PdqDownsampler.IsSupported)
            PdqDownsampler.ForCurrentThread.Downsample(pixels, width, height, format, a);
        else
            PdqReference.Downsample64(PdqReference.Luma(pixels, width, height, format), height, width).CopyTo(a);
        quality = PdqDct.Quality(a);
        Span<float> t = stackalloc float[16 * 64];
        PdqDct.Dct64To16(a, t, Dct);
        return true;
    }
}
