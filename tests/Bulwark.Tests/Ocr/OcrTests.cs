using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Ocr;
using Bulwark.Server.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Tests.Ocr;

/// <summary>OCR of rendered images and generated videos through the extractor, with the failures it must survive.</summary>
public sealed class OcrTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-ocr-tests", Guid.NewGuid().ToString("N"));

    public OcrTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs the OCR extractor on files, as the pipeline would after the media were stored.</summary>
    private async Task<PipelineContext> RunAsync(OcrOptions options, params (byte[] Bytes, string? Mime)[] files)
    {
        var store = new FileMediaStore(Path.Combine(_dir, "media"));
        var media = new List<MediaRef>();
        var uploads = new Dictionary<string, StoredMedia>();
        foreach (var (bytes, mime) in files)
        {
            var stored = await store.PutAsync(new MemoryStream(bytes), 1 << 28, default);
            media.Add(new MediaRef { Sha256 = stored.Sha256, MimeType = mime, Part = $"p{media.Count}" });
        }
        var context = new PipelineContext(1, "c1", 1, new ContentEvent { Id = "c1", Kind = "image", Media = media });
        var tesseract = new TesseractOcr(options);
        var extractor = new OcrExtractor(new PipelineMedia(store, null!, new IngestOptions(), TimeProvider.System), new OcrReader(tesseract, new OcrVideo(tesseract)));
        var result = await extractor.ExtractAsync(context, default);
        Assert.True(result.Ok, result.Error);
        return context;
    }

    private static string Words(Signal s) => s.Value!.ToLowerInvariant();

    [Fact]
    public async Task English_and_Italian_sentences_rendered_in_images_are_read_with_their_field_and_confidence()
    {
        TextMedia.RequireOcr();
        var english = TextMedia.Image(["Meet me at the station", "tomorrow morning"]);
        var italian = TextMedia.Image(["Ci vediamo domani", "alla stazione di Milano"], inverted: true, format: SkiaSharp.SKEncodedImageFormat.Jpeg);
        var ctx = await RunAsync(new OcrOptions(), (english, "image/png"), (italian, null));

        var texts = ctx.Signals.Where(s => s.Type == SignalTypes.OcrText).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Equal("ocr:0", texts[0].Labels![0]);
        Assert.Equal("ocr:1", texts[1].Labels![0]);
        foreach (var w in new[] { "meet", "station", "tomorrow", "morning" }) Assert.Contains(w, Words(texts[0]));
        foreach (var w in new[] { "vediamo", "domani", "stazione", "milano" }) Assert.Contains(w, Words(texts[1]));
        Assert.Contains("languages:eng+ita", texts[0].Labels!);
        Assert.Contains(texts[0].Labels!, l => l.StartsWith("confidence:", StringComparison.Ordinal));
        Assert.InRange(texts[0].Score!.Value, 0.6, 1.0);
        Assert.Equal("meet me at the station\ntomorrow morning", Words(texts[0]));
    }

    [Fact]
    public async Task Small_text_is_read_after_upscaling()
    {
        TextMedia.RequireOcr();
        var small = TextMedia.Image(["Burn the city down"], width: 240, height: 40, textSize: 16);
        var ctx = await RunAsync(new OcrOptions(), (small, "image/png"));
        var text = Assert.Single(ctx.Signals, s => s.Type == SignalTypes.OcrText);
        Assert.Contains("burn the city", Words(text));
    }

    [Fact]
    public async Task Images_without_text_give_no_signal()
    {
        TextMedia.RequireOcr();
        var blank = TextMedia.Image([]);
        var shapes = KnownContent.SyntheticMedia.Image(7);
        var ctx = await RunAsync(new OcrOptions(), (blank, "image/png"), (shapes, "image/png"));
        Assert.Empty(ctx.Signals);
    }

    [Fact]
    public async Task A_corrupt_image_is_reported_unreadable_and_the_other_media_are_still_read()
    {
        TextMedia.RequireOcr();
        var good = TextMedia.Image(["Meet me at the station"]);
        var truncatedHeader = good[..20];
        var ctx = await RunAsync(new OcrOptions(), ("not an image at all"u8.ToArray(), "image/png"), (truncatedHeader, "image/png"), (good, "image/png"));
        var failed = ctx.Signals.Where(s => s.Type == SignalTypes.OcrFailed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, f => Assert.Equal("unreadable", f.Labels![0]));
        Assert.Equal(["ocr:0", "ocr:1"], failed.Select(f => f.Value!));
        Assert.StartsWith("media[0] could not be read by OCR: not a recognised image format", failed[0].Explanation);
        Assert.Contains("station", Words(Assert.Single(ctx.Signals, s => s.Type == SignalTypes.OcrText)));
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_is_refused_from_its_header()
    {
        TextMedia.RequireOcr();
        var ctx = await RunAsync(new OcrOptions { MaxPixels = 1000 }, (TextMedia.Image(["Hello"], 100, 100), "image/png"));
        var failed = Assert.Single(ctx.Signals);
        Assert.Equal(SignalTypes.OcrFailed, failed.Type);
        Assert.Equal("too-large", failed.Labels![0]);
        Assert.Contains("100×100 = 10000 pixels; the OCR limit is 1000", failed.Explanation);
    }

    [Fact]
    public async Task Without_tesseract_items_say_OCR_is_unavailable_and_readiness_is_degraded_not_failed()
    {
        var options = new OcrOptions { TesseractPath = "/nonexistent/tesseract" };
        var ctx = await RunAsync(options, (KnownContent.SyntheticMedia.Image(3), "image/png"));
        var failed = Assert.Single(ctx.Signals);
        Assert.Equal(SignalTypes.OcrFailed, failed.Type);
        Assert.Equal("unavailable", failed.Labels![0]);
        Assert.Contains("'tesseract' is not installed", failed.Explanation); // named, but not by its server path
        Assert.DoesNotContain("/nonexistent", failed.Explanation);
        Assert.Contains("tesseract-ocr", failed.Explanation);

        var tesseract = new TesseractOcr(options);
        var health = await new OcrHealthCheck(tesseract, new OcrVideo(tesseract)).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("OCR unavailable: '/nonexistent/tesseract' is not installed", health.Description);
    }

    [Fact]
    public async Task A_language_without_traineddata_makes_OCR_unavailable_with_the_package_to_install()
    {
        TextMedia.RequireOcr();
        var tesseract = new TesseractOcr(new OcrOptions { Languages = "eng+xyz" });
        Assert.False(tesseract.IsAvailable(out var why));
        Assert.Contains("no data for 'xyz'", why);
        Assert.Contains("install tesseract-ocr-xyz", why);
        var health = await new OcrHealthCheck(tesseract, new OcrVideo(tesseract)).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
    }

    [Fact]
    public async Task A_caption_burnt_into_a_video_is_one_signal_per_run_of_frames_showing_it()
    {
        TextMedia.RequireOcr(video: true);
        var path = Path.Combine(_dir, "captions.mp4");
        await TextMedia.CaptionVideoAsync(path, [["Meet me at the station"], [], ["Burn the city down"]], secondsEach: 5);
        var ctx = await RunAsync(new OcrOptions(), (await File.ReadAllBytesAsync(path), "video/mp4"));

        var texts = ctx.Signals.Where(s => s.Type == SignalTypes.OcrText).ToList();
        Assert.True(texts.Count == 2, string.Join(" | ", texts.Select(t => $"{t.Labels![0]} {t.Explanation}: {t.Value}")));
        Assert.Equal("ocr:0@0s", texts[0].Labels![0]);
        Assert.Contains("station", Words(texts[0]));
        Assert.Contains("3 frames from 0 s to 4 s", texts[0].Explanation);
        Assert.Equal("ocr:0@10s", texts[1].Labels![0]);
        Assert.Contains("burn the city", Words(texts[1]));
        Assert.DoesNotContain(ctx.Signals, s => s.Type == SignalTypes.OcrFailed);
    }

    [Fact]
    public async Task A_video_OCR_cannot_decode_is_reported_unreadable()
    {
        TextMedia.RequireOcr(video: true);
        var ctx = await RunAsync(new OcrOptions(), (new byte[4096], "video/mp4"));
        var failed = Assert.Single(ctx.Signals);
        Assert.Equal(SignalTypes.OcrFailed, failed.Type);
        Assert.Equal("unreadable", failed.Labels![0]);
    }

    /// <summary>A stand-in tesseract: answers --list-langs like the real one, then runs <paramref name="body"/> on a picture.</summary>
    private string FakeTesseract(string body)
    {
        var path = Path.Combine(_dir, "fake-tesseract");
        File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages in \"/x/\" (2):'; echo eng; echo ita; exit 0; fi\ncat > /dev/null\n{body}\n");
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("the stand-in tesseract is a shell script");
            return path;
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task A_tesseract_that_hangs_is_stopped_at_the_timeout_and_one_that_fails_is_reported_with_its_message()
    {
        var image = (KnownContent.SyntheticMedia.Image(5, 64, 64), "image/png");
        var hung = await RunAsync(new OcrOptions { TesseractPath = FakeTesseract("sleep 30"), TimeoutSeconds = 1 }, image);
        var timeout = Assert.Single(hung.Signals);
        Assert.Equal((SignalTypes.OcrFailed, "timeout"), (timeout.Type, timeout.Labels![0]));
        Assert.Contains("took longer than 1 s", timeout.Explanation);

        var broken = await RunAsync(new OcrOptions { TesseractPath = FakeTesseract("echo 'Error in pixReadMem: unknown format' >&2; exit 1") }, image);
        var failed = Assert.Single(broken.Signals);
        Assert.Equal("failed", failed.Labels![0]);
        Assert.Contains("tesseract exited with 1: Error in pixReadMem: unknown format", failed.Explanation);
    }

    [Fact]
    public async Task Without_ffmpeg_videos_are_reported_unavailable_while_images_are_still_read()
    {
        TextMedia.RequireOcr();
        var path = Path.Combine(_dir, "v.mp4");
        await File.WriteAllBytesAsync(path, [0, 0, 0, 24, 102, 116, 121, 112]);
        var ctx = await RunAsync(new OcrOptions { FfmpegPath = "/nonexistent/ffmpeg" },
            (TextMedia.Image(["Meet me at the station"]), "image/png"), (await File.ReadAllBytesAsync(path), "video/mp4"));
        Assert.Contains("station", Words(Assert.Single(ctx.Signals, s => s.Type == SignalTypes.OcrText)));
        var failed = Assert.Single(ctx.Signals, s => s.Type == SignalTypes.OcrFailed);
        Assert.Equal(("ocr:1", "unavailable"), (failed.Value, failed.Labels![0]));
        Assert.Contains("'ffmpeg'", failed.Explanation); // named, but not by its server path
        Assert.DoesNotContain("/nonexistent", failed.Explanation);
    }
}
