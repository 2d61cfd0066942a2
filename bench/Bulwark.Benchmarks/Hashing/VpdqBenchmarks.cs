using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Bulwark.Matching.Hashing;

namespace Bulwark.Benchmarks.Hashing;

/// <summary>
/// vPDQ of a 60-second 1280×720 clip at 1 frame/s against ffmpeg's own decode of the same clip (the baseline).
/// Target: within 1.5× of the decode. The clip is generated (ffmpeg testsrc2, libx264) in the setup. Region hashes (each
/// sampled frame's four halves, on by default) are measured beside plain whole-frame vPDQ.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*Vpdq*' --job short
/// </summary>
public class VpdqBenchmarks
{
    private string _clip = "";

    [GlobalSetup]
    public void Setup()
    {
        _clip = Path.Combine(Path.GetTempPath(), "bulwark-bench-720p-60s.mp4");
        if (!File.Exists(_clip))
            Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=60",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", _clip);
    }

    [Benchmark(Baseline = true)]
    public void FfmpegDecodeOnly() => Run("ffmpeg", "-nostdin", "-v", "error", "-i", _clip, "-map", "0:v:0", "-f", "null", "-");

    /// <summary>The default: whole frames and their halves.</summary>
    [Benchmark]
    public int Vpdq_1fps() => Hash(new VpdqOptions());

    /// <summary>Plain vPDQ: whole frames only.</summary>
    [Benchmark]
    public int Vpdq_1fps_WholeFramesOnly() => Hash(new VpdqOptions { RegionHashes = false });

    private int Hash(VpdqOptions options)
    {
        var r = new VpdqHasher(options).HashFileAsync(_clip).GetAwaiter().GetResult();
        if (!r.IsSuccess) throw new InvalidOperationException(r.Error!.Message);
        return r.Value!.Frames.Count + r.Value.Regions.Count;
    }

    private static void Run(string exe, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException(err);
    }
}

/// <summary>
/// vPDQ of a letterboxed 60-second 1280×720 clip (a 1280×544 picture between black bars), where every sampled frame is
/// trimmed and therefore also hashed whole with its bars (the untrimmed frames that match partners' hashes), against
/// ffmpeg's own decode of the same clip. Target: within 1.5× of the decode, as for the clip without bars.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*VpdqLetterbox*' --job short
/// </summary>
public class VpdqLetterboxBenchmarks
{
    private string _clip = "";

    [GlobalSetup]
    public void Setup()
    {
        _clip = Path.Combine(Path.GetTempPath(), "bulwark-bench-720p-60s-letterbox.mp4");
        if (!File.Exists(_clip))
            Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x544:rate=30:duration=60",
                "-vf", "pad=1280:720:0:88:black", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", _clip);
    }

    [Benchmark(Baseline = true)]
    public void FfmpegDecodeOnly() => Run("ffmpeg", "-nostdin", "-v", "error", "-i", _clip, "-map", "0:v:0", "-f", "null", "-");

    /// <summary>The default: trimmed frames, their halves, and the untrimmed frames.</summary>
    [Benchmark]
    public int Vpdq_1fps() => Hash(new VpdqOptions());

    /// <summary>As before untrimmed frames were kept: trimmed frames and halves only.</summary>
    [Benchmark]
    public int Vpdq_1fps_WithoutUntrimmed() => Hash(new VpdqOptions { UntrimmedFrames = false });

    private int Hash(VpdqOptions options)
    {
        var r = new VpdqHasher(options).HashFileAsync(_clip).GetAwaiter().GetResult();
        if (!r.IsSuccess) throw new InvalidOperationException(r.Error!.Message);
        if (options.UntrimmedFrames && r.Value!.UntrimmedFrames.Count == 0) throw new InvalidOperationException("the bars were not trimmed");
        return r.Value!.Frames.Count + r.Value.Regions.Count + r.Value.UntrimmedFrames.Count;
    }

    private static void Run(string exe, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException(err);
    }
}
