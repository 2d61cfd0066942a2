namespace Bulwark.Matching.Hashing;

/// <summary>
/// A direct, unoptimised transcription of the reference algorithm (full-size float buffers, strided 1-D box filter).
/// It exists so tests can prove the streaming, vectorised <see cref="PdqDownsampler"/> is bit-identical to it.
/// </summary>
internal static class PdqReference
{
    public const float LumaR = 0.299f, LumaG = 0.587f, LumaB = 0.114f;

    public static float[] Luma(ReadOnlySpan<byte> px, int width, int height, PdqPixelFormat format)
    {
        var luma = new float[width * height];
        var bpp = format.BytesPerPixel();
        for (var i = 0; i < width * height; i++)
        {
            var p = px.Slice(i * bpp, bpp);
            luma[i] = format switch
            {
                PdqPixelFormat.Gray8 => p[0],
                PdqPixelFormat.Bgra32 => LumaR * p[2] + LumaG * p[1] + LumaB * p[0],
                _ => LumaR * p[0] + LumaG * p[1] + LumaB * p[2],
            };
        }
        return luma;
    }

    public static int WindowSize(int oldDimension, int newDimension) => (oldDimension + 2 * newDimension - 1) / (2 * newDimension);

    /// <summary>Box filter of width <paramref name="window"/> along one line, in the reference's four phases.</summary>
    public static void Box1D(float[] input, int inStart, float[] output, int length, int stride, int window)
    {
        var half = (window + 2) / 2;
        int li = inStart, ri = inStart, oi = inStart;
        var sum = 0f;
        var count = 0;
        for (var i = 0; i < half - 1; i++) { sum += input[ri]; count++; ri += stride; }
        for (var i = 0; i < window - half + 1; i++) { sum += input[ri]; count++; output[oi] = sum / count; ri += stride; oi += stride; }
        for (var i = 0; i < length - window; i++) { sum += input[ri]; sum -= input[li]; output[oi] = sum / count; li += stride; ri += stride; oi += stride; }
        for (var i = 0; i < half - 1; i++) { sum -= input[li]; count--; output[oi] = sum / count; li += stride; oi += stride; }
    }

    /// <summary>Two passes of (rows, then columns) box filtering followed by centre-sample decimation to 64×64.</summary>
    public static float[] Downsample64(float[] buffer1, int rows, int cols)
    {
        var out64 = new float[64 * 64];
        if (rows == 64 && cols == 64)
        {
            buffer1.AsSpan().CopyTo(out64);
            return out64;
        }
        var buffer2 = new float[rows * cols];
        int wRows = WindowSize(cols, 64), wCols = WindowSize(rows, 64);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < rows; i++) Box1D(buffer1, i * cols, buffer2, cols, 1, wRows);
            for (var j = 0; j < cols; j++) Box1D(buffer2, j, buffer1, rows, cols, wCols);
        }
        for (var i = 0; i < 64; i++)
        {
            var ini = (int)((i + 0.5) * rows / 64);
            for (var j = 0; j < 64; j++)
                out64[i * 64 + j] = buffer1[ini * cols + (int)((j + 0.5) * cols / 64)];
        }
        return out64;
    }

    public static (PdqHash Hash, int Quality, float[] Dct) Hash(ReadOnlySpan<byte> px, int width, int height, PdqPixelFormat format)
    {
        if (width < PdqHasher.MinDimension || height < PdqHasher.MinDimension) return (PdqHash.Zero, 0, new float[256]);
        var a = Downsample64(Luma(px, width, height, format), height, width);
        var t = new float[16 * 64];
        var b = new float[256];
        PdqDct.Dct64To16Scalar(a, t, b);
        return (PdqDct.ToHash(b), PdqDct.Quality(a), b);
    }
}
