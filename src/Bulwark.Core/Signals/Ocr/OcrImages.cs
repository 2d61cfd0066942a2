using SkiaSharp;

namespace Bulwark.Core.Signals.Ocr;

/// <summary>
/// Turns an encoded image into the greyscale picture Tesseract reads: decoded with SkiaSharp (pixel limit checked on the
/// header first), EXIF orientation applied, transparency composed over white (black text on a transparent sticker would
/// otherwise vanish into black), and small pictures upscaled by a whole factor so their text is tall enough to read.
/// </summary>
public static class OcrImages
{
    public static GrayImage? Decode(byte[] encoded, OcrOptions options, out OcrError? error)
    {
        error = null;
        if (encoded.Length == 0) { error = new(OcrErrorCode.Unreadable, "the image has zero bytes"); return null; }
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null) { error = new(OcrErrorCode.Unreadable, "not a recognised image format"); return null; }
        var info = codec.Info;
        var pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0) { error = new(OcrErrorCode.Unreadable, $"the header declares {info.Width}×{info.Height} pixels"); return null; }
        if (pixels > options.MaxPixels)
        {
            error = new(OcrErrorCode.TooLarge, $"the header declares {info.Width}×{info.Height} = {pixels} pixels; the OCR limit is {options.MaxPixels} (Bulwark:Ocr:MaxPixels)");
            return null;
        }
        var decodeInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, bitmap.GetPixels());
        // A truncated file still yields its decoded rows (the rest is left blank), which may hold readable text.
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            error = new(OcrErrorCode.Unreadable, $"the image could not be decoded ({result})");
            return null;
        }

        var oriented = Orient(bitmap, codec.EncodedOrigin);
        try
        {
            var longer = Math.Max(oriented.Width, oriented.Height);
            var factor = options.UpscaleBelowPixels > 0 && longer < options.UpscaleBelowPixels
                ? Math.Min(4, (int)Math.Ceiling(options.UpscaleBelowPixels / (double)longer)) : 1;
            if (factor > 1 && (long)oriented.Width * oriented.Height * factor * factor > options.MaxPixels) factor = 1;
            if (factor == 1) return ToGray(oriented);
            using var scaled = oriented.Resize(new SKImageInfo(oriented.Width * factor, oriented.Height * factor, SKColorType.Rgba8888, SKAlphaType.Premul),
                new SKSamplingOptions(SKCubicResampler.CatmullRom));
            return ToGray(scaled);
        }
        finally
        {
            if (!ReferenceEquals(oriented, bitmap)) oriented.Dispose();
        }
    }

    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return bitmap;
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(new SKImageInfo(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(OriginMatrix(origin, bitmap.Width, bitmap.Height));
        canvas.DrawBitmap(bitmap, 0, 0);
        return result;
    }

    private static SKMatrix OriginMatrix(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    /// <summary>Rec. 601 luma of premultiplied RGBA composed over white: <c>luma(rgb) + (255 − a)</c>.</summary>
    internal static GrayImage ToGray(SKBitmap bitmap)
    {
        var src = bitmap.GetPixelSpan();
        var w = bitmap.Width;
        var h = bitmap.Height;
        var stride = bitmap.RowBytes;
        var gray = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            var row = src.Slice(y * stride, w * 4);
            var o = y * w;
            for (var x = 0; x < w; x++)
            {
                var p = row.Slice(x * 4, 4);
                var luma = (p[0] * 299 + p[1] * 587 + p[2] * 114 + 500) / 1000;
                gray[o + x] = (byte)Math.Min(255, luma + 255 - p[3]);
            }
        }
        return new GrayImage(gray, w, h);
    }

    /// <summary>Whether a file starts like an image SkiaSharp can open (only its first 64 KB are read, so videos stay on disk).</summary>
    public static bool IsImage(string path)
    {
        var head = new byte[64 * 1024];
        int n;
        using (var file = File.OpenRead(path)) n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        using var data = SKData.CreateCopy(head.AsSpan(0, n));
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var result);
        return codec is not null || result == SKCodecResult.IncompleteInput;
    }
}
