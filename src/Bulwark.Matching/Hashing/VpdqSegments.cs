using System.Globalization;

namespace Bulwark.Matching.Hashing;

/// <summary>
/// A stretch of a video in seconds: from its first matched frame's time to the time of the frame that follows its last
/// matched frame (for the video's last frame, that frame's time plus the sampling interval before it).
/// </summary>
public readonly record struct VpdqSegment(double Start, double End)
{
    public override string ToString() => $"{VpdqSegments.Clock(Start)}–{VpdqSegments.Clock(End)}";
}

/// <summary>
/// Which parts of a query video and of a reference video matched: consecutive matched frames merged into ranges, at most
/// <c>maxRanges</c> kept per side in time order (<see cref="QueryRanges"/> and <see cref="ReferenceRanges"/> count them all),
/// with each video's length so a timeline can be drawn to scale.
/// </summary>
public sealed record VpdqSegments(
    IReadOnlyList<VpdqSegment> Query, IReadOnlyList<VpdqSegment> Reference, int QueryRanges, int ReferenceRanges,
    double QueryDuration, double ReferenceDuration)
{
    /// <summary>Ranges kept per side: a timeline of 32 stretches is already hard to read, and the stored signal stays small.</summary>
    public const int DefaultMaxRanges = 32;

    public bool Truncated => Query.Count < QueryRanges || Reference.Count < ReferenceRanges;

    /// <summary>"query 0:03–0:11 matched reference 0:00–0:08" (at most <paramref name="shown"/> ranges a side, then "and N more").</summary>
    public string Describe(int shown = 4) => $"query {List(Query, QueryRanges, shown)} matched reference {List(Reference, ReferenceRanges, shown)}";

    private static string List(IReadOnlyList<VpdqSegment> ranges, int total, int shown)
    {
        if (total == 0) return "nothing";
        var text = string.Join(", ", ranges.Take(shown));
        return total > Math.Min(shown, ranges.Count) ? $"{text} and {total - Math.Min(shown, ranges.Count)} more" : text;
    }

    /// <summary>Seconds as m:ss (h:mm:ss from an hour on), rounded to the nearest second.</summary>
    public static string Clock(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds), MidpointRounding.AwayFromZero);
        return s >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{s / 3600}:{s / 60 % 60:00}:{s % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{s / 60}:{s % 60:00}");
    }

    /// <summary>
    /// The segments of a match under the vPDQ rule (<see cref="VpdqMatcher.Compare"/>): a frame of at least
    /// <paramref name="minQuality"/> matched when its hash is within <paramref name="distance"/> of some usable frame hash of
    /// the other video. Each distinct hash is compared once (duplicates — a still picture — share the result), so the cost
    /// is distinct query hashes × distinct reference hashes; the matcher calls it for matches only, never for candidates.
    /// Frames below the quality floor neither match nor break a range (a black frame inside a matched stretch).
    /// </summary>
    public static VpdqSegments Find(IReadOnlyList<VpdqFrame> query, IReadOnlyList<VpdqFrame> reference,
        int distance = VpdqMatcher.DefaultDistance, int minQuality = VpdqMatcher.DefaultMinQuality, int maxRanges = DefaultMaxRanges)
    {
        var (qHashes, qIndex) = Distinct(query, minQuality);
        var (rHashes, rIndex) = Distinct(reference, minQuality);
        var qMatched = new bool[qHashes.Count];
        var rMatched = new bool[rHashes.Count];
        for (var i = 0; i < qHashes.Count; i++)
            for (var j = 0; j < rHashes.Count; j++)
            {
                if (qHashes[i].HammingDistance(rHashes[j]) > distance) continue;
                qMatched[i] = true;
                rMatched[j] = true;
            }
        var (q, qTotal, qLength) = Ranges(query, qIndex, qMatched, maxRanges);
        var (r, rTotal, rLength) = Ranges(reference, rIndex, rMatched, maxRanges);
        return new VpdqSegments(q, r, qTotal, rTotal, qLength, rLength);
    }

    /// <summary>
    /// The segments of a match by halves (<see cref="VpdqRegionMatcher"/>): a frame matched when one of its usable halves is
    /// within <paramref name="distance"/> of the same half of some frame of the other video; a frame with no usable half
    /// neither matches nor breaks a range. Each distinct (half, hash) pair is compared once.
    /// </summary>
    public static VpdqSegments FindByHalves(IReadOnlyList<VpdqRegionFrame> query, IReadOnlyList<VpdqRegionFrame> reference,
        int distance = VpdqMatcher.DefaultDistance, int minQuality = VpdqMatcher.DefaultMinQuality, int maxRanges = DefaultMaxRanges)
    {
        var q = Halves(query, minQuality);
        var r = Halves(reference, minQuality);
        var qMatched = new HashSet<(VpdqRegion, PdqHash)>();
        var rMatched = new HashSet<(VpdqRegion, PdqHash)>();
        foreach (var a in q.Distinct)
            foreach (var b in r.Distinct)
                if (a.Region == b.Region && a.Hash.HammingDistance(b.Hash) <= distance) { qMatched.Add(a); rMatched.Add(b); }
        var (qr, qTotal, qLength) = HalfRanges(q.Frames, qMatched, maxRanges);
        var (rr, rTotal, rLength) = HalfRanges(r.Frames, rMatched, maxRanges);
        return new VpdqSegments(qr, rr, qTotal, rTotal, qLength, rLength);
    }

    private static (List<(double Time, List<(VpdqRegion Region, PdqHash Hash)> Usable)> Frames, HashSet<(VpdqRegion Region, PdqHash Hash)> Distinct) Halves(
        IReadOnlyList<VpdqRegionFrame> halves, int minQuality)
    {
        var frames = new List<(double, List<(VpdqRegion, PdqHash)>)>();
        var distinct = new HashSet<(VpdqRegion, PdqHash)>();
        foreach (var g in halves.GroupBy(h => h.FrameNumber).OrderBy(g => g.Min(h => h.Timestamp)).ThenBy(g => g.Key))
        {
            var usable = g.Where(h => h.Quality >= minQuality).Select(h => (h.Region, h.Hash)).ToList();
            distinct.UnionWith(usable);
            frames.Add((g.Min(h => h.Timestamp), usable));
        }
        return (frames, distinct);
    }

    private static (List<VpdqSegment>, int, double) HalfRanges(List<(double Time, List<(VpdqRegion Region, PdqHash Hash)> Usable)> frames,
        HashSet<(VpdqRegion, PdqHash)> matched, int max)
    {
        // As whole frames: ordinal 0 = unmatched, 1 = matched, -1 = no usable half.
        var asFrames = frames.Select((f, i) => new VpdqFrame(i, 100, default, f.Time)).ToList();
        var index = frames.Select(f => f.Usable.Count == 0 ? -1 : f.Usable.Any(matched.Contains) ? 1 : 0).ToArray();
        return Ranges(asFrames, index, [false, true], max);
    }

    /// <summary>The distinct usable hashes, and per frame the ordinal of its hash among them (-1: below the quality floor).</summary>
    private static (List<PdqHash> Hashes, int[] Index) Distinct(IReadOnlyList<VpdqFrame> frames, int minQuality)
    {
        var ordinals = new Dictionary<PdqHash, int>();
        var hashes = new List<PdqHash>();
        var index = new int[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].Quality < minQuality) { index[i] = -1; continue; }
            if (!ordinals.TryGetValue(frames[i].Hash, out var o))
            {
                ordinals[frames[i].Hash] = o = hashes.Count;
                hashes.Add(frames[i].Hash);
            }
            index[i] = o;
        }
        return (hashes, index);
    }

    /// <summary>
    /// One pass over the frames in time order (files are written in order; an unordered one is sorted first): a matched
    /// frame opens or extends a range, an unmatched usable frame closes it. Returns the first <paramref name="max"/> ranges,
    /// how many there are in all, and the video's length.
    /// </summary>
    internal static (List<VpdqSegment> Ranges, int Total, double Duration) Ranges(IReadOnlyList<VpdqFrame> frames, int[] hashIndex, bool[] matched, int max)
    {
        var order = Enumerable.Range(0, frames.Count).ToArray();
        for (var i = 1; i < frames.Count; i++)
            if (frames[i].Timestamp < frames[i - 1].Timestamp)
            {
                Array.Sort(order, (a, b) => frames[a].Timestamp != frames[b].Timestamp ? frames[a].Timestamp.CompareTo(frames[b].Timestamp) : a.CompareTo(b));
                break;
            }
        var ranges = new List<VpdqSegment>();
        var total = 0;
        var n = order.Length;
        var step = n >= 2 ? frames[order[n - 1]].Timestamp - frames[order[n - 2]].Timestamp : 0;
        var duration = n == 0 ? 0 : frames[order[n - 1]].Timestamp + step;
        double? start = null;
        var last = -1;
        for (var k = 0; k <= n; k++)
        {
            var closing = k == n;
            if (!closing)
            {
                var h = hashIndex[order[k]];
                if (h < 0) continue; // below the quality floor: neither matches nor breaks
                if (matched[h]) { start ??= frames[order[k]].Timestamp; last = k; continue; }
                closing = true;
            }
            if (start is not { } s) continue;
            total++;
            if (ranges.Count < max) ranges.Add(new VpdqSegment(s, last + 1 < n ? frames[order[last + 1]].Timestamp : duration));
            start = null;
        }
        return (ranges, total, duration);
    }
}
