using BenchmarkDotNet.Attributes;
using Bulwark.Matching.Hashing;
using SkiaSharp;

namespace Bulwark.Benchmarks.Hashing;

/// <summary>
/// PDQ on a 1600×1004 photo-sized image. Targets: ≥ 400 hashes/s per core on decoded pixels, ≥ 120/s decode+hash.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*PdqHash*' --job short
/// </summary>
[MemoryDiagnoser]
public class PdqHashBenchmarks
{
    private const int Width = 1600, Height = 1004;
    private byte[] _rgb = [];
    private byte[] _jpeg = [];
    private readonly byte[] _decoded = new byte[Width * Height * 3];

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine($"// libturbojpeg available: {TurboJpeg.IsAvailable}");
        // Smooth gradients plus noise: photo-like content so the JPEG has a realistic size and decode cost.
        var rng = new Random(42);
        _rgb = new byte[Width * Height * 3];
        var rgba = new byte[Width * Height * 4];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                for (var c = 0; c < 3; c++)
                {
                    var v = (byte)Math.Clamp(128 + 90 * Math.Sin(0.01 * x * (c + 1) + 0.013 * y) + rng.Next(-3, 4), 0, 255);
                    _rgb[(y * Width + x) * 3 + c] = v;
                    rgba[(y * Width + x) * 4 + c] = v;
                }
        for (var i = 3; i < rgba.Length; i += 4) rgba[i] = 255;
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        _jpeg = data.ToArray();
        Console.WriteLine($"// JPEG {Width}x{Height} q90: {_jpeg.Length} bytes");
    }

    /// <summary>Decode cost alone, to separate SkiaSharp's share from ours.</summary>
    [Benchmark]
    public int Decode_Jpeg()
    {
        using var bitmap = SKBitmap.Decode(_jpeg);
        return bitmap.Width;
    }

    /// <summary>The same JPEG through the system's libjpeg-turbo (TurboJPEG API) into a reused Rgb24 buffer.</summary>
    [Benchmark]
    public bool Decode_Jpeg_TurboJpeg() => TurboJpeg.TryDecode(_jpeg, Width, Height, gray: false, _decoded);

    /// <summary>The plain transcription of the reference (full-size buffers, strided passes): the baseline.</summary>
    [Benchmark(Baseline = true)]
    public PdqHash Reference_Rgb() => PdqReference.Hash(_rgb, Width, Height, PdqPixelFormat.Rgb24).Hash;

    [Benchmark]
    public PdqResult Hash_Rgb() => PdqHasher.Hash(_rgb, Width, Height, PdqPixelFormat.Rgb24);

    [Benchmark]
    public int HashDihedral_Rgb() => PdqHasher.HashDihedral(_rgb, Width, Height, PdqPixelFormat.Rgb24).Quality;

    /// <summary>Decode + hash through SkiaSharp only (the path used when libturbojpeg is not installed).</summary>
    [Benchmark]
    public PdqResult DecodeAndHash_Jpeg_Skia() => PdqImageHasher.HashBytes(_jpeg, new PdqImageOptions { FastJpeg = false }).Value;

    /// <summary>Decode + hash as shipped: libturbojpeg when installed.</summary>
    [Benchmark]
    public PdqResult DecodeAndHash_Jpeg() => PdqImageHasher.HashBytes(_jpeg).Value;

    [Benchmark]
    public PdqResult DecodeAndHash_Jpeg_To512() => PdqImageHasher.HashBytes(_jpeg, new PdqImageOptions { Resize = PdqResize.To512 }).Value;
}
