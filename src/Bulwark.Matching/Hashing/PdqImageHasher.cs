using SkiaSharp;

namespace Bulwark.Matching.Hashing;

/// <summary>How an image is scaled before hashing.</summary>
public enum PdqResize
{
    /// <summary>Hash the full decoded resolution (as the Java reference and python-threatexchange do). The default.</summary>
    None,
    /// <summary>
    /// Resize images larger than 512 on either side to exactly 512×512 by nearest neighbour first, as the C++
    /// <c>pdq-photo-hasher</c> tool does. Use to reproduce that tool's output; it is faster on huge images but aliases.
    /// </summary>
    To512,
}

/// <summary>Options for <see cref="PdqImageHasher"/>.</summary>
public sealed record PdqImageOptions
{
    /// <summary>Defaults: full resolution, EXIF orientation honoured, at most 100 megapixels.</summary>
    public static PdqImageOptions Default { get; } = new();

    /// <summary>Scaling convention; <see cref="PdqResize.None"/> by default (see <see cref="PdqResize"/>).</summary>
    public PdqResize Resize { get; init; } = PdqResize.None;

    /// <summary>Rotate/flip the pixels as the EXIF orientation says, so a photo hashes as it is displayed.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>Images whose header declares more pixels than this are refused before any pixel is decoded.</summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Largest decoded buffer (4 bytes a pixel assumed), checked from the header before any pixel is decoded.</summary>
    public long MaxDecodeBytes { get; init; } = 400L * 1024 * 1024;

    /// <summary>Decode JPEGs with the system's libjpeg-turbo when it is installed (same pixels; tests and benchmarks
    /// turn it off to compare with SkiaSharp).</summary>
    internal bool FastJpeg { get; init; } = true;
}

/// <summary>Why an image could not be hashed.</summary>
public enum ImageHashErrorCode
{
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>Not a format the decoder recognises.</summary>
    UnsupportedFormat,
    /// <summary>Recognised, but the data is damaged or cut short.</summary>
    Corrupt,
    /// <summary>The header declares more pixels than <see cref="PdqImageOptions.MaxPixels"/>, or more than <see cref="PdqImageOptions.MaxDecodeBytes"/> would hold.</summary>
    TooLarge,
    /// <summary>The file could not be read.</summary>
    Unreadable,
}

/// <summary>A failure to hash an image: a category to branch on and a message for people.</summary>
public sealed record ImageHashError(ImageHashErrorCode Code, string Message);

/// <summary>Either a value or an <see cref="ImageHashError"/>; expected failures are results, not exceptions.</summary>
public readonly record struct ImageHashResult<T>(T? Value, ImageHashError? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>PDQ over encoded images (JPEG, PNG, GIF first frame, WebP, BMP…) decoded with SkiaSharp.</summary>
public static class PdqImageHasher
{
    public static ImageHashResult<PdqResult> HashFile(string path, PdqImageOptions? options = null) =>
        ReadFile(path, out var bytes, out var error) ? HashBytes(bytes, options) : new(default, error);

    public static ImageHashResult<PdqResult> HashBytes(ReadOnlySpan<byte> encoded, PdqImageOptions? options = null)
    {
        using var image = SkiaImageDecoder.Decode(encoded, options ?? PdqImageOptions.Default, out var error);
        return image is null
            ? new(default, error)
            : new(PdqHasher.Hash(image.Pixels, image.Width, image.Height, image.Format), null);
    }

    public static ImageHashResult<PdqDihedralResult> HashDihedralFile(string path, PdqImageOptions? options = null) =>
        ReadFile(path, out var bytes, out var error) ? HashDihedralBytes(bytes, options) : new(null, error);

    public static ImageHashResult<PdqDihedralResult> HashDihedralBytes(ReadOnlySpan<byte> encoded, PdqImageOptions? options = null)
    {
        using var image = SkiaImageDecoder.Decode(encoded, options ?? PdqImageOptions.Default, out var error);
        return image is null
            ? new(null, error)
            : new(PdqHasher.HashDihedral(image.Pixels, image.Width, image.Height, image.Format), null);
    }

    private static bool ReadFile(string path, out byte[] bytes, out ImageHashError? error)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            bytes = [];
            error = new ImageHashError(ImageHashErrorCode.Unreadable, $"Cannot read '{path}': {e.Message}");
            return false;
        }
    }
}
