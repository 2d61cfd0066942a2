using System.Buffers;
using SkiaSharp;

namespace Bulwark.Matching.Hashing;

/// <summary>Decoded, oriented (and optionally resized) pixels in a pooled buffer.</summary>
internal sealed class DecodedImage(byte[] buffer, int width, int height, PdqPixelFormat format) : IDisposable
{
    private byte[]? _buffer = buffer;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public PdqPixelFormat Format { get; } = format;
    public ReadOnlySpan<byte> Pixels => _buffer.AsSpan(0, Width * Height * Format.BytesPerPixel());

    public void Dispose()
    {
        if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _buffer = null;
    }
}

/// <summary>SkiaSharp decoding with the checks an upload pipeline needs: size limit from the header, typed failures.</summary>
internal static class SkiaImageDecoder
{
    public static unsafe DecodedImage? Decode(ReadOnlySpan<byte> encoded, PdqImageOptions options, out ImageHashError? error)
    {
        error = null;
        if (encoded.IsEmpty)
        {
            error = new(ImageHashErrorCode.Empty, "The image has zero bytes.");
            return null;
        }
        using var data = SKData.CreateCopy(encoded);
        // The codec takes ownership of the stream when it is created; SkiaSharp then makes the stream's Dispose a no-op.
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
        {
            error = createResult == SKCodecResult.IncompleteInput
                ? new(ImageHashErrorCode.Corrupt, "The image header is truncated.")
                : new(ImageHashErrorCode.UnsupportedFormat, $"Not a recognised image format ({createResult}).");
            return null;
        }
        var info = codec.Info;
        var pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
        {
            error = new(ImageHashErrorCode.Corrupt, $"The header declares {info.Width}×{info.Height} pixels.");
            return null;
        }
        if (pixels > options.MaxPixels)
        {
            error = new(ImageHashErrorCode.TooLarge, $"The header declares {info.Width}×{info.Height} = {pixels} pixels; the limit is {options.MaxPixels}.");
            return null;
        }
        // The decoded buffer is up to 4 bytes a pixel (RGBA; JPEG and grey need less): refuse what would not fit the budget
        // before anything is allocated, so a small file declaring a huge picture cannot cost hundreds of megabytes.
        if (pixels * 4 > options.MaxDecodeBytes)
        {
            error = new(ImageHashErrorCode.TooLarge,
                $"The header declares {info.Width}×{info.Height} = {pixels} pixels, which would need {pixels * 4 / (1024 * 1024)} MiB to decode; the limit is {options.MaxDecodeBytes / (1024 * 1024)} MiB.");
            return null;
        }

        // Greyscale stays one channel so luminance equals the grey value exactly, as in the reference's grey path.
        var gray = info.ColorType == SKColorType.Gray8;
        if (options.FastJpeg && codec.EncodedFormat == SKEncodedImageFormat.Jpeg && TurboJpeg.IsAvailable
            && DecodeJpegFast(encoded, info.Width, info.Height, gray, codec.EncodedOrigin, options) is { } fast)
            return fast;
        var format = gray ? PdqPixelFormat.Gray8 : PdqPixelFormat.Rgba32;
        var bpp = format.BytesPerPixel();
        // No colour space on the destination: Skia then hands back the stored samples without colour management.
        var dstInfo = new SKImageInfo(info.Width, info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888,
            gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)(pixels * bpp)));
        SKCodecResult result;
        fixed (byte* p = buffer)
            result = codec.GetPixels(dstInfo, (IntPtr)p, info.Width * bpp, new SKCodecOptions(0));
        if (result != SKCodecResult.Success)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            error = result == SKCodecResult.IncompleteInput
                ? new(ImageHashErrorCode.Corrupt, "The image data is truncated.")
                : new(ImageHashErrorCode.Corrupt, $"The image could not be decoded ({result}).");
            return null;
        }

        return Finish(new DecodedImage(buffer, info.Width, info.Height, format), codec.EncodedOrigin, options);
    }

    /// <summary>
    /// JPEG through the system's libjpeg-turbo (<see cref="TurboJpeg"/>) into Rgb24 or Gray8: the same samples as
    /// SkiaSharp's decode, several times faster. Null when it refuses the file; SkiaSharp then decodes it (or names the error).
    /// </summary>
    private static DecodedImage? DecodeJpegFast(ReadOnlySpan<byte> encoded, int width, int height, bool gray, SKEncodedOrigin origin, PdqImageOptions options)
    {
        var format = gray ? PdqPixelFormat.Gray8 : PdqPixelFormat.Rgb24;
        var buffer = ArrayPool<byte>.Shared.Rent(checked(width * height * format.BytesPerPixel()));
        if (!TurboJpeg.TryDecode(encoded, width, height, gray, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        return Finish(new DecodedImage(buffer, width, height, format), origin, options);
    }

    private static DecodedImage Finish(DecodedImage image, SKEncodedOrigin origin, PdqImageOptions options)
    {
        if (options.ApplyExifOrientation && origin != SKEncodedOrigin.TopLeft)
            image = PixelTransforms.Orient(image, origin);
        if (options.Resize == PdqResize.To512 && (image.Width > 512 || image.Height > 512))
            image = PixelTransforms.NearestNeighbour(image, 512, 512);
        return image;
    }
}
