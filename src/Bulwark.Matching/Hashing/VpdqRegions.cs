using System.Globalization;

namespace Bulwark.Matching.Hashing;

/// <summary>A half of a video frame's picture (after black bars are trimmed), hashed on its own.</summary>
public enum VpdqRegion
{
    Top = 1,
    Bottom = 2,
    Left = 3,
    Right = 4,
}

/// <summary>The PDQ hash of one half of one sampled frame.</summary>
public readonly record struct VpdqRegionFrame(int FrameNumber, VpdqRegion Region, int Quality, PdqHash Hash, double Timestamp);

/// <summary>
/// Region hashes: each sampled frame is also hashed as four halves (top, bottom, left, right). A large overlay (a
/// re-uploader's logo or sticker over a fifth of the picture) changes the whole-frame PDQ hash beyond any safe distance,
/// but leaves at least one half untouched unless it sits across the centre. Two videos match by regions when their frames
/// match in the same half; see <see cref="VpdqRegionMatcher"/>. This is Bulwark's own extension, not part of vPDQ.
/// </summary>
public static class VpdqRegions
{
    public static readonly IReadOnlyList<VpdqRegion> All = [VpdqRegion.Top, VpdqRegion.Bottom, VpdqRegion.Left, VpdqRegion.Right];

    /// <summary>The half of <paramref name="picture"/> that <paramref name="region"/> names (odd sizes give the extra row or column to the second half).</summary>
    public static (int X, int Y, int Width, int Height) Rect((int X, int Y, int Width, int Height) picture, VpdqRegion region)
    {
        var (x, y, w, h) = picture;
        return region switch
        {
            VpdqRegion.Top => (x, y, w, h / 2),
            VpdqRegion.Bottom => (x, y + h / 2, w, h - h / 2),
            VpdqRegion.Left => (x, y, w / 2, h),
            VpdqRegion.Right => (x + w / 2, y, w - w / 2, h),
            _ => throw new ArgumentOutOfRangeException(nameof(region)),
        };
    }

    public static string Name(VpdqRegion region) => region switch
    {
        VpdqRegion.Top => "top",
        VpdqRegion.Bottom => "bottom",
        VpdqRegion.Left => "left",
        VpdqRegion.Right => "right",
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    public static bool TryParse(ReadOnlySpan<char> name, out VpdqRegion region)
    {
        foreach (var r in All)
            if (name.Equals(Name(r), StringComparison.OrdinalIgnoreCase)) { region = r; return true; }
        region = default;
        return false;
    }
}

/// <summary>
/// Text form of region hashes: one line per half, <c>frame,quality,pdqhex,timestamp,region</c> — a vPDQ line with the
/// half's name (<c>top</c>, <c>bottom</c>, <c>left</c>, <c>right</c>) appended, so a vPDQ reader refuses it by its field count.
/// The same text may carry <c>untrimmed</c> lines: whole frames hashed with their black bars (<see cref="VpdqResult.UntrimmedFrames"/>).
/// </summary>
public static class VpdqRegionFormat
{
    /// <summary>The tag of a whole frame hashed with its black bars kept.</summary>
    public const string Untrimmed = "untrimmed";

    /// <summary>The half lines; <c>untrimmed</c> lines are skipped (<see cref="ParseUntrimmed"/> reads them).</summary>
    public static (List<VpdqRegionFrame> Frames, List<VpdqLineError> Errors) Parse(string text)
    {
        var (values, errors) = VpdqFormat.ParseLines<VpdqRegionFrame?>(new StringReader(text), ParseHalf);
        return (values.OfType<VpdqRegionFrame>().ToList(), errors);

        static bool ParseHalf(ReadOnlySpan<char> line, out VpdqRegionFrame? frame, out string error)
        {
            frame = null;
            error = "";
            if (IsUntrimmed(line)) return true;
            if (!TryParseLine(line, out var f, out error)) return false;
            frame = f;
            return true;
        }
    }

    /// <summary>The <c>untrimmed</c> lines as frames; half lines are skipped.</summary>
    public static (List<VpdqFrame> Frames, List<VpdqLineError> Errors) ParseUntrimmed(string text)
    {
        var (values, errors) = VpdqFormat.ParseLines<VpdqFrame?>(new StringReader(text), ParseWhole);
        return (values.OfType<VpdqFrame>().ToList(), errors);

        static bool ParseWhole(ReadOnlySpan<char> line, out VpdqFrame? frame, out string error)
        {
            frame = null;
            error = "";
            if (!IsUntrimmed(line)) return true;
            if (!TryParseUntrimmedLine(line, out var f, out error)) return false;
            frame = f;
            return true;
        }
    }

