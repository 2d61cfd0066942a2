using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Bulwark.Core.Signals.Ocr;

/// <summary>
/// OCR of a video: ffmpeg samples one frame every <see cref="OcrOptions.VideoFrameIntervalSeconds"/> (at most
/// <see cref="OcrOptions.MaxVideoFrames"/>, scaled to fit <see cref="OcrOptions.MaxFrameSide"/>) and pipes them as greyscale
/// PGM, each read by Tesseract as it arrives. Consecutive frames showing the same text (a caption that stays on screen)
/// become one group, so a 30-second caption is one signal, not fifteen.
/// </summary>
public sealed class OcrVideo(TesseractOcr tesseract)
{
    private OcrOptions Options => tesseract.Options;
    private readonly Lazy<string?> _ffmpegMissing = new(() => CheckFfmpeg(tesseract.Options.FfmpegPath));

    /// <summary>Whether frames can be sampled here (ffmpeg runs) and read (tesseract is available).</summary>
    public bool IsAvailable(out string? reason)
    {
        if (!tesseract.IsAvailable(out reason)) return false;
        reason = _ffmpegMissing.Value;
        return reason is null;
    }

    public async Task<OcrVideoResult> RecognizeAsync(string path, CancellationToken ct)
    {
        if (!IsAvailable(out var why)) return new([], 0, new(OcrErrorCode.Unavailable, $"video OCR is unavailable: {why}"), false);
        var o = Options;
        var fps = (1 / o.VideoFrameIntervalSeconds).ToString("0.######", CultureInfo.InvariantCulture);
        var side = o.MaxFrameSide.ToString(CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo(o.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-v", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", $"fps={fps},scale=w='min(iw,{side})':h='min(ih,{side})':force_original_aspect_ratio=decrease,format=gray",
            "-frames:v", o.MaxVideoFrames.ToString(CultureInfo.InvariantCulture), "-f", "image2pipe", "-c:v", "pgm", "pipe:1",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process? p;
        try { p = Process.Start(psi); }
        catch (Win32Exception e) { return new([], 0, new(OcrErrorCode.Unavailable, $"'{o.FfmpegPath}' could not be started ({e.Message})"), false); }
        if (p is null) return new([], 0, new(OcrErrorCode.Unavailable, $"'{o.FfmpegPath}' could not be started"), false);

        using var process = p;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.VideoTimeoutSeconds));
        var stderr = TesseractOcr.ReadLimitedAsync(process.StandardError, 16_384, timeout.Token);
        var groups = new List<OcrFrameText>();
        var frames = 0;
        try
        {
            var reader = new PgmStreamReader(new BufferedStream(process.StandardOutput.BaseStream, 1 << 16), o.MaxPixels);
            while (await reader.ReadAsync(timeout.Token) is { } frame)
            {
                var at = Math.Round(frames * o.VideoFrameIntervalSeconds, 3);
                frames++;
                var r = await tesseract.RecognizeAsync(frame, timeout.Token);
                if (!r.IsSuccess) return new(groups, frames, r.Error, groups.Count > 0);
                Add(groups, at, r.Value!, o.VideoFrameIntervalSeconds);
            }
            await process.WaitForExitAsync(timeout.Token);
            var err = await stderr;
            if (process.ExitCode != 0 || frames == 0)
            {
                var message = $"the video could not be decoded ({frames} frame(s) read): {TesseractOcr.FirstLine(err) ?? $"ffmpeg exited with {process.ExitCode}"}";
                return new(groups, frames, new(OcrErrorCode.Unreadable, message), groups.Count > 0);
            }
            return new(groups, frames, null, false);
        }
        catch (InvalidDataException e)
        {
            return new(groups, frames, new(OcrErrorCode.Unreadable, $"ffmpeg's frame stream was not valid PGM: {e.Message}"), groups.Count > 0);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(groups, frames, new(OcrErrorCode.Timeout, $"video OCR took longer than {o.VideoTimeoutSeconds} s ({frames} frame(s) read)"), groups.Count > 0);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// A frame continues the previous group when its text is the same up to OCR noise (case, spacing and at most a fifth of
    /// the words differing); the group keeps the reading with the higher confidence. Frames without text end a group.
    /// </summary>
    internal static void Add(List<OcrFrameText> groups, double at, OcrText text, double interval)
    {
        if (text.IsEmpty) return;
        if (groups.Count > 0 && groups[^1] is var last && at - last.EndSeconds <= interval * 1.5 && SameText(last.Text.Text, text.Text))
        {
            groups[^1] = last with { EndSeconds = at, Frames = last.Frames + 1, Text = text.Confidence > last.Text.Confidence ? text : last.Text };
            return;
        }
        groups.Add(new OcrFrameText(at, at, 1, text));
    }

    internal static bool SameText(string a, string b)
    {
        var wa = Words(a);
        var wb = Words(b);
        if (wa.Count == 0 || wb.Count == 0) return wa.Count == wb.Count;
        var common = wa.Intersect(wb).Count();
        return common >= 0.8 * Math.Max(wa.Count, wb.Count);

        static HashSet<string> Words(string s) =>
            s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    private static string? CheckFfmpeg(string exe)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, ["-version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null) return $"'{exe}' could not be started";
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return $"'{exe} -version' did not answer within 10 s"; }
            return p.ExitCode == 0 ? null : $"'{exe} -version' exited with {p.ExitCode}";
        }
        catch (Win32Exception e) { return $"'{exe}' is not installed or not executable ({e.Message}); install the ffmpeg package or set Bulwark:Ocr:FfmpegPath"; }
    }
}

/// <summary>Reads binary PGM (P5, 8-bit) pictures one after another from a stream, as ffmpeg's image2pipe writes them.</summary>
internal sealed class PgmStreamReader(Stream stream, long maxPixels)
{
    private readonly byte[] _one = new byte[1];

