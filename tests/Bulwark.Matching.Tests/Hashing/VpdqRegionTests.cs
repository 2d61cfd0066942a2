using System.Diagnostics;
using Bulwark.Matching.Hashing;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>Region hashes (each frame's four halves): the in-place cut, the text form, the match rule, and real overlays.</summary>
public class VpdqRegionTests(ITestOutputHelper output)
{
    private static string Video(string name) => TestData.Path("pdq", "threatexchange", "tmk", "sample-videos", name);

    /// <summary>The plain way: cut the picture out pixel by pixel, then the half out of it, then hash.</summary>
    private static PdqResult ReferenceHalf(byte[] frame, int width, (int X, int Y, int Width, int Height) picture, VpdqRegion region)
    {
        var r = VpdqRegions.Rect(picture, region);
        var px = new byte[r.Width * r.Height * 3];
        for (var y = 0; y < r.Height; y++)
            for (var x = 0; x < r.Width * 3; x++)
                px[y * r.Width * 3 + x] = frame[(r.Y + y) * width * 3 + r.X * 3 + x];
        return PdqHasher.Hash(px, r.Width, r.Height, PdqPixelFormat.Rgb24);
    }

    [Property(MaxTest = 40)]
    public bool Halves_hashed_in_place_equal_halves_cut_out_plainly(int seed)
    {
        var rng = new Random(seed);
        int width = rng.Next(10, 300), height = rng.Next(10, 300);
        var frame = PdqKernelTests.RandomImage(rng, width, height, PdqPixelFormat.Rgb24, smooth: true);
        // Sometimes black bars on some sides, so the halves are cut from a trimmed picture.
        int top = rng.Next(3) == 0 ? rng.Next(0, height / 5) : 0, left = rng.Next(3) == 0 ? rng.Next(0, width / 5) : 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (y < top || x < left) frame[(y * width + x) * 3] = frame[(y * width + x) * 3 + 1] = frame[(y * width + x) * 3 + 2] = 0;
        var trim = rng.Next(2) == 0;
        var options = new VpdqOptions { TrimBlackBorders = trim, RegionHashes = true };
        var halves = new PdqResult[4];
        var whole = VpdqHasher.HashFrame(frame, width, height, options, new byte[frame.Length], halves);
        var picture = trim ? VpdqBorders.ContentRect(frame, width, height) : (X: 0, Y: 0, Width: width, Height: height);
        var expectedWhole = PdqHasher.Hash(Cut(frame, width, picture), picture.Width, picture.Height, PdqPixelFormat.Rgb24);
        return whole == expectedWhole && VpdqRegions.All.Select((r, i) => halves[i] == ReferenceHalf(frame, width, picture, r)).All(b => b);

        static byte[] Cut(byte[] frame, int width, (int X, int Y, int Width, int Height) r)
        {
            var px = new byte[r.Width * r.Height * 3];
            for (var y = 0; y < r.Height; y++) frame.AsSpan((r.Y + y) * width * 3 + r.X * 3, r.Width * 3).CopyTo(px.AsSpan(y * r.Width * 3));
            return px;
        }
    }

    [Fact]
    public void Halves_cover_the_picture_and_odd_sizes_give_the_extra_line_to_the_second_half()
    {
        var p = (X: 4, Y: 2, Width: 11, Height: 7);
        Assert.Equal((4, 2, 11, 3), VpdqRegions.Rect(p, VpdqRegion.Top));
        Assert.Equal((4, 5, 11, 4), VpdqRegions.Rect(p, VpdqRegion.Bottom));
        Assert.Equal((4, 2, 5, 7), VpdqRegions.Rect(p, VpdqRegion.Left));
        Assert.Equal((9, 2, 6, 7), VpdqRegions.Rect(p, VpdqRegion.Right));
    }

    [Fact]
    public void Region_lines_round_trip_and_every_bad_line_is_named()
    {
        var hash = PdqHash.Parse("34ada6b96d18d2491a79f80f07f2c9936fe6083dfb6983d8a4a36db40034df54");
        VpdqRegionFrame[] frames = [new(0, VpdqRegion.Top, 100, hash, 0), new(30, VpdqRegion.Right, 77, hash, 1)];
        var text = VpdqRegionFormat.ToText(frames);
        Assert.Equal($"0,100,{hash},0.000,top\n30,77,{hash},1.000,right\n", text);
        var (parsed, errors) = VpdqRegionFormat.Parse(text);
        Assert.Empty(errors);
        Assert.Equal(frames, parsed);

        var bad = string.Join('\n', $"0,100,{hash},0.000", $"0,100,{hash},0.000,middle", $"0,100,{hash.ToString()[..10]},0.000,top", "", $"1,100,{hash},0.033,LEFT");
        (parsed, errors) = VpdqRegionFormat.Parse(bad);
        Assert.Equal([VpdqRegion.Left], parsed.Select(f => f.Region));
        Assert.Equal([1, 2, 3], errors.Select(e => e.Line));
        Assert.Contains("expected 5", errors[0].Message);
        Assert.Contains("region 'middle'", errors[1].Message);
        Assert.Contains("64 hex", errors[2].Message);
        // A plain vPDQ reader refuses region lines instead of mistaking a half for a frame.
        Assert.NotEmpty(VpdqFormat.Parse(text).Errors);
    }

    [Fact]
    public void Frames_match_only_in_the_same_half_and_count_once()
    {
        var a = PdqHash.Parse(new string('0', 64));
        var b = PdqHash.Parse(new string('f', 64));
        var c = PdqHash.Parse(new string('0', 56) + "ffffffff"); // 32 bits from a
        VpdqRegionFrame R(int frame, VpdqRegion region, PdqHash h, int q = 100) => new(frame, region, q, h, frame);

        // The same hash in another half is no match.
        Assert.Equal(0, VpdqRegionMatcher.Compare([R(0, VpdqRegion.Top, a)], [R(0, VpdqRegion.Bottom, a)]).QueryMatchPercent);
        // One matching half is enough for the frame; the distance is inclusive.
        var r = VpdqRegionMatcher.Compare([R(0, VpdqRegion.Top, b), R(0, VpdqRegion.Bottom, a), R(1, VpdqRegion.Left, c)],
            [R(5, VpdqRegion.Top, a), R(5, VpdqRegion.Bottom, a), R(6, VpdqRegion.Left, b)]);
        Assert.Equal((100.0 * 1 / 2, 50.0, 2, 2), (r.QueryMatchPercent, r.ReferenceMatchPercent, r.QueryFrames, r.ReferenceFrames));
        Assert.Equal(100, VpdqRegionMatcher.Compare([R(1, VpdqRegion.Left, c)], [R(0, VpdqRegion.Left, a)], distance: 32).QueryMatchPercent);
        // Weak halves are ignored; a frame left with none does not count; a repeated (half, hash) counts once.
        r = VpdqRegionMatcher.Compare([R(0, VpdqRegion.Top, a), R(1, VpdqRegion.Top, a), R(2, VpdqRegion.Top, b, q: 10)], [R(0, VpdqRegion.Top, a)]);
        Assert.Equal((100.0, 1), (r.QueryMatchPercent, r.QueryFrames));
        Assert.False(VpdqRegionMatcher.Compare([R(0, VpdqRegion.Top, a, q: 10)], [R(0, VpdqRegion.Top, a)]).IsMatch(0, 0));
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
    public async Task Region_hashes_are_optional_and_leave_whole_frames_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("vpdq-regions").FullName;
        try
        {
            var clip = Path.Combine(dir, "clip.mp4");
            Assert.SkipUnless(new VpdqHasher().IsAvailable(out var why), $"ffmpeg not available: {why}");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=5", "-pix_fmt", "yuv420p", clip);
            var on = await HashAsync(clip);
            var off = await HashAsync(clip, new VpdqOptions { RegionHashes = false });
            Assert.Equal(off.Frames, on.Frames);
            Assert.Empty(off.Regions);
            Assert.Equal(on.FramesHashed * 4, on.Regions.Count); // testsrc2 moves: no half repeats, none is weak
            Assert.Equal(on.Frames.Select(f => f.FrameNumber), on.Regions.Select(r => r.FrameNumber).Distinct());
            Assert.All(on.Regions, r => Assert.Equal(on.Frames.Single(f => f.FrameNumber == r.FrameNumber).Timestamp, r.Timestamp));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task A_large_box_over_a_corner_defeats_whole_frames_but_not_halves()
    {
        // Generated here, so it runs without the shared test data: a moving test pattern, a copy with an opaque box over a
        // quarter of the picture (top right), and an unrelated video.
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(new VpdqHasher().IsAvailable(out var why), $"ffmpeg not available: {why}");
        var dir = Directory.CreateTempSubdirectory("vpdq-overlay").FullName;
        try
        {
            string original = Path.Combine(dir, "original.mp4"), boxed = Path.Combine(dir, "boxed.mp4"), other = Path.Combine(dir, "other.mp4");
            await Ffmpeg(ct, "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=12", "-pix_fmt", "yuv420p", original);
            await Ffmpeg(ct, "-i", original, "-vf", "drawbox=x=iw/2:y=0:w=iw/2:h=ih/2:color=magenta@1:t=fill,scale=480:270", "-pix_fmt", "yuv420p", "-crf", "30", boxed);
            await Ffmpeg(ct, "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=25", "-t", "12", "-pix_fmt", "yuv420p", other);
            var o = await HashAsync(original);
            var q = await HashAsync(boxed);
            var u = await HashAsync(other);
            var whole = VpdqMatcher.Compare(q.Frames, o.Frames);
            var halves = VpdqRegionMatcher.Compare(q.Regions, o.Regions);
            var unrelated = VpdqRegionMatcher.Compare(u.Regions, o.Regions);
            output.WriteLine($"whole frames {whole.QueryMatchPercent:F1} %, halves {halves.QueryMatchPercent:F1} % / {halves.ReferenceMatchPercent:F1} %, unrelated halves {unrelated.QueryMatchPercent:F1} %");
            Assert.False(whole.IsMatch());
            Assert.True(halves.IsMatch(), $"halves {halves.QueryMatchPercent:F1} %");
            Assert.Equal(0, unrelated.QueryMatchPercent);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("chair-22-with-large-logo-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-sd-with-large-logo-bar.mp4", "pattern-hd-no-bar.mp4")]
    [InlineData("chair-22-with-small-logo-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-22-sd-grey-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-22-sd-sepia-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-sd-grey-bar.mp4", "pattern-hd-no-bar.mp4")]
    [InlineData("pattern-sd-with-small-logo-bar.mp4", "pattern-hd-no-bar.mp4")]
    public async Task Every_edited_copy_matches_its_original_by_halves(string variant, string original)
    {
        var q = await HashAsync(Video(variant));
        var r = await HashAsync(Video(original));
        var c = VpdqRegionMatcher.Compare(q.Regions, r.Regions);
        output.WriteLine($"{variant} vs {original}: halves {c.QueryMatchPercent:F1} % of {c.QueryFrames} frames, reference {c.ReferenceMatchPercent:F1} % of {c.ReferenceFrames}");
        Assert.True(c.IsMatch(), $"query {c.QueryMatchPercent:F1} %");
    }

    [Theory]
    [InlineData("doorknob-hd-no-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("pattern-hd-no-bar.mp4", "chair-orig-22-sd-bar.mp4")]
    [InlineData("chair-orig-22-sd-bar.mp4", "pattern-hd-no-bar.mp4")]
    [InlineData("doorknob-hd-no-bar.mp4", "pattern-hd-no-bar.mp4")]
    [InlineData("chair-22-with-large-logo-bar.mp4", "pattern-hd-no-bar.mp4")]
    public async Task Different_videos_share_no_half(string a, string b)
    {
        var c = VpdqRegionMatcher.Compare((await HashAsync(Video(a))).Regions, (await HashAsync(Video(b))).Regions);
        output.WriteLine($"{a} vs {b}: halves {c.QueryMatchPercent:F1} %, reference {c.ReferenceMatchPercent:F1} %");
        Assert.Equal(0, c.QueryMatchPercent);
    }

    private static async Task Ffmpeg(CancellationToken ct, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", .. args]) { RedirectStandardError = true })!;
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        Assert.True(p.ExitCode == 0, err);
    }
}
