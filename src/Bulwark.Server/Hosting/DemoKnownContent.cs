using System.Diagnostics;
using Bulwark.Core.Ingest;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;
using SkiaSharp;

namespace Bulwark.Server.Hosting;

/// <summary>
/// The known-content part of the demo: a perceptual bank seeded from a generated picture and a generated test-pattern video,
/// then re-uploads of both — resized and re-encoded, so their bytes differ — ingested for the pipeline to catch, and a copy
/// of the video under an opaque box over a quarter of the picture (as a re-uploader's sticker), caught by its region hashes.
/// Without ffmpeg the video half is skipped with a message (video hashing is then reported unavailable).
/// </summary>
public sealed class DemoKnownContent(BankService banks, MediaHasher hasher, IngestService ingest, IMediaStore media, IngestOptions options, KnownContentOptions known, ILogger<DemoKnownContent> log)
{
    public const string BankName = "demo-known";
    public const string ImageItem = "demo-image-reupload";
    public const string VideoItem = "demo-video-reupload";
    public const string CoveredVideoItem = "demo-video-covered";

    public async Task SeedAsync(CancellationToken ct)
    {
        await banks.CreateBankAsync(BankName, new BankSettings("DEMO: synthetic perceptual hash list (generated picture and test-pattern video, not real content)"), "demo", ct);
        var work = Directory.CreateTempSubdirectory("bulwark-demo").FullName;
        try
        {
            var picture = Picture(1280, 720);
            var pictureFile = Path.Combine(work, "banner.png");
            await File.WriteAllBytesAsync(pictureFile, picture, ct);
            var entries = new List<NewEntry>();
            var pictureHash = await hasher.HashFileAsync(pictureFile, "image/png", false, ct);
            entries.Add(new NewEntry(KnownSignalTypes.Pdq, pictureHash.Pdq!.Value.Hash.ToString(),
                [BehaviourLabels.Glorification, "demo"], "DEMO Synthetic Group (not a real organisation)", "internal", pictureHash.Pdq.Value.Quality));

            string? reencoded = null, covered = null;
            if (hasher.VideoAvailable(out var why))
            {
                var clip = Path.Combine(work, "clip.mp4");
                reencoded = Path.Combine(work, "reupload.mp4");
                covered = Path.Combine(work, "covered.mp4");
                await FfmpegAsync(known.FfmpegPath, ct, "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=12", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", clip);
                await FfmpegAsync(known.FfmpegPath, ct, "-i", clip, "-vf", "scale=640:360", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "32", "-preset", "veryfast", reencoded);
                await FfmpegAsync(known.FfmpegPath, ct, "-i", clip, "-vf", "drawbox=x=iw/2:y=0:w=iw/2:h=ih/2:color=0xd02090@1:t=fill,scale=640:360",
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "30", "-preset", "veryfast", covered);
                var clipHash = await hasher.HashFileAsync(clip, "video/mp4", false, ct);
                if (clipHash.Vpdq is { Count: > 0 } frames)
                    entries.Add(new NewEntry(KnownSignalTypes.Vpdq, KnownSignalTypes.VpdqEntryValue(clipHash),
                        [BehaviourLabels.PerpetratorProduced, "demo"], "DEMO Synthetic Group (not a real organisation)", "internal"));
            }
            else log.LogWarning("Demo: video part skipped, {Reason}", why);
            await banks.AddEntriesAsync(BankName, entries, skipInvalid: false, "demo", ct);

            // The re-uploads: the picture scaled down and saved as JPEG, the clip scaled and re-encoded at a lower quality.
            await IngestAsync(ImageItem, "image", "reupload.jpg", "image/jpeg", Reencoded(picture, 480, 270), "DEMO: a resized, re-encoded copy of a picture on the demo hash list", ct);
            if (reencoded is not null)
                await IngestAsync(VideoItem, "video", "reupload.mp4", "video/mp4", await File.ReadAllBytesAsync(reencoded, ct), "DEMO: a scaled, re-encoded copy of a video on the demo hash list", ct);
            if (covered is not null && known.VideoRegionHashes)
                await IngestAsync(CoveredVideoItem, "video", "covered.mp4", "video/mp4", await File.ReadAllBytesAsync(covered, ct), "DEMO: a copy of a video on the demo hash list with a box over a quarter of the picture", ct);
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    private async Task IngestAsync(string id, string kind, string part, string mime, byte[] bytes, string text, CancellationToken ct)
    {
        var stored = await media.PutAsync(new MemoryStream(bytes), options.MaxMediaBytes(mime), ct);
        await ingest.AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = kind, Account = new AccountRef { Id = "demo-acct-2", Handle = "demo_reuploader" }, Text = text, Language = "en",
            Media = [new MediaRef { Part = part, MimeType = mime }], Source = new EventSource { Type = "upload" },
        }, new Dictionary<string, StoredMedia> { [part] = new(part, stored.Sha256!, stored.Size, mime) }, ct);
    }

    /// <summary>A deterministic synthetic picture: gradients, shapes and the word DEMO.</summary>
    internal static byte[] Picture(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var paint = new SKPaint { IsAntialias = true };
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(20, 40, 90), new SKColor(200, 120, 40)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            var random = new Random(2026);
            for (var i = 0; i < 9; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(40, height / 3), paint);
            }
            paint.Color = SKColors.White;
            using var font = new SKFont(SKTypeface.Default, height / 4f);
            canvas.DrawText("DEMO", width * 0.3f, height * 0.6f, font, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    internal static byte[] Reencoded(byte[] image, int width, int height)
    {
        using var source = SKBitmap.Decode(image);
        using var resized = source.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear));
        using var data = resized.Encode(SKEncodedImageFormat.Jpeg, 70);
        return data.ToArray();
    }

    private static async Task FfmpegAsync(string ffmpeg, CancellationToken ct, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(ffmpeg, ["-v", "error", "-y", .. args]) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed while generating the demo video: {err}");
    }
}
