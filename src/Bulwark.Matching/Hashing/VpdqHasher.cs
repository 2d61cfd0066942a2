using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bulwark.Matching.Hashing;

/// <summary>Options for <see cref="VpdqHasher"/>.</summary>
public sealed record VpdqOptions
{
    public static VpdqOptions Default { get; } = new();

    /// <summary>The ffmpeg executable (a name on PATH or a path). ffprobe is looked up beside it unless <see cref="FfprobePath"/> is set.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";
    public string? FfprobePath { get; init; }
    /// <summary>Frames sampled per second of video; 0 hashes every decoded frame.</summary>
    public double FramesPerSecond { get; init; } = 1;
    /// <summary>Frames below this PDQ quality are dropped (the reference calls them too weak to act on).</summary>
    public int MinQuality { get; init; } = 50;
    /// <summary>A frame whose hash is within this distance of the previous kept frame is dropped as a duplicate.</summary>
    public int DuplicateDistance { get; init; }
    /// <summary>
    /// Hash frames without their black bars, so letterboxed and pillarboxed copies match the original. Turn off to reproduce
    /// the reference vPDQ output, which hashes whole frames.
    /// </summary>
    public bool TrimBlackBorders { get; init; } = true;
    /// <summary>
    /// When bars were trimmed from any sampled frame, also keep every sampled frame hashed whole, bars included
    /// (<see cref="VpdqResult.UntrimmedFrames"/>): that is what the reference vPDQ and partners' hashes are made of, so a
    /// letterboxed upload still matches a partner's hash of the same file. Costs one more PDQ hash per trimmed frame.
    /// </summary>
    public bool UntrimmedFrames { get; init; } = true;
    /// <summary>
    /// Also hash each kept sample's four halves (<see cref="VpdqRegions"/>), so copies under a large overlay still match.
    /// Costs about two more whole-frame hashes per sampled frame; off reproduces plain vPDQ.
    /// </summary>
    public bool RegionHashes { get; init; } = true;
    /// <summary>Videos whose frames are larger than this (from the header) are refused before decoding.</summary>
    public long MaxPixelsPerFrame { get; init; } = 100_000_000;
    /// <summary>Decoding that takes longer is stopped and reported as <see cref="VideoHashErrorCode.Timeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    internal string ProbePath => FfprobePath ?? (Path.GetDirectoryName(FfmpegPath) is { Length: > 0 } dir ? Path.Combine(dir, "ffprobe") : "ffprobe");
}

public enum VideoHashErrorCode
{
    /// <summary>ffmpeg/ffprobe cannot be run: video hashing is unavailable on this node.</summary>
    Unavailable,
    /// <summary>The file has no video stream (audio only, an image, random bytes ffmpeg still opened…).</summary>
    NoVideoStream,
    /// <summary>The container or stream is damaged or cut short.</summary>
    Corrupt,
    /// <summary>The header declares frames larger than <see cref="VpdqOptions.MaxPixelsPerFrame"/>.</summary>
    TooLarge,
    /// <summary>The file could not be read.</summary>
    Unreadable,
    Timeout,
}

public sealed record VideoHashError(VideoHashErrorCode Code, string Message);

/// <summary>
/// The kept frames of a video (without black bars when trimming is on), their kept halves (empty unless
/// <see cref="VpdqOptions.RegionHashes"/>), the same frames hashed whole with their bars (empty unless bars were trimmed
/// from some frame; see <see cref="VpdqOptions.UntrimmedFrames"/>), and what was decoded to get them.
/// </summary>
public sealed record VpdqResult(IReadOnlyList<VpdqFrame> Frames, int FramesHashed, int Width, int Height, double SourceFrameRate)
{
    public IReadOnlyList<VpdqRegionFrame> Regions { get; init; } = [];
    public IReadOnlyList<VpdqFrame> UntrimmedFrames { get; init; } = [];
}

