using Bulwark.Matching.Hashing;
using FsCheck.Xunit;
using SkiaSharp;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>The libjpeg-turbo fast path must hand back exactly SkiaSharp's pixels, and refuse what it cannot decode.</summary>
public class TurboJpegTests
{
    private static readonly PdqImageOptions SkiaOnly = new() { FastJpeg = false, ApplyExifOrientation = false };
    private static readonly PdqImageOptions Fast = new() { ApplyExifOrientation = false };

    [Fact]
    public void The_fast_path_is_installed() =>
        Assert.SkipUnless(TurboJpeg.IsAvailable, "libturbojpeg0 is not installed (./test.sh installs it): JPEGs decode through SkiaSharp only");

    private static byte[] Encode(Random rng, int width, int height, bool gray, int quality, SKJpegEncoderDownsample downsample)
    {
        var px = PdqKernelTests.RandomImage(rng, width, height, gray ? PdqPixelFormat.Gray8 : PdqPixelFormat.Rgba32, rng.Next(4) != 0);
        if (!gray) for (var i = 3; i < px.Length; i += 4) px[i] = 255;
        var info = new SKImageInfo(width, height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(px, 0, bitmap.GetPixels(), px.Length);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, downsample, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("SkiaSharp did not encode the test image.");
        return data.ToArray();
    }

    /// <summary>Random sizes (odd ones: partial MCUs), content, quality, chroma subsampling, colour or grey.</summary>
    [Property(MaxTest = 60)]
    public bool Fast_decode_equals_SkiaSharp_pixel_for_pixel(int seed)
    {
        if (!TurboJpeg.IsAvailable) return true;
        var rng = new Random(seed);
        var gray = rng.Next(4) == 0;
        SKJpegEncoderDownsample[] modes = [SKJpegEncoderDownsample.Downsample420, SKJpegEncoderDownsample.Downsample422, SKJpegEncoderDownsample.Downsample444];
        var jpeg = Encode(rng, rng.Next(1, 260), rng.Next(1, 260), gray, rng.Next(20, 101), modes[rng.Next(3)]);
        using var reference = SkiaImageDecoder.Decode(jpeg, SkiaOnly, out _)!;
        using var fast = SkiaImageDecoder.Decode(jpeg, Fast, out _)!;
        Assert.Equal(gray ? PdqPixelFormat.Gray8 : PdqPixelFormat.Rgba32, reference.Format);
        Assert.Equal(gray ? PdqPixelFormat.Gray8 : PdqPixelFormat.Rgb24, fast.Format);
        if (gray) return reference.Pixels.SequenceEqual(fast.Pixels);
        var r = reference.Pixels;
        var f = fast.Pixels;
        for (int i = 0, j = 0; j < f.Length; i += 4, j += 3)
            if (r[i] != f[j] || r[i + 1] != f[j + 1] || r[i + 2] != f[j + 2]) return false;
        return true;
    }

    [Fact]
    public void Truncated_or_foreign_data_is_refused_so_SkiaSharp_names_the_error()
    {
        Assert.SkipUnless(TurboJpeg.IsAvailable, "libturbojpeg0 is not installed");
        var jpeg = PdqImageHasherTests.EncodeJpeg(320, 240);
        var pixels = new byte[320 * 240 * 3];
        Assert.True(TurboJpeg.TryDecode(jpeg, 320, 240, gray: false, pixels));
        Assert.False(TurboJpeg.TryDecode(jpeg.AsSpan(0, jpeg.Length / 2), 320, 240, gray: false, pixels));
        Assert.False(TurboJpeg.TryDecode(jpeg, 321, 240, gray: false, pixels)); // size disagrees with the header
        Assert.False(TurboJpeg.TryDecode(jpeg, 320, 240, gray: true, pixels));  // a colour file asked for as grey
        Assert.False(TurboJpeg.TryDecode(jpeg, 320, 240, gray: false, pixels.AsSpan(1)));
        var png = new byte[64];
        Assert.False(TurboJpeg.TryDecode(png, 8, 8, gray: false, pixels));
    }

    [Fact]
    public void Hashes_of_the_shared_test_photos_do_not_depend_on_the_decoder()
    {
        Assert.SkipUnless(TurboJpeg.IsAvailable, "libturbojpeg0 is not installed");
        var jpegs = Directory.EnumerateFiles(TestData.Path("pdq"), "*.jp*g", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(jpegs);
        foreach (var path in jpegs)
        {
            var bytes = File.ReadAllBytes(path);
            var skia = PdqImageHasher.HashBytes(bytes, new PdqImageOptions { FastJpeg = false });
            var fast = PdqImageHasher.HashBytes(bytes);
            Assert.Equal(skia.Error?.Code, fast.Error?.Code);
            Assert.True(skia.Value == fast.Value, $"{Path.GetFileName(path)}: {skia.Value} vs {fast.Value}");
        }
    }
}
