using System.Diagnostics;
using SkiaSharp;

namespace Bulwark.Tests.KnownContent;

/// <summary>Generated test media (never real content): shapes drawn with SkiaSharp, test-pattern videos from ffmpeg.</summary>
public static class SyntheticMedia
{
    /// <summary>A deterministic picture of coloured shapes; <paramref name="seed"/> picks the layout.</summary>
    public static byte[] Image(int seed, int width = 640, int height = 480, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            using var paint = new SKPaint { IsAntialias = true };
            for (var i = 0; i < 12; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(20, width / 3), paint);
            }
        }
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>Decodes and re-encodes an image at another size (a typical re-upload).</summary>
    public static byte[] Resized(byte[] image, int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg)
    {
        using var source = SKBitmap.Decode(image);
        using var resized = source.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear));
        using var data = resized.Encode(format, 85);
        return data.ToArray();
    }

    public static bool FfmpegAvailable => new Bulwark.Matching.Hashing.VpdqHasher().IsAvailable(out _);

    /// <summary>An ffmpeg test-pattern clip (<c>testsrc2</c>, which moves), written to <paramref name="path"/>.</summary>
    public static async Task VideoAsync(string path, string size = "640x360", int seconds = 8, string? extraFilter = null, string source = "testsrc2")
    {
        List<string> args = ["-v", "error", "-y", "-f", "lavfi", "-i", $"{source}=size={size}:rate=25:duration={seconds}"];
        if (extraFilter is not null) args.AddRange(["-vf", extraFilter]);
        args.AddRange(["-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path]);
        await RunAsync(args);
    }

    /// <summary>
    /// <paramref name="clip"/> (640x360) between <paramref name="before"/> and <paramref name="after"/> seconds of a moving
    /// mandelbrot zoom, re-encoded: a longer upload that contains a known clip in its middle.
    /// </summary>
    public static async Task ClipInsideAsync(string clip, string output, int before = 3, int after = 3)
    {
        var filter = $"[0:v]split[m1][m2];[m1]trim=duration={before},setpts=PTS-STARTPTS,format=yuv420p,setsar=1[a];"
            + $"[m2]trim=start={before}:duration={after},setpts=PTS-STARTPTS,format=yuv420p,setsar=1[b];"
            + "[1:v]setpts=PTS-STARTPTS,format=yuv420p,setsar=1[c];[a][c][b]concat=n=3:v=1:a=0[out]";
        await RunAsync(["-v", "error", "-y", "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=25", "-i", clip, "-filter_complex", filter,
            "-map", "[out]", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "30", "-preset", "ultrafast", output]);
    }

    public static async Task ReencodeAsync(string input, string output, string filter)
    {
        await RunAsync(["-v", "error", "-y", "-i", input, "-vf", filter, "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "30", "-preset", "ultrafast", output]);
    }

    private static async Task RunAsync(IEnumerable<string> args)
    {
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", args) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"ffmpeg failed: {err}");
    }
}
