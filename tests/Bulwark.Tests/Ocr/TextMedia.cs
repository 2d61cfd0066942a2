using System.Diagnostics;
using Bulwark.Core.Signals.Ocr;
using Bulwark.Tests.Infrastructure;
using SkiaSharp;

namespace Bulwark.Tests.Ocr;

/// <summary>Test pictures and videos with text the tests write themselves, rendered in DejaVu Sans (Debian's fonts-dejavu-core).</summary>
public static class TextMedia
{
    public const string FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Skips an OCR test when tesseract (with eng+ita) or the font is missing, or fails it under BULWARK_REQUIRE_SERVICES=1.</summary>
    public static void RequireOcr(bool video = false)
    {
        string? why = null;
        var options = new OcrOptions();
        var tesseract = new TesseractOcr(options);
        if (!tesseract.IsAvailable(out var t)) why = t;
        else if (video && !new OcrVideo(tesseract).IsAvailable(out var v)) why = v;
        else if (!File.Exists(FontPath)) why = $"the font {FontPath} is missing (package fonts-dejavu-core)";
        if (why is null) return;
        if (TestDatabase.ServicesRequired) Assert.Fail($"BULWARK_REQUIRE_SERVICES=1 but OCR tests cannot run: {why}");
        Assert.Skip($"OCR not available: {why} (./test.sh installs tesseract-ocr, tesseract-ocr-eng, tesseract-ocr-ita and fonts-dejavu-core).");
    }

    /// <summary>Lines of dark text on a light background (or light on dark), centred, PNG-encoded.</summary>
    public static byte[] Image(string[] lines, int width = 1280, int height = 720, float textSize = 56, bool inverted = false, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = Render(lines, width, height, textSize, inverted);
        using var data = bitmap.Encode(format, 95);
        return data.ToArray();
    }

    public static SKBitmap Render(string[] lines, int width, int height, float textSize, bool inverted = false)
    {
        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        // A soft gradient, not a flat page: closer to a video frame than a scanned document.
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                inverted ? [new SKColor(20, 30, 60), new SKColor(60, 20, 40)] : [new SKColor(235, 240, 250), new SKColor(250, 235, 220)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }
        using var typeface = SKTypeface.FromFile(FontPath);
        using var font = new SKFont(typeface, textSize);
        using var paint = new SKPaint { IsAntialias = true, Color = inverted ? SKColors.White : new SKColor(20, 20, 20) };
        var lineHeight = textSize * 1.4f;
        var top = (height - lineHeight * lines.Length) / 2 + textSize;
        for (var i = 0; i < lines.Length; i++)
        {
            var w = font.MeasureText(lines[i]);
            canvas.DrawText(lines[i], (width - w) / 2, top + i * lineHeight, SKTextAlign.Left, font, paint);
        }
        return bitmap;
    }

    /// <summary>A video made of still captions, each shown for <paramref name="secondsEach"/> seconds (H.264, 25 fps).</summary>
    public static async Task CaptionVideoAsync(string path, string[][] captions, int secondsEach, int width = 640, int height = 360)
    {
        var dir = Path.GetDirectoryName(path)!;
        List<string> args = ["-v", "error", "-y"];
        for (var i = 0; i < captions.Length; i++)
        {
            var png = Path.Combine(dir, $"caption{i}.png");
            await File.WriteAllBytesAsync(png, Image(captions[i], width, height, 40));
            args.AddRange(["-loop", "1", "-framerate", "25", "-t", secondsEach.ToString(), "-i", png]);
        }
        var inputs = string.Concat(Enumerable.Range(0, captions.Length).Select(i => $"[{i}:v]"));
        args.AddRange(["-filter_complex", $"{inputs}concat=n={captions.Length}:v=1:a=0,format=yuv420p[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", path]);
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", args) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"ffmpeg failed: {err}");
    }
}
