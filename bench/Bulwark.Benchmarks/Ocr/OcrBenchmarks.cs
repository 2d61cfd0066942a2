using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Signals.Ocr;
using SkiaSharp;

namespace Bulwark.Benchmarks.Ocr;

/// <summary>
/// OCR of one 1280×720 frame with two lines of caption text (rendered with SkiaSharp in DejaVu Sans), one tesseract at a
/// time. Baselines in the same run: decoding alone (SkiaSharp + greyscale, what Bulwark adds before tesseract) and the raw
/// tesseract command line on the same PNG file (plain text out, no TSV parse). Needs tesseract with eng+ita and
/// fonts-dejavu-core. Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*OcrBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class OcrBenchmarks
{
    private byte[] _png = [];
    private string _file = "";
    private TesseractOcr _tesseract = null!;
    private OcrOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var bitmap = new SKBitmap(1280, 720);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var background = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(1280, 720),
                [new SKColor(30, 40, 70), new SKColor(90, 60, 40)], SKShaderTileMode.Clamp) };
            canvas.DrawRect(0, 0, 1280, 720, background);
            using var typeface = SKTypeface.FromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
            using var font = new SKFont(typeface, 48);
            using var paint = new SKPaint { IsAntialias = true, Color = SKColors.White };
            canvas.DrawText("Meet me at the station tomorrow", 120, 560, SKTextAlign.Left, font, paint);
            canvas.DrawText("Ci vediamo domani alla stazione", 120, 630, SKTextAlign.Left, font, paint);
        }
        using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)) _png = data.ToArray();
        _file = Path.Combine(Path.GetTempPath(), $"bulwark-ocr-bench-{Environment.ProcessId}.png");
        File.WriteAllBytes(_file, _png);
        _options = new OcrOptions { MaxConcurrent = 1 };
        _tesseract = new TesseractOcr(_options);
        if (!_tesseract.IsAvailable(out var why)) throw new InvalidOperationException(why);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_file);

    [Benchmark(Baseline = true)]
    public int DecodeOnly() => OcrImages.Decode(_png, _options, out _)!.Width;

    [Benchmark]
    public string TesseractCli()
    {
        var psi = new ProcessStartInfo("tesseract", [_file, "stdout", "-l", "eng+ita", "--psm", "11"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_THREAD_LIMIT"] = "1";
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    [Benchmark]
    public async Task<string> BulwarkOcr()
    {
        var image = OcrImages.Decode(_png, _options, out _)!;
        var r = await _tesseract.RecognizeAsync(image, default);
        return r.Value!.Text;
    }
}
