using System.Buffers;
using SkiaSharp;

namespace Bulwark.Matching.Hashing;

/// <summary>Orientation and resize on decoded pixels. Each consumes its input image and returns a new one.</summary>
internal static class PixelTransforms
{
    /// <summary>Rearranges pixels so the image reads as displayed under the given EXIF origin.</summary>
    public static DecodedImage Orient(DecodedImage src, SKEncodedOrigin origin)
    {
        int w = src.Width, h = src.Height;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int dw = swap ? h : w, dh = swap ? w : h;
        return Remap(src, dw, dh, (x, y) => origin switch
        {
            SKEncodedOrigin.TopRight => (w - 1 - x, y),
            SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
            SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
            SKEncodedOrigin.LeftTop => (y, x),
            SKEncodedOrigin.RightTop => (y, h - 1 - x),
            SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
            SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
            _ => (x, y),
        });
    }

    /// <summary>Nearest-neighbour resize sampling source column ⌊x·W/dw⌋ (CImg's convention, used by pdq-photo-hasher).</summary>
    public static DecodedImage NearestNeighbour(DecodedImage src, int dw, int dh)
    {
        int w = src.Width, h = src.Height, bpp = src.Format.BytesPerPixel();
        var dst = ArrayPool<byte>.Shared.Rent(dw * dh * bpp);
        Span<int> sourceX = dw <= 4096 ? stackalloc int[dw] : new int[dw];
        for (var x = 0; x < dw; x++) sourceX[x] = (int)((long)x * w / dw) * bpp;
        var s = src.Pixels;
        for (var y = 0; y < dh; y++)
        {
            var row = s.Slice((int)((long)y * h / dh) * w * bpp, w * bpp);
            var o = dst.AsSpan(y * dw * bpp, dw * bpp);
            for (var x = 0; x < dw; x++) row.Slice(sourceX[x], bpp).CopyTo(o.Slice(x * bpp, bpp));
        }
        var result = new DecodedImage(dst, dw, dh, src.Format);
        src.Dispose();
        return result;
    }

    private static DecodedImage Remap(DecodedImage src, int dw, int dh, Func<int, int, (int X, int Y)> sourceOf)
    {
        var bpp = src.Format.BytesPerPixel();
        var dst = ArrayPool<byte>.Shared.Rent(dw * dh * bpp);
        var s = src.Pixels;
        for (var y = 0; y < dh; y++)
            for (var x = 0; x < dw; x++)
            {
                var (sx, sy) = sourceOf(x, y);
                s.Slice((sy * src.Width + sx) * bpp, bpp).CopyTo(dst.AsSpan((y * dw + x) * bpp, bpp));
            }
        var result = new DecodedImage(dst, dw, dh, src.Format);
        src.Dispose();
        return result;
    }
}