public readonly record struct VideoHashResult(VpdqResult? Value, VideoHashError? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>
/// vPDQ: ffmpeg decodes (and samples) the frames and pipes them as raw RGB; each frame is PDQ-hashed as it arrives, so
/// decoding and hashing overlap. Frames of low quality and consecutive duplicates are dropped.
/// Expected failures (no ffmpeg, no video stream, damaged file) are results, never exceptions.
/// </summary>
public sealed class VpdqHasher(VpdqOptions? options = null)
{
    public VpdqOptions Options { get; } = options ?? VpdqOptions.Default;
    private string? _unavailable;
    private bool _checked;

    /// <summary>Whether ffmpeg and ffprobe run here; the answer is cached. <paramref name="reason"/> says why not.</summary>
    public bool IsAvailable(out string? reason)
    {
        if (!_checked)
        {
            _unavailable = Check(Options.FfmpegPath) ?? Check(Options.ProbePath);
            _checked = true;
        }
        reason = _unavailable;
        return reason is null;

        static string? Check(string exe)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(exe, ["-version"]) { RedirectStandardOutput = true, RedirectStandardError = true });
                if (p is null) return $"'{exe}' could not be started";
                p.StandardOutput.ReadToEnd();
                p.WaitForExit(10_000);
                return p.ExitCode == 0 ? null : $"'{exe} -version' exited with {p.ExitCode}";
            }
            catch (Win32Exception e) { return $"'{exe}' is not installed or not executable ({e.Message}); install the ffmpeg package or set its path"; }
        }
    }

    public async Task<VideoHashResult> HashFileAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return Fail(VideoHashErrorCode.Unreadable, $"'{path}' does not exist");
        if (new FileInfo(path).Length == 0) return Fail(VideoHashErrorCode.Corrupt, $"'{path}' is empty (0 bytes)");
        if (!IsAvailable(out var why)) return Fail(VideoHashErrorCode.Unavailable, $"video hashing is unavailable: {why}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            var probe = await ProbeAsync(path, timeout.Token);
            if (probe.Error is not null) return new(null, probe.Error);
            var (width, height, fps) = (probe.Width, probe.Height, probe.FrameRate);
            if ((long)width * height > Options.MaxPixelsPerFrame)
                return Fail(VideoHashErrorCode.TooLarge, $"'{path}' has {width}×{height} frames; the limit is {Options.MaxPixelsPerFrame} pixels");
            return await DecodeAndHashAsync(path, width, height, fps, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail(VideoHashErrorCode.Timeout, $"decoding '{path}' took longer than {Options.Timeout.TotalSeconds:F0} s");
        }
    }

    private sealed record Probe(int Width, int Height, double FrameRate, VideoHashError? Error);

    private async Task<Probe> ProbeAsync(string path, CancellationToken ct)
    {
        var (exit, stdout, stderr) = await RunAsync(Options.ProbePath,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate:stream_side_data=rotation", "-of", "default=nw=1", path], ct);
        if (exit != 0)
            return new(0, 0, 0, new(VideoHashErrorCode.Corrupt, $"'{path}' is not a readable video: {FirstLine(stderr) ?? $"ffprobe exited with {exit}"}"));
        var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!values.TryGetValue("width", out var w) || !int.TryParse(w, CultureInfo.InvariantCulture, out var width) || width <= 0
            || !values.TryGetValue("height", out var h) || !int.TryParse(h, CultureInfo.InvariantCulture, out var height) || height <= 0)
            return new(0, 0, 0, new(VideoHashErrorCode.NoVideoStream, $"'{path}' has no video stream"));
        // ffmpeg rotates frames upright by default, so a quarter-turn swaps the output dimensions.
        if (values.TryGetValue("rotation", out var r) && int.TryParse(r, CultureInfo.InvariantCulture, out var rotation) && Math.Abs(rotation) % 180 == 90)
            (width, height) = (height, width);
        var fps = Rate(values.GetValueOrDefault("avg_frame_rate")) is > 0 and var a ? a : Rate(values.GetValueOrDefault("r_frame_rate"));
        return new(width, height, fps, null);

        static double Rate(string? s)
        {
            if (s is null) return 0;
            var parts = s.Split('/');
            return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n)
                && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) && d > 0 ? n / d : 0;
        }
    }

    private async Task<VideoHashResult> DecodeAndHashAsync(string path, int width, int height, double sourceFps, CancellationToken ct)
    {
        // Sampling keeps every step-th decoded frame (select on the frame index) rather than using the fps filter, which
        // retimes and may duplicate frames: kept frames are then exactly source frames, numbered as the reference numbers them.
        var step = Options.FramesPerSecond > 0 && sourceFps > 0 ? Math.Max(1, (int)Math.Round(sourceFps / Options.FramesPerSecond)) : 1;
        List<string> args = ["-nostdin", "-hide_banner", "-v", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn"];
        if (step > 1) args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"select=not(mod(n\\,{step}))")]);
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

        using var process = Start(Options.FfmpegPath, args);
        if (process is null) return Fail(VideoHashErrorCode.Unavailable, $"'{Options.FfmpegPath}' could not be started");
        var stderrTask = ReadLimitedAsync(process.StandardError, ct);
        var frameBytes = width * height * 3;
        var buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
        var scratch = Options.TrimBlackBorders ? ArrayPool<byte>.Shared.Rent(frameBytes) : null;
        var frames = new List<VpdqFrame>();
        var regions = new List<VpdqRegionFrame>();
        var halves = new PdqResult[VpdqRegions.All.Count];
        var previousHalves = new PdqHash?[VpdqRegions.All.Count];
        var hashed = 0;
        PdqHash? previous = null;
        // Untrimmed hashes of every sampled frame, filtered at the end: they are only kept when some frame was trimmed.
        var untrimmed = new List<VpdqFrame>();
        var anyTrimmed = false;
        try
        {
            var stdout = process.StandardOutput.BaseStream;
            while (true)
            {
                var read = await stdout.ReadAtLeastAsync(buffer.AsMemory(0, frameBytes), frameBytes, throwOnEndOfStream: false, ct);
                if (read < frameBytes) break;
                var number = hashed++ * step;
                var time = Math.Round(sourceFps > 0 ? number / sourceFps : number, 3);
                var result = HashFrame(buffer.AsSpan(0, frameBytes), width, height, Options, scratch, halves, out var whole, out var trimmed);
                anyTrimmed |= trimmed;
                if (Options.UntrimmedFrames) untrimmed.Add(new VpdqFrame(number, whole.Quality, whole.Hash, time));
                if (Options.RegionHashes)
                    for (var i = 0; i < halves.Length; i++)
                    {
                        // The same floor and duplicate rule as whole frames, applied to each half on its own.
                        if (halves[i].Quality < Options.MinQuality) continue;
                        if (previousHalves[i] is { } ph && ph.HammingDistance(halves[i].Hash) <= Options.DuplicateDistance) continue;
                        previousHalves[i] = halves[i].Hash;
                        regions.Add(new VpdqRegionFrame(number, VpdqRegions.All[i], halves[i].Quality, halves[i].Hash, time));
                    }
                if (result.Quality < Options.MinQuality) continue;
                if (previous is { } p && p.HammingDistance(result.Hash) <= Options.DuplicateDistance) continue;
                previous = result.Hash;
                frames.Add(new VpdqFrame(number, result.Quality, result.Hash, time));
            }
            await process.WaitForExitAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var stderr = await stderrTask;
        // A damaged or cut-short stream makes the decoder complain even when ffmpeg exits 0 with some frames.
        if (process.ExitCode != 0 || hashed == 0 || LooksDamaged(stderr))
            return Fail(VideoHashErrorCode.Corrupt,
                $"'{path}' could not be fully decoded ({hashed} frame(s) read): {FirstLine(stderr) ?? $"ffmpeg exited with {process.ExitCode}"}");
        return new(new VpdqResult(frames, hashed, width, height, sourceFps)
        {
            Regions = regions,
            UntrimmedFrames = anyTrimmed ? Keep(untrimmed, Options) : [],
        }, null);
    }

    /// <summary>The quality floor and the consecutive-duplicate rule, as applied to the trimmed frames while they arrive.</summary>
    private static List<VpdqFrame> Keep(List<VpdqFrame> sampled, VpdqOptions options)
    {
        var kept = new List<VpdqFrame>();
        PdqHash? previous = null;
        foreach (var f in sampled)
        {
            if (f.Quality < options.MinQuality) continue;
            if (previous is { } p && p.HammingDistance(f.Hash) <= options.DuplicateDistance) continue;
            previous = f.Hash;
            kept.Add(f);
        }
        return kept;
    }

    internal static PdqResult HashFrame(ReadOnlySpan<byte> frame, int width, int height, VpdqOptions options, byte[]? scratch, Span<PdqResult> halves) =>
        HashFrame(frame, width, height, options, scratch, halves, out _, out _);

    /// <summary>
    /// Hashes one raw RGB frame (without its black bars when trimming is on) and, when region hashes are on, its four halves
    /// into <paramref name="halves"/>. Top and bottom halves are row ranges of the packed picture and are hashed in place;
    /// left and right are copied out first. <paramref name="untrimmed"/> is the hash of the whole frame, bars included: the
    /// same hash when nothing was trimmed (<paramref name="trimmed"/> false), else one more PDQ hash when
    /// <see cref="VpdqOptions.UntrimmedFrames"/> is on.
    /// </summary>
    internal static PdqResult HashFrame(ReadOnlySpan<byte> frame, int width, int height, VpdqOptions options, byte[]? scratch, Span<PdqResult> halves,
        out PdqResult untrimmed, out bool trimmed)
    {
        ReadOnlySpan<byte> picture = frame;
        var rect = (X: 0, Y: 0, Width: width, Height: height);
        trimmed = false;
        if (options.TrimBlackBorders)
        {
            rect = VpdqBorders.ContentRect(frame, width, height);
            if (rect.Width != width || rect.Height != height)
            {
                VpdqBorders.Crop(frame, width, rect, scratch);
                picture = scratch.AsSpan(0, rect.Width * rect.Height * 3);
                trimmed = true;
            }
        }
        var (w, h) = (rect.Width, rect.Height);
        var whole = PdqHasher.Hash(picture, w, h, PdqPixelFormat.Rgb24);
        untrimmed = trimmed && options.UntrimmedFrames ? PdqHasher.Hash(frame, width, height, PdqPixelFormat.Rgb24) : whole;
        if (!options.RegionHashes) return whole;

        var top = VpdqRegions.Rect((0, 0, w, h), VpdqRegion.Top);
        halves[0] = PdqHasher.Hash(picture[..(top.Width * top.Height * 3)], top.Width, top.Height, PdqPixelFormat.Rgb24);
        var bottom = VpdqRegions.Rect((0, 0, w, h), VpdqRegion.Bottom);
        halves[1] = PdqHasher.Hash(picture.Slice(bottom.Y * w * 3, bottom.Width * bottom.Height * 3), bottom.Width, bottom.Height, PdqPixelFormat.Rgb24);
        // The halves are cut from the picture, which may itself sit in scratch: copy each into a separate buffer.
        var side = ArrayPool<byte>.Shared.Rent((w - w / 2) * h * 3);
        try
        {
            for (var i = 2; i < 4; i++)
            {
                var r = VpdqRegions.Rect((0, 0, w, h), VpdqRegions.All[i]);
                VpdqBorders.Crop(picture, w, r, side);
                halves[i] = PdqHasher.Hash(side.AsSpan(0, r.Width * r.Height * 3), r.Width, r.Height, PdqPixelFormat.Rgb24);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(side); }
        return whole;
    }

    private static bool LooksDamaged(string stderr) =>
        stderr.Contains("partial file", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Invalid data", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("error while decoding", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("corrupt", StringComparison.OrdinalIgnoreCase);

    private static Process? Start(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = false, UseShellExecute = false,
        };
        try { return Process.Start(psi); }
        catch (Win32Exception) { return null; }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string exe, IEnumerable<string> args, CancellationToken ct)
    {
        using var p = Start(exe, args) ?? throw new Win32Exception($"'{exe}' could not be started");
        try
        {
            var stdout = ReadLimitedAsync(p.StandardOutput, ct);
            var stderr = ReadLimitedAsync(p.StandardError, ct);
            await p.WaitForExitAsync(ct);
            return (p.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Reads a text stream to its end but keeps only the first 16 KB (a broken file can make ffmpeg very chatty).</summary>
    private static async Task<string> ReadLimitedAsync(StreamReader reader, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var chunk = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(chunk, ct)) > 0)
            if (sb.Length < 16_384) sb.Append(chunk, 0, Math.Min(n, 16_384 - sb.Length));
        return sb.ToString();
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static VideoHashResult Fail(VideoHashErrorCode code, string message) => new(null, new VideoHashError(code, message));
}
