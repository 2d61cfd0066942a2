using System.Runtime.InteropServices;

namespace Bulwark.Matching.Hashing;

/// <summary>
/// Optional JPEG fast path: the system's libjpeg-turbo through its TurboJPEG API (Debian package <c>libturbojpeg0</c>),
/// loaded at run time. SkiaSharp's bundled libjpeg-turbo is built without its SIMD kernels, so the system library
/// decodes the same pixels several times faster (figures in docs/matching-notes-pdq.md). When the library is missing,
/// or refuses a file, the caller decodes with SkiaSharp as before.
/// <para>
/// Output must equal SkiaSharp's: the accurate integer IDCT and fancy upsampling (both libraries' defaults), no colour
/// management. A property test compares the two on random images; the conformance tests run through this path.
/// </para>
/// </summary>
internal static unsafe class TurboJpeg
{
    // turbojpeg.h (libjpeg-turbo 2.x): pixel formats, colour spaces, flags.
    private const int PixelRgb = 0, PixelGray = 6;
    private const int ColorspaceRgb = 0, ColorspaceYCbCr = 1, ColorspaceGray = 2;
    private const int FlagAccurateDct = 4096, FlagStopOnWarning = 8192;

    private static readonly delegate* unmanaged<nint> InitDecompress;
    private static readonly delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2;

    [ThreadStatic] private static nint _handle;

    /// <summary>False when libturbojpeg is not installed or <c>BULWARK_TURBOJPEG=0</c> is set.</summary>
    public static bool IsAvailable { get; }

    static TurboJpeg()
    {
        if (Environment.GetEnvironmentVariable("BULWARK_TURBOJPEG") == "0") return;
        foreach (var name in new[] { "libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "turbojpeg" })
        {
            if (!NativeLibrary.TryLoad(name, out var lib)) continue;
            if (!NativeLibrary.TryGetExport(lib, "tjInitDecompress", out var init)
                || !NativeLibrary.TryGetExport(lib, "tjDecompressHeader3", out var header)
                || !NativeLibrary.TryGetExport(lib, "tjDecompress2", out var decompress)) continue;
            InitDecompress = (delegate* unmanaged<nint>)init;
            DecompressHeader3 = (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)header;
            Decompress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)decompress;
            IsAvailable = true;
            return;
        }
    }

    /// <summary>
    /// Decodes a baseline or progressive JPEG of the given size into <paramref name="pixels"/> (Rgb24, or Gray8 when
    /// <paramref name="gray"/>, which must match whether the file is greyscale). False — and the caller falls back — on
    /// any error or warning (truncated data, CMYK, a size that disagrees with <paramref name="width"/>×<paramref name="height"/>).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, int width, int height, bool gray, Span<byte> pixels)
    {
        if (!IsAvailable) return false;
        if (_handle == 0 && (_handle = InitDecompress()) == 0) return false;
        if (pixels.Length < (long)width * height * (gray ? 1 : 3)) return false;
        fixed (byte* src = jpeg)
        fixed (byte* dst = pixels)
        {
            int w, h, subsampling, colorspace;
            if (DecompressHeader3(_handle, src, (nuint)jpeg.Length, &w, &h, &subsampling, &colorspace) != 0) return false;
            if (w != width || h != height) return false;
            if (gray ? colorspace != ColorspaceGray : colorspace is not (ColorspaceYCbCr or ColorspaceRgb)) return false;
            return Decompress2(_handle, src, (nuint)jpeg.Length, dst, width, width * (gray ? 1 : 3), height,
                gray ? PixelGray : PixelRgb, FlagAccurateDct | FlagStopOnWarning) == 0;
        }
    }
}