    public async Task<GrayImage?> ReadAsync(CancellationToken ct)
    {
        var magic = await TokenAsync(ct, allowEnd: true);
        if (magic is null) return null;
        if (magic != "P5") throw new InvalidDataException($"expected a P5 header, got '{magic}'");
        var width = Number(await TokenAsync(ct, false));
        var height = Number(await TokenAsync(ct, false));
        var max = Number(await TokenAsync(ct, false));
        if (max is < 1 or > 255) throw new InvalidDataException($"only 8-bit PGM is read (maxval {max})");
        if ((long)width * height > maxPixels) throw new InvalidDataException($"a {width}×{height} frame is larger than {maxPixels} pixels");
        var pixels = new byte[width * height];
        await stream.ReadExactlyAsync(pixels, ct);
        return new GrayImage(pixels, width, height);
    }

    private static int Number(string? token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new InvalidDataException($"'{token}' is not a PGM dimension");

    /// <summary>The next whitespace-delimited header token; the single whitespace byte after it is consumed too, as PGM requires.</summary>
    private async Task<string?> TokenAsync(CancellationToken ct, bool allowEnd)
    {
        var chars = new List<char>(8);
        while (true)
        {
            if (await stream.ReadAsync(_one, ct) == 0)
            {
                if (chars.Count == 0 && allowEnd) return null;
                throw new InvalidDataException("the stream ended inside a PGM header");
            }
            var c = (char)_one[0];
            if (char.IsWhiteSpace(c)) { if (chars.Count > 0) return new string([.. chars]); continue; }
            if (c == '#' && chars.Count == 0) { await SkipCommentAsync(ct); continue; }
            if (chars.Count > 16) throw new InvalidDataException("a PGM header token is too long");
            chars.Add(c);
        }
    }

    private async Task SkipCommentAsync(CancellationToken ct)
    {
        while (await stream.ReadAsync(_one, ct) > 0 && _one[0] != '\n') { }
    }
}