    /// <summary>Whether a line ends in the <c>untrimmed</c> tag.</summary>
    public static bool IsUntrimmed(ReadOnlySpan<char> line)
    {
        var comma = line.LastIndexOf(',');
        return comma >= 0 && line[(comma + 1)..].Trim().Equals(Untrimmed, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An <c>untrimmed</c> line: a vPDQ frame line with <c>,untrimmed</c> appended.</summary>
    public static bool TryParseUntrimmedLine(ReadOnlySpan<char> line, out VpdqFrame frame, out string error)
    {
        frame = default;
        if (!IsUntrimmed(line)) { error = $"expected a line ending in ',{Untrimmed}'"; return false; }
        var comma = line.LastIndexOf(',');
        if (line[..comma].Count(',') != 3)
        {
            error = $"expected 5 comma-separated fields (frame,quality,pdqhex,timestamp,{Untrimmed}); got {line.Count(',') + 1}";
            return false;
        }
        return VpdqFormat.TryParseLine(line[..comma], out frame, out error);
    }

    public static string FormatUntrimmedLine(in VpdqFrame f) => VpdqFormat.FormatLine(f) + "," + Untrimmed;

    public static bool TryParseLine(ReadOnlySpan<char> line, out VpdqRegionFrame frame, out string error)
    {
        frame = default;
        var comma = line.LastIndexOf(',');
        if (comma < 0 || line[..comma].Count(',') != 3)
        {
            error = $"expected 5 comma-separated fields (frame,quality,pdqhex,timestamp,region); got {line.Count(',') + 1}";
            return false;
        }
        if (!VpdqRegions.TryParse(line[(comma + 1)..].Trim(), out var region))
        {
            error = $"region '{line[(comma + 1)..].Trim()}' is not one of top, bottom, left, right";
            return false;
        }
        if (!VpdqFormat.TryParseLine(line[..comma], out var f, out error)) return false;
        frame = new VpdqRegionFrame(f.FrameNumber, region, f.Quality, f.Hash, f.Timestamp);
        return true;
    }

    public static string FormatLine(in VpdqRegionFrame f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.FrameNumber},{f.Quality},{f.Hash},{f.Timestamp:F3},{VpdqRegions.Name(f.Region)}");

    /// <summary>Half lines, then <c>untrimmed</c> lines.</summary>
    public static string ToText(IEnumerable<VpdqRegionFrame> frames, IEnumerable<VpdqFrame>? untrimmed = null)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var f in frames) w.Write(FormatLine(f) + "\n");
        foreach (var f in untrimmed ?? []) w.Write(FormatUntrimmedLine(f) + "\n");
        return w.ToString();
    }
}

/// <summary>A frame's usable region hashes, as the region match rule counts them.</summary>
public readonly record struct UsableRegionFrame(int FrameNumber, IReadOnlyList<(VpdqRegion Region, PdqHash Hash)> Hashes);

/// <summary>
/// The region match rule, as a plain comparison of every pair (the service matches against an index and must agree):
/// a query frame matches when one of its halves is within the distance of the same half of some reference frame, and a
/// reference frame is matched likewise. Percentages count frames that have at least one usable half; halves below the
/// quality floor are ignored and a (half, hash) pair already seen earlier in the video counts once, as vPDQ counts
/// identical frame hashes once.
/// </summary>
public static class VpdqRegionMatcher
{
    /// <summary>The usable halves grouped by frame, in frame order; frames left without any usable half are dropped.</summary>
    public static List<UsableRegionFrame> UsableFrames(IEnumerable<VpdqRegionFrame> regions, int minQuality = VpdqMatcher.DefaultMinQuality)
    {
        var seen = new HashSet<(VpdqRegion, PdqHash)>();
        var frames = new List<UsableRegionFrame>();
        foreach (var group in regions.GroupBy(r => r.FrameNumber).OrderBy(g => g.Key))
        {
            var hashes = new List<(VpdqRegion, PdqHash)>();
            foreach (var r in group)
                if (r.Quality >= minQuality && seen.Add((r.Region, r.Hash))) hashes.Add((r.Region, r.Hash));
            if (hashes.Count > 0) frames.Add(new UsableRegionFrame(group.Key, hashes));
        }
        return frames;
    }

    public static VpdqComparison Compare(IEnumerable<VpdqRegionFrame> query, IEnumerable<VpdqRegionFrame> reference,
        int distance = VpdqMatcher.DefaultDistance, int minQuality = VpdqMatcher.DefaultMinQuality)
    {
        var q = UsableFrames(query, minQuality);
        var r = UsableFrames(reference, minQuality);
        var refMatched = new bool[r.Count];
        var queryMatched = 0;
        foreach (var qf in q)
        {
            var any = false;
            for (var j = 0; j < r.Count; j++)
            {
                if (!Match(qf, r[j], distance)) continue;
                any = true;
                refMatched[j] = true;
            }
            if (any) queryMatched++;
        }
        return new VpdqComparison(VpdqMatcher.Percent(queryMatched, q.Count), VpdqMatcher.Percent(refMatched.Count(m => m), r.Count), q.Count, r.Count);
    }

    private static bool Match(UsableRegionFrame a, UsableRegionFrame b, int distance)
    {
        foreach (var (region, hash) in a.Hashes)
            foreach (var (otherRegion, other) in b.Hashes)
                if (region == otherRegion && hash.HammingDistance(other) <= distance) return true;
        return false;
    }
}
