using System.Diagnostics;
using Bulwark.Matching.Hashing;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>vPDQ: the text format, ffmpeg decoding against the reference hashes, the match rule and bad input.</summary>
public class VpdqTests(ITestOutputHelper output)
{
    private static string Video(string name) => TestData.Path("pdq", "threatexchange", "tmk", "sample-videos", name);
    private static string Hashes(string name) => TestData.Path("pdq", "threatexchange", "vpdq", "sample-hashes", name);

    private static List<VpdqFrame> ReadReference(string name)
    {
        var (frames, errors) = VpdqFormat.Parse(File.ReadAllText(Hashes(name)));
        Assert.Empty(errors);
        return frames;
    }

    private static async Task<VpdqResult> HashAsync(string path, VpdqOptions? options = null)
    {
        var hasher = new VpdqHasher(options);
        Assert.SkipUnless(hasher.IsAvailable(out var why), $"ffmpeg not available: {why}");
        var result = await hasher.HashFileAsync(path, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    [Fact]
    public void Reference_files_parse_and_round_trip_exactly()
    {
        foreach (var file in Directory.GetFiles(TestData.Path("pdq", "threatexchange", "vpdq", "sample-hashes"), "*.txt"))
        {
            var text = File.ReadAllText(file);
            var (frames, errors) = VpdqFormat.Parse(text);
            Assert.Empty(errors);
            Assert.NotEmpty(frames);
            var written = VpdqFormat.ToText(frames);
            Assert.Equal(frames, VpdqFormat.Parse(written).Frames);
            // The reference prints the same three-decimal timestamps, so the text is reproduced line for line.
            Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()),
                written.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_number()
    {
        var good = "0,100,34ada6b96d18d2491a79f80f07f2c9936fe6083dfb6983d8a4a36db40034df54,0.000";
        var text = string.Join('\n', good, "1,100,34ada6,0.033", "", "x,100," + good.Split(',')[2] + ",0.1",
            "2,101," + good.Split(',')[2] + ",0.1", "3,90," + good.Split(',')[2], "4,90," + good.Split(',')[2] + ",-1");
        var (frames, errors) = VpdqFormat.Parse(text);
        Assert.Single(frames);
        Assert.Equal([2, 4, 5, 6, 7], errors.Select(e => e.Line));
        Assert.Contains("64 hex characters; got 6", errors[0].Message);
        Assert.Contains("frame number 'x'", errors[1].Message);
        Assert.Contains("quality '101'", errors[2].Message);
        Assert.Contains("expected 4", errors[3].Message);
        Assert.Contains("timestamp '-1'", errors[4].Message);
    }

    [Fact]
    public async Task Every_frame_hashes_close_to_the_reference_output()
    {
        var reference = ReadReference("chair-orig-22-sd-bar.txt");
        var ours = await HashAsync(Video("chair-orig-22-sd-bar.mp4"), new VpdqOptions { FramesPerSecond = 0, MinQuality = 0, DuplicateDistance = -1, TrimBlackBorders = false });
        Assert.Equal(reference.Count, ours.FramesHashed);
        Assert.Equal(reference.Count, ours.Frames.Count);
        var distances = reference.Zip(ours.Frames, (r, o) => r.Hash.HammingDistance(o.Hash)).Order().ToArray();
        output.WriteLine($"per-frame distance to the reference: median {distances[distances.Length / 2]}, p95 {distances[distances.Length * 95 / 100]}, max {distances[^1]}");
        Assert.Equal(reference.Select(f => f.FrameNumber), ours.Frames.Select(f => f.FrameNumber));
        Assert.Equal(reference.Select(f => f.Timestamp), ours.Frames.Select(f => f.Timestamp));
        // Frame hashes depend on the decoder and its colour conversion; the tolerance is the one PDQ allows across implementations.
        Assert.True(distances[distances.Length * 95 / 100] <= 10, $"p95 distance {distances[distances.Length * 95 / 100]}");
        Assert.True(distances[^1] <= 31, $"max distance {distances[^1]}");
        Assert.True(VpdqMatcher.Compare(ours.Frames, reference).IsMatch(99, 99));
    }

    [Fact]
    public async Task One_frame_per_second_by_default_without_weak_or_repeated_frames()
    {
        var ours = await HashAsync(Video("chair-orig-22-sd-bar.mp4"), new VpdqOptions { TrimBlackBorders = false });
        output.WriteLine($"{ours.FramesHashed} sampled, {ours.Frames.Count} kept, {ours.Width}x{ours.Height} at {ours.SourceFrameRate} fps");
        Assert.InRange(ours.FramesHashed, 22, 24); // 22.4 s
        Assert.All(ours.Frames, f => Assert.True(f.Quality >= 50));
        Assert.All(ours.Frames, f => Assert.Equal(Math.Round(f.Timestamp), f.Timestamp));
        Assert.All(ours.Frames, f => Assert.Equal((int)(f.Timestamp * 30), f.FrameNumber));
        for (var i = 1; i < ours.Frames.Count; i++) Assert.NotEqual(ours.Frames[i - 1].Hash, ours.Frames[i].Hash);
        // The sampled frames are the reference's frames at those times.
        var reference = ReadReference("chair-orig-22-sd-bar.txt").ToDictionary(f => f.FrameNumber);
        Assert.All(ours.Frames, f => Assert.InRange(f.Hash.HammingDistance(reference[f.FrameNumber].Hash), 0, 16));
    }

    [Theory]
    [InlineData("chair-22-with-small-logo-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-22-sd-grey-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-22-sd-sepia-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-sd-grey-bar.mp4", "pattern-hd-no-bar.mp4")]
    [InlineData("pattern-sd-with-small-logo-bar.mp4", "pattern-hd-no-bar.mp4")]
    public async Task Edited_copies_match_their_original(string variant, string original)
    {
        var query = await HashAsync(Video(variant));
        var reference = await HashAsync(Video(original));
        var c = VpdqMatcher.Compare(query.Frames, reference.Frames);
        output.WriteLine($"{variant} vs {original}: query {c.QueryMatchPercent:F1} % of {c.QueryFrames}, reference {c.ReferenceMatchPercent:F1} % of {c.ReferenceFrames}");
        Assert.True(c.IsMatch(), $"query {c.QueryMatchPercent:F1} %, reference {c.ReferenceMatchPercent:F1} %");
    }

    [Theory]
    [InlineData("chair-22-with-large-logo-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-sd-with-large-logo-bar.mp4", "pattern-hd-no-bar.mp4")]
    public async Task Large_logo_copies_miss_by_whole_frames_at_any_safe_distance(string variant, string original)
    {
        var query = (await HashAsync(Video(variant))).Frames;
        var reference = (await HashAsync(Video(original))).Frames;
        var unrelated = (await HashAsync(Video("doorknob-hd-no-bar.mp4"))).Frames;
        foreach (var d in new[] { 31, 40, 48, 56, 64 })
            output.WriteLine($"distance {d}: {VpdqMatcher.Compare(query, reference, d).QueryMatchPercent:F1} % (unrelated {VpdqMatcher.Compare(query, unrelated, d).QueryMatchPercent:F1} %)");
        // The logo covers about a fifth of the picture; the reference's own frame hashes also miss at 31 (11 % of frames).
        // Widening the distance raises the share of matching frames while unrelated video stays at 0 %, but not to 80 %
        // at any distance that is still safe for PDQ: whole-frame hashing cannot catch this edit. Region hashes do
        // (VpdqRegionTests.Every_edited_copy_matches_its_original_by_halves; docs/matching-notes-pdq.md).
        Assert.False(VpdqMatcher.Compare(query, reference).IsMatch());
        Assert.True(VpdqMatcher.Compare(query, reference, 56).QueryMatchPercent >= 50);
        Assert.Equal(0, VpdqMatcher.Compare(query, unrelated, 56).QueryMatchPercent);
    }

    [Fact]
    public async Task A_letterboxed_copy_matches_the_reference_hashes_of_the_original_without_bars_only_when_bars_are_trimmed()
    {
        var reference = ReadReference("chair-orig-22-hd-no-bar.txt");
        var trimmed = VpdqMatcher.Compare((await HashAsync(Video("chair-orig-22-sd-bar.mp4"))).Frames, reference);
        var whole = VpdqMatcher.Compare((await HashAsync(Video("chair-orig-22-sd-bar.mp4"), new VpdqOptions { TrimBlackBorders = false })).Frames, reference);
        output.WriteLine($"letterboxed vs no-bar reference: trimmed {trimmed.QueryMatchPercent:F1} %, whole frames {whole.QueryMatchPercent:F1} %");
        Assert.True(trimmed.IsMatch());
        Assert.False(whole.IsMatch());
    }

    [Theory]
    [InlineData("doorknob-hd-no-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-hd-no-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-orig-22-sd-bar.mp4", "pattern-hd-no-bar.mp4")]
    public async Task Different_videos_do_not_match(string a, string b)
    {
        var c = VpdqMatcher.Compare((await HashAsync(Video(a))).Frames, (await HashAsync(Video(b))).Frames);
        output.WriteLine($"{a} vs {b}: query {c.QueryMatchPercent:F1} %, reference {c.ReferenceMatchPercent:F1} %");
        Assert.False(c.IsMatch());
    }

    [Fact]
    public void The_match_rule_counts_distinct_usable_frames_on_both_sides()
    {
        var a = PdqHash.Parse(new string('0', 64));
        var b = PdqHash.Parse(new string('f', 64));
        var c = PdqHash.Parse(new string('0', 56) + "ffffffff"); // 32 bits from a
        VpdqFrame F(PdqHash h, int q = 100) => new(0, q, h, 0);
        // Query: a (twice, counted once), c, and a weak b that is ignored. Reference: a, b.
        var r = VpdqMatcher.Compare([F(a), F(a), F(c), F(b, 10)], [F(a), F(b)]);
        Assert.Equal(2, r.QueryFrames);
        Assert.Equal(50, r.QueryMatchPercent);
        Assert.Equal(50, r.ReferenceMatchPercent);
        Assert.False(r.IsMatch());
        Assert.True(r.IsMatch(50, 50));
        Assert.True(VpdqMatcher.Compare([F(a), F(c)], [F(a)], distance: 32).IsMatch(100, 100));
        Assert.False(VpdqMatcher.Compare([F(a, 10)], [F(a)]).IsMatch(0, 0)); // nothing usable never matches
    }

    [Fact]
    public async Task Missing_ffmpeg_is_reported_as_unavailable()
    {
        var hasher = new VpdqHasher(new VpdqOptions { FfmpegPath = "/nonexistent/ffmpeg" });
        Assert.False(hasher.IsAvailable(out var why));
        Assert.Contains("/nonexistent/ffmpeg", why);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [1, 2, 3], TestContext.Current.CancellationToken);
            var r = await hasher.HashFileAsync(file, TestContext.Current.CancellationToken);
            Assert.Equal(VideoHashErrorCode.Unavailable, r.Error?.Code);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task Damaged_inputs_give_typed_errors_naming_the_file()
    {
        var hasher = new VpdqHasher();
        Assert.SkipUnless(hasher.IsAvailable(out var why), $"ffmpeg not available: {why}");
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("vpdq-bad").FullName;
        try
        {
            var clip = Path.Combine(dir, "clip.mp4");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=6", "-pix_fmt", "yuv420p", "-movflags", "+faststart", clip);
            var bytes = await File.ReadAllBytesAsync(clip, ct);

            var truncated = Path.Combine(dir, "truncated.mp4");
            await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], ct);
            var noMoov = Path.Combine(dir, "no-index.mp4");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=6", "-pix_fmt", "yuv420p", Path.Combine(dir, "tail.mp4"));
            var tail = await File.ReadAllBytesAsync(Path.Combine(dir, "tail.mp4"), ct);
            await File.WriteAllBytesAsync(noMoov, tail[..(tail.Length * 2 / 3)], ct);
            var audio = Path.Combine(dir, "tone.wav");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "sine=frequency=440:duration=1", audio);
            var empty = Path.Combine(dir, "empty.mp4");
            await File.WriteAllBytesAsync(empty, [], ct);
            var random = Path.Combine(dir, "random.mp4");
            var noise = new byte[50_000];
            new Random(7).NextBytes(noise);
            await File.WriteAllBytesAsync(random, noise, ct);

            Assert.True((await hasher.HashFileAsync(clip, ct)).IsSuccess);
            // Frame size is checked from the header before anything is decoded.
            var tooLarge = await new VpdqHasher(new VpdqOptions { MaxPixelsPerFrame = 320 * 240 - 1 }).HashFileAsync(clip, ct);
            Assert.Equal(VideoHashErrorCode.TooLarge, tooLarge.Error?.Code);
            Assert.Contains("320×240", tooLarge.Error!.Message);
            foreach (var (file, code) in new[]
            {
                (truncated, VideoHashErrorCode.Corrupt), (noMoov, VideoHashErrorCode.Corrupt), (audio, VideoHashErrorCode.NoVideoStream),
                (empty, VideoHashErrorCode.Corrupt), (random, VideoHashErrorCode.Corrupt), (Path.Combine(dir, "missing.mp4"), VideoHashErrorCode.Unreadable),
            })
            {
                var r = await hasher.HashFileAsync(file, ct);
                output.WriteLine($"{Path.GetFileName(file)}: {r.Error?.Code} {r.Error?.Message}");
                Assert.Equal(code, r.Error?.Code);
                Assert.Contains(Path.GetFileName(file), r.Error!.Message);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    private static async Task Ffmpeg(CancellationToken ct, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", .. args]) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        Assert.True(p.ExitCode == 0, err);
    }
}
