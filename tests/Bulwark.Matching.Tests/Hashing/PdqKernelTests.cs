using Bulwark.Matching.Hashing;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>The streamed, vectorised kernels must equal the plain transcription of the reference bit for bit.</summary>
public class PdqKernelTests
{
    internal static byte[] RandomImage(Random rng, int width, int height, PdqPixelFormat format, bool smooth)
    {
        var bytes = new byte[width * height * format.BytesPerPixel()];
        if (!smooth)
        {
            rng.NextBytes(bytes);
            return bytes;
        }
        // Gradients plus noise: real-looking images have a non-degenerate DCT, so the median threshold is exercised.
        double fx = rng.NextDouble() * 0.1, fy = rng.NextDouble() * 0.1;
        var bpp = format.BytesPerPixel();
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < bpp; c++)
                    bytes[(y * width + x) * bpp + c] = (byte)Math.Clamp(128 + 100 * Math.Sin(fx * x * (c + 1) + fy * y) + rng.Next(-20, 21), 0, 255);
        return bytes;
    }

    [Property(MaxTest = 60)]
    public bool Streamed_downsample_equals_reference(int seed)
    {
        var rng = new Random(seed);
        // Sizes straddle the 8-row strip, the 8-column vector and the window-size steps (multiples of 128).
        var width = rng.Next(3) == 0 ? rng.Next(5, 24) : rng.Next(5, 700);
        var height = rng.Next(3) == 0 ? rng.Next(5, 24) : rng.Next(5, 700);
        var format = (PdqPixelFormat)rng.Next(4);
        var px = RandomImage(rng, width, height, format, rng.Next(2) == 0);
        var expected = PdqReference.Downsample64(PdqReference.Luma(px, width, height, format), height, width);
        var actual = new float[64 * 64];
        new PdqDownsampler().Downsample(px, width, height, format, actual);
        return expected.AsSpan().SequenceEqual(actual);
    }

    [Property(MaxTest = 30)]
    public bool Hash_and_quality_equal_reference(int seed)
    {
        var rng = new Random(seed);
        int width = rng.Next(5, 400), height = rng.Next(5, 400);
        var format = (PdqPixelFormat)rng.Next(4);
        var px = RandomImage(rng, width, height, format, true);
        var (hash, quality, _) = PdqReference.Hash(px, width, height, format);
        return PdqHasher.Hash(px, width, height, format) == new PdqResult(hash, quality);
    }

    [Property(MaxTest = 50)]
    public bool Vector_dct_equals_scalar_dct(int seed)
    {
        var rng = new Random(seed);
        var a = new float[64 * 64];
        for (var i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 255);
        float[] t1 = new float[1024], t2 = new float[1024], b1 = new float[256], b2 = new float[256];
        PdqDct.Dct64To16(a, t1, b1);
        PdqDct.Dct64To16Scalar(a, t2, b2);
        return b1.AsSpan().SequenceEqual(b2);
    }

    [Fact]
    public void Large_image_equals_reference()
    {
        var rng = new Random(7);
        var px = RandomImage(rng, 1600, 1004, PdqPixelFormat.Rgb24, true);
        var (hash, quality, _) = PdqReference.Hash(px, 1600, 1004, PdqPixelFormat.Rgb24);
        Assert.Equal(new PdqResult(hash, quality), PdqHasher.Hash(px, 1600, 1004, PdqPixelFormat.Rgb24));
    }

    [Property(MaxTest = 20)]
    public bool Dihedral_hashes_equal_hashes_of_transformed_pixels_on_square_images(int seed)
    {
        // A 64×64 image skips blur and decimation, so rotating pixels rotates the DCT input exactly and the sign/transpose
        // rule is exact up to float rounding; allow a few bits for coefficients that sit at the median.
        var rng = new Random(seed);
        const int n = 64;
        var px = RandomImage(rng, n, n, PdqPixelFormat.Gray8, true);
        var all = PdqHasher.HashDihedral(px, n, n, PdqPixelFormat.Gray8);
        var rotated = new byte[n * n];
        for (var y = 0; y < n; y++)
            for (var x = 0; x < n; x++)
                rotated[y * n + x] = px[x * n + (n - 1 - y)]; // 90° anticlockwise
        var direct = PdqHasher.Hash(rotated, n, n, PdqPixelFormat.Gray8).Hash;
        return all[PdqDihedral.Original] == PdqHasher.Hash(px, n, n, PdqPixelFormat.Gray8).Hash
               && all[PdqDihedral.Rotate90].HammingDistance(direct) <= 4;
    }

    [Fact]
    public void Images_smaller_than_5_pixels_hash_to_zero_with_quality_0()
    {
        Assert.Equal(new PdqResult(PdqHash.Zero, 0), PdqHasher.Hash(new byte[4 * 100 * 3], 4, 100, PdqPixelFormat.Rgb24));
        Assert.Equal(0, PdqHasher.HashDihedral(new byte[4 * 100], 100, 4, PdqPixelFormat.Gray8).Quality);
    }

    [Fact]
    public void Short_pixel_buffer_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => PdqHasher.Hash(new byte[10], 10, 10, PdqPixelFormat.Rgb24));

    [Fact]
    public void Hashing_does_not_allocate_in_steady_state()
    {
        var px = RandomImage(new Random(1), 640, 480, PdqPixelFormat.Rgba32, true);
        PdqHasher.Hash(px, 640, 480, PdqPixelFormat.Rgba32);
        var before = GC.GetAllocatedBytesForCurrentThread();
        PdqHasher.Hash(px, 640, 480, PdqPixelFormat.Rgba32);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
