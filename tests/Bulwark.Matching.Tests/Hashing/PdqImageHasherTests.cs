using System.Buffers.Binary;
using Bulwark.Matching.Hashing;
using SkiaSharp;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>Bad input comes back as a typed error, never as an escaping exception.</summary>
public class PdqImageHasherTests
{
    internal static byte[] EncodeJpeg(int width, int height, int seed = 1)
    {
        var px = PdqKernelTests.RandomImage(new Random(seed), width, height, PdqPixelFormat.Rgba32, true);
        for (var i = 3; i < px.Length; i += 4) px[i] = 255;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(px, 0, bitmap.GetPixels(), px.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    [Fact]
    public void Zero_bytes() => AssertError(PdqImageHasher.HashBytes([]), ImageHashErrorCode.Empty);

    [Fact]
    public void Random_bytes()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        AssertError(PdqImageHasher.HashBytes(bytes), ImageHashErrorCode.UnsupportedFormat);
    }

    [Fact]
    public void Truncated_jpeg()
    {
        var jpeg = EncodeJpeg(320, 240);
        Assert.True(PdqImageHasher.HashBytes(jpeg).IsSuccess);
        AssertError(PdqImageHasher.HashBytes(jpeg.AsSpan(0, jpeg.Length / 2)), ImageHashErrorCode.Corrupt);
        var headerOnly = PdqImageHasher.HashBytes(jpeg.AsSpan(0, 20));
        Assert.False(headerOnly.IsSuccess);
    }

    [Fact]
    public void Header_claiming_huge_dimensions_is_refused_before_decoding()
    {
        var png = PngHeaderOnly(40_000, 30_000);
        var result = PdqImageHasher.HashBytes(png);
        AssertError(result, ImageHashErrorCode.TooLarge);
        Assert.Contains("40000×30000", result.Error!.Message);
        // The limit is an option.
        AssertError(PdqImageHasher.HashBytes(EncodeJpeg(200, 100), new PdqImageOptions { MaxPixels = 19_999 }), ImageHashErrorCode.TooLarge);
    }

    [Fact]
    public void Missing_file_is_unreadable() =>
        AssertError(PdqImageHasher.HashFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".jpg")), ImageHashErrorCode.Unreadable);

    [Fact]
    public void Resize_to_512_only_touches_images_larger_than_512()
    {
        var small = EncodeJpeg(300, 200);
        Assert.Equal(PdqImageHasher.HashBytes(small).Value, PdqImageHasher.HashBytes(small, new PdqImageOptions { Resize = PdqResize.To512 }).Value);
        var large = EncodeJpeg(1600, 1004);
        var full = PdqImageHasher.HashBytes(large).Value.Hash;
        var resized = PdqImageHasher.HashBytes(large, new PdqImageOptions { Resize = PdqResize.To512 }).Value.Hash;
        Assert.True(full.HammingDistance(resized) <= 20, $"distance {full.HammingDistance(resized)}");
    }

    private static void AssertError<T>(ImageHashResult<T> result, ImageHashErrorCode code)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    /// <summary>A valid PNG signature and IHDR (with CRC) declaring the given size, then a token IDAT and IEND.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32(typed));
        s.Write(buf);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
