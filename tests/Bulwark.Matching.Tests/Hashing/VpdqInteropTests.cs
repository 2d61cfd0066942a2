using System.Diagnostics;
using Bulwark.Matching.Hashing;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>
/// vPDQ against other tools' hashes: the reference vPDQ hashes whole frames, black bars included, while Bulwark trims
/// them; untrimmed frames are kept beside the trimmed ones when bars were trimmed. Also the dark-row case of bar detection.
/// </summary>
public class VpdqInteropTests(ITestOutputHelper output)
{
    private static string Video(string name) => TestData.Path("pdq", "threatexchange", "tmk", "sample-videos", name);
    private static string Hashes(string name) => TestData.Path("pdq", "threatexchange", "vpdq", "sample-hashes", name);

    private static async Task<VpdqResult> HashAsync(string path, VpdqOptions? options = null)
    {
        var hasher = new VpdqHasher(options);
        Assert.SkipUnless(hasher.IsAvailable(out var why), $"ffmpeg not available: {why}");
        var result = await hasher.HashFileAsync(path, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    /// <summary>A frame of smooth random content between pillarbox bars (value 16, as decoders give limited-range black).</summary>
    private static byte[] Pillarboxed(int width, int height, int bar, int seed, int? darkRow)
    {
        var content = PdqKernelTests.RandomImage(new Random(seed), width - 2 * bar, height, PdqPixelFormat.Rgb24, smooth: true);
        var frame = new byte[width * height * 3];
        frame.AsSpan().Fill(16);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < (width - 2 * bar) * 3; x++)
            {
                // Content never dark enough to pass for a bar, except the one row that is dark from edge to edge.
                var v = content[(y * (width - 2 * bar)) * 3 + x];
                frame[(y * width + bar) * 3 + x] = y == darkRow ? (byte)10 : (byte)Math.Max((int)v, 60);
            }
        return frame;
    }

    [Fact]
    public void A_row_dark_from_edge_to_edge_does_not_keep_the_left_bar()
    {
        var frame = Pillarboxed(200, 100, 30, 5, darkRow: 50);
        Assert.Equal((30, 0, 140, 100), VpdqBorders.ContentRect(frame, 200, 100));
        // Without the dark row the bars were always found; the row must not change that.
        Assert.Equal((30, 0, 140, 100), VpdqBorders.ContentRect(Pillarboxed(200, 100, 30, 5, darkRow: null), 200, 100));
    }

    [Fact]
    public async Task A_dark_pillarboxed_scene_hashes_like_the_same_scene_without_bars()
    {
        // A night scene: the picture darkened, with a band that is black from edge to edge (a horizon, a tunnel ceiling).
        // With bars on both sides, the band used to make the bar finder keep the left bar, moving every frame's hash ~130 bits.
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(new VpdqHasher().IsAvailable(out var why), $"ffmpeg not available: {why}");
        var dir = Directory.CreateTempSubdirectory("vpdq-dark").FullName;
        try
        {
            string plain = Path.Combine(dir, "plain.mp4"), bars = Path.Combine(dir, "bars.mp4");
            const string scene = "eq=brightness=-0.25,drawbox=x=0:y=ih*0.4:w=iw:h=ih/8:color=black:t=fill";
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc2=size=480x360:rate=25:duration=6", "-vf", scene, "-pix_fmt", "yuv420p", "-crf", "18", plain);
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc2=size=480x360:rate=25:duration=6", "-vf", scene + ",pad=640:360:80:0:black",
                "-pix_fmt", "yuv420p", "-crf", "18", bars);
            var options = new VpdqOptions { MinQuality = 0, DuplicateDistance = -1, RegionHashes = false };
            var a = await HashAsync(plain, options);
            var b = await HashAsync(bars, options);
            Assert.Equal(a.Frames.Select(f => f.FrameNumber), b.Frames.Select(f => f.FrameNumber));
            var distances = a.Frames.Zip(b.Frames, (x, y) => x.Hash.HammingDistance(y.Hash)).ToList();
            output.WriteLine($"per-frame distance, bars trimmed vs no bars: {string.Join(", ", distances)}");
            Assert.All(distances, d => Assert.InRange(d, 0, 16));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Untrimmed_frames_are_kept_only_when_bars_were_trimmed_and_equal_plain_whole_frame_hashing()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(new VpdqHasher().IsAvailable(out var why), $"ffmpeg not available: {why}");
        var dir = Directory.CreateTempSubdirectory("vpdq-untrimmed").FullName;
        try
        {
            string plain = Path.Combine(dir, "plain.mp4"), letterboxed = Path.Combine(dir, "letterboxed.mp4");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc2=size=640x272:rate=25:duration=6", "-pix_fmt", "yuv420p", plain);
            await Ffmpeg(ct, "-i", plain, "-vf", "pad=640:360:0:44:black", "-pix_fmt", "yuv420p", letterboxed);

            Assert.Empty((await HashAsync(plain)).UntrimmedFrames);
            var boxed = await HashAsync(letterboxed);
            var whole = await HashAsync(letterboxed, new VpdqOptions { TrimBlackBorders = false });
            Assert.NotEmpty(boxed.UntrimmedFrames);
            // The untrimmed frames are exactly what whole-frame vPDQ (the reference's way) gives for the same file.
            Assert.Equal(whole.Frames, boxed.UntrimmedFrames);
            Assert.Empty((await HashAsync(letterboxed, new VpdqOptions { UntrimmedFrames = false })).UntrimmedFrames);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The sample videos' names; one placeholder row (skipped by the test) when the shared data is absent.</summary>
    public static TheoryData<string> Samples()
    {
        var dir = TestData.Root is { } root ? System.IO.Path.Combine(root, "pdq", "threatexchange", "tmk", "sample-videos") : null;
        return new(dir is not null && Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.mp4").Select(f => System.IO.Path.GetFileName(f)).Order()
            : ["(shared test data absent).mp4"]);
    }

    /// <summary>
    /// Every shared sample against its own reference file (every frame hashed whole, bars included), hashed as the product
    /// hashes (1 frame/s, bars trimmed, untrimmed frames kept): it matches, by trimmed frames where the clip has no bars and
    /// by untrimmed frames where it has.
    /// </summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_matches_its_own_reference_hashes(string sample)
    {
        var reference = Hashes(System.IO.Path.ChangeExtension(sample, ".txt"));
        Assert.SkipUnless(File.Exists(reference) && File.Exists(Video(sample)), $"shared vPDQ sample data absent ({reference})");
        var (frames, errors) = VpdqFormat.Parse(await File.ReadAllTextAsync(reference, TestContext.Current.CancellationToken));
        Assert.Empty(errors);
        var ours = await HashAsync(Video(sample));
        var trimmedOnly = VpdqMatcher.Compare(ours.Frames, frames);
        var match = VpdqMatcher.CompareViews(ours.Frames, ours.UntrimmedFrames, frames, []);
        output.WriteLine($"{sample}: trimmed frames {trimmedOnly.QueryMatchPercent:F1} %; with untrimmed frames: " +
            (match is { } m ? $"{m.Comparison.QueryMatchPercent:F1} % of {m.Comparison.QueryFrames} (untrimmed: {m.QueryUntrimmed})" : "no match") +
            $"; {ours.UntrimmedFrames.Count} untrimmed frame(s)");
        Assert.NotNull(match);
        Assert.Equal(100, match.Value.Comparison.QueryMatchPercent);
    }

    [Fact]
    public void Views_are_tried_in_order_and_need_a_matched_frame()
    {
        var rng = new Random(3);
        PdqHash H() => new((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
        List<VpdqFrame> Frames(params PdqHash[] hashes) => hashes.Select((h, i) => new VpdqFrame(i, 100, h, i)).ToList();
        PdqHash a = H(), b = H(), c = H();
        // Trimmed frames agree: the first pair wins even though the untrimmed ones agree too.
        var m = VpdqMatcher.CompareViews(Frames(a), Frames(b), Frames(a), Frames(b));
        Assert.Equal((false, false), (m!.Value.QueryUntrimmed, m.Value.ReferenceUntrimmed));
        // A letterboxed upload against a partner's (untrimmed) hash of the same file.
        m = VpdqMatcher.CompareViews(Frames(a), Frames(b), Frames(b), []);
        Assert.Equal((true, false), (m!.Value.QueryUntrimmed, m.Value.ReferenceUntrimmed));
        // A partner's hash sent as a query against an entry hashed here from the letterboxed file.
        m = VpdqMatcher.CompareViews(Frames(b), [], Frames(a), Frames(b));
        Assert.Equal((false, true), (m!.Value.QueryUntrimmed, m.Value.ReferenceUntrimmed));
        Assert.Null(VpdqMatcher.CompareViews(Frames(c), Frames(c), Frames(a), Frames(b)));
        // Thresholds of 0 % still need one matched frame.
        Assert.Null(VpdqMatcher.CompareViews(Frames(c), [], Frames(a), [], queryThreshold: 0, referenceThreshold: 0));
    }

    private static async Task Ffmpeg(CancellationToken ct, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", .. args]) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        Assert.True(p.ExitCode == 0, err);
    }
}
