namespace Bulwark.Matching.Hashing;

/// <summary>Layout of the pixel bytes handed to <see cref="PdqHasher"/>; rows are tightly packed, top row first.</summary>
public enum PdqPixelFormat
{
    /// <summary>3 bytes per pixel: R, G, B.</summary>
    Rgb24,
    /// <summary>4 bytes per pixel: R, G, B, A (alpha ignored, as the reference ignores extra channels).</summary>
    Rgba32,
    /// <summary>4 bytes per pixel: B, G, R, A (alpha ignored).</summary>
    Bgra32,
    /// <summary>1 byte per pixel, used directly as luminance (the reference's greyscale path).</summary>
    Gray8,
}

/// <summary>The eight rotations and flips, in the reference's order.</summary>
public enum PdqDihedral
{
    Original, Rotate90, Rotate180, Rotate270, FlipX, FlipY, FlipPlus1, FlipMinus1,
}

/// <summary>A PDQ hash with its quality (0–100; below 50 the reference calls the hash too weak to act on).</summary>
public readonly record struct PdqResult(PdqHash Hash, int Quality);

/// <summary>The hashes of all eight dihedral variants of one image (index with <see cref="PdqDihedral"/>) and the shared quality.</summary>
public sealed class PdqDihedralResult
{
    private readonly PdqHash[] _hashes;

    internal PdqDihedralResult(PdqHash[] hashes, int quality)
    {
        _hashes = hashes;
        Quality = quality;
    }

    /// <summary>Quality of the image (identical for every variant).</summary>
    public int Quality { get; }

    /// <summary>The hash the image would have after applying <paramref name="variant"/> to its pixels.</summary>
    public PdqHash this[PdqDihedral variant] => _hashes[(int)variant];

    /// <summary>All eight, in <see cref="PdqDihedral"/> order.</summary>
    public IReadOnlyList<PdqHash> All => _hashes;
}

internal static class PdqPixelFormatExtensions
{
    public static int BytesPerPixel(this PdqPixelFormat format) => format switch
    {
        PdqPixelFormat.Rgb24 => 3,
        PdqPixelFormat.Rgba32 or PdqPixelFormat.Bgra32 => 4,
        PdqPixelFormat.Gray8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
