using Bulwark.Matching.Hashing;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>
/// The matched segments of a vPDQ match (issue 23): the fast path (each distinct hash compared once, the verdict shared by
/// its duplicates, one pass with a cap) equals a plain reference that compares every frame with every frame and then groups
/// the frame-match list.
/// </summary>
public class VpdqSegmentsTests
{
    /// <summary>The plain form: frame i matched when usable and within distance of some usable frame of the other video.</summary>
    private static (List<VpdqSegment> Ranges, double Duration) Reference(IReadOnlyList<VpdqFrame> frames, IReadOnlyList<VpdqFrame> other, int distance, int minQuality)
    {
        var sorted = frames.Select((f, i) => (f, i)).OrderBy(x => x.f.Timestamp).ThenBy(x => x.i).Select(x => x.f).ToList();
        var matched = sorted.Select(f => f.Quality >= minQuality && other.Any(o => o.Quality >= minQuality && f.Hash.HammingDistance(o.Hash) <= distance)).ToList();
        var step = sorted.Count >= 2 ? sorted[^1].Timestamp - sorted[^2].Timestamp : 0;
        var duration = sorted.Count == 0 ? 0 : sorted[^1].Timestamp + step;
        // The frame-match list: the usable frames in time order, each with its verdict; a run of matched ones is one range.
        var ranges = new List<VpdqSegment>();
        var run = new List<int>();
        void Close()
        {
            if (run.Count == 0) return;
            var next = run[^1] + 1;
            ranges.Add(new VpdqSegment(sorted[run[0]].Timestamp, next < sorted.Count ? sorted[next].Timestamp : duration));
            run.Clear();
        }
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Quality < minQuality) continue;
            if (matched[i]) run.Add(i);
            else Close();
        }
        Close();
        return (ranges, duration);
    }

    /// <summary>Frames drawn from a small palette of hashes (so duplicates and near matches are common), some of low quality.</summary>
    private static List<VpdqFrame> Video(Random rng, PdqHash[] palette, bool shuffled)
    {
        var n = rng.Next(0, 40);
        var frames = new List<VpdqFrame>(n);
        var t = rng.Next(0, 3) * 0.5;
        for (var i = 0; i < n; i++)
        {
            frames.Add(new VpdqFrame(i, rng.Next(4) == 0 ? rng.Next(0, 50) : rng.Next(50, 101), palette[rng.Next(palette.Length)], t));
            t += rng.Next(3) == 0 ? 0.5 : 1;
        }
        if (shuffled) frames = frames.OrderBy(_ => rng.Next()).ToList();
        return frames;
    }

    private static PdqHash Flip(Random rng, PdqHash h, int bits)
    {
        var w = new[] { h.W0, h.W1, h.W2, h.W3 };
        for (var i = 0; i < bits; i++) { var b = rng.Next(256); w[b / 64] ^= 1UL << (b % 64); }
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    [Property(MaxTest = 300)]
    public bool Fast_segments_equal_the_reference_over_the_frame_match_list(int seed)
    {
        var rng = new Random(seed);
        var root = new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
        // Hashes around one root at 0–60 bits: some pairs within distance 31, some not.
        var palette = Enumerable.Range(0, rng.Next(1, 8)).Select(_ => Flip(rng, root, rng.Next(0, 60))).ToArray();
        var query = Video(rng, palette, shuffled: rng.Next(5) == 0);
        var reference = Video(rng, palette, shuffled: rng.Next(5) == 0);
        var distance = rng.Next(0, 40);
        var max = rng.Next(1, 6);
        var fast = VpdqSegments.Find(query, reference, distance, VpdqMatcher.DefaultMinQuality, max);
        var (q, qLength) = Reference(query, reference, distance, VpdqMatcher.DefaultMinQuality);
        var (r, rLength) = Reference(reference, query, distance, VpdqMatcher.DefaultMinQuality);
        return fast.Query.SequenceEqual(q.Take(max)) && fast.Reference.SequenceEqual(r.Take(max))
            && fast.QueryRanges == q.Count && fast.ReferenceRanges == r.Count
            && fast.QueryDuration == qLength && fast.ReferenceDuration == rLength
            && fast.Truncated == (q.Count > max || r.Count > max);
    }

    /// <summary>
    /// Halves: a frame matched when one of its usable halves is within distance of the same half of a usable half of some
    /// frame of the other video; per frame, compared with every frame, then grouped as whole frames are.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Fast_half_segments_equal_the_reference(int seed)
    {
        var rng = new Random(seed);
        var root = new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
        var palette = Enumerable.Range(0, rng.Next(1, 6)).Select(_ => Flip(rng, root, rng.Next(0, 60))).ToArray();
        List<VpdqRegionFrame> Halves()
        {
            var list = new List<VpdqRegionFrame>();
            var frames = rng.Next(0, 25);
            for (var f = 0; f < frames; f++)
                foreach (var region in new[] { VpdqRegion.Top, VpdqRegion.Bottom, VpdqRegion.Left, VpdqRegion.Right })
                    if (rng.Next(4) > 0)
                        list.Add(new VpdqRegionFrame(f, region, rng.Next(4) == 0 ? rng.Next(0, 50) : rng.Next(50, 101), palette[rng.Next(palette.Length)], f));
            return list;
        }
        var query = Halves();
        var reference = Halves();
        var distance = rng.Next(0, 40);
        var fast = VpdqSegments.FindByHalves(query, reference, distance, VpdqMatcher.DefaultMinQuality, VpdqSegments.DefaultMaxRanges);
        // The reference over whole frames: a frame is "usable" when it has a usable half, "matched" as the rule says.
        List<VpdqFrame> AsFrames(List<VpdqRegionFrame> mine, List<VpdqRegionFrame> other) => mine.GroupBy(h => h.FrameNumber).OrderBy(g => g.Key).Select(g =>
        {
            var usable = g.Where(h => h.Quality >= VpdqMatcher.DefaultMinQuality).ToList();
            var matched = usable.Any(h => other.Any(o => o.Quality >= VpdqMatcher.DefaultMinQuality && o.Region == h.Region && o.Hash.HammingDistance(h.Hash) <= distance));
            // Encode the verdict as a hash the reference comparison below finds (root) or not (its complement).
            return new VpdqFrame(g.Key, usable.Count == 0 ? 0 : 100, matched ? root : new PdqHash(~root.W0, ~root.W1, ~root.W2, ~root.W3), g.Key);
        }).ToList();
        var (q, _) = Reference(AsFrames(query, reference), [new VpdqFrame(0, 100, root, 0)], 0, VpdqMatcher.DefaultMinQuality);
        var (r, _) = Reference(AsFrames(reference, query), [new VpdqFrame(0, 100, root, 0)], 0, VpdqMatcher.DefaultMinQuality);
        return fast.Query.SequenceEqual(q) && fast.Reference.SequenceEqual(r);
    }

    [Fact]
    public void A_clip_inside_a_longer_video_gives_one_range_a_side_and_reads_as_a_sentence()
    {
        var rng = new Random(3);
        var clip = Enumerable.Range(0, 8).Select(i => new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64())).ToArray();
        var other = Enumerable.Range(0, 6).Select(i => new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64())).ToArray();
        var reference = clip.Select((h, i) => new VpdqFrame(i, 90, h, i)).ToList();
        // 3 s of something else, the clip (one frame slightly changed, as a re-encode does), 3 s of something else.
        var query = other.Take(3).Concat(clip.Select((h, i) => i == 4 ? Flip(rng, h, 5) : h)).Concat(other.Skip(3))
            .Select((h, i) => new VpdqFrame(i, 90, h, i)).ToList();
        var s = VpdqSegments.Find(query, reference);
        Assert.Equal([new VpdqSegment(3, 11)], s.Query);
        Assert.Equal([new VpdqSegment(0, 8)], s.Reference);
        Assert.Equal(14, s.QueryDuration);
        Assert.False(s.Truncated);
        Assert.Equal("query 0:03–0:11 matched reference 0:00–0:08", s.Describe());
    }

    [Fact]
    public void Ranges_beyond_the_cap_are_counted_and_said_to_be_left_out()
    {
        var a = new PdqHash(1, 2, 3, 4);
        var b = new PdqHash(~1UL, ~2UL, ~3UL, ~4UL);
        // a, b, a, b …: every other frame matches, so 10 ranges on the query side.
        var query = Enumerable.Range(0, 20).Select(i => new VpdqFrame(i, 90, i % 2 == 0 ? a : b, i)).ToList();
        var s = VpdqSegments.Find(query, [new VpdqFrame(0, 90, a, 0)], maxRanges: 3);
        Assert.Equal(10, s.QueryRanges);
        Assert.Equal(3, s.Query.Count);
        Assert.True(s.Truncated);
        Assert.Equal("query 0:00–0:01, 0:02–0:03 and 8 more matched reference 0:00–0:00", s.Describe(shown: 2));
    }

    [Fact]
    public void A_low_quality_frame_inside_a_matched_stretch_neither_matches_nor_breaks_it()
    {
        var a = new PdqHash(1, 2, 3, 4);
        var b = new PdqHash(~1UL, ~2UL, ~3UL, ~4UL);
        var query = new List<VpdqFrame> { new(0, 90, a, 0), new(1, 10, b, 1), new(2, 90, a, 2), new(3, 90, b, 3) };
        var s = VpdqSegments.Find(query, [new VpdqFrame(0, 90, a, 0)]);
        Assert.Equal([new VpdqSegment(0, 3)], s.Query);
        Assert.Equal("1:01:05", VpdqSegments.Clock(3665));
    }
}
