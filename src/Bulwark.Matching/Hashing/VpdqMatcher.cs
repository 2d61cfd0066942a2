namespace Bulwark.Matching.Hashing;

/// <summary>How much of a query video matches a reference video, in percent of their distinct usable frame hashes.</summary>
public readonly record struct VpdqComparison(double QueryMatchPercent, double ReferenceMatchPercent, int QueryFrames, int ReferenceFrames)
{
    /// <summary>The vPDQ match rule: both percentages reach their thresholds (defaults 80 % and 0 %).</summary>
    public bool IsMatch(double queryThreshold = VpdqMatcher.DefaultQueryMatchPercent, double referenceThreshold = VpdqMatcher.DefaultReferenceMatchPercent) =>
        QueryFrames > 0 && ReferenceFrames > 0 && QueryMatchPercent >= queryThreshold && ReferenceMatchPercent >= referenceThreshold;
}

/// <summary>
/// The vPDQ match rule as the reference states it: frames below the quality floor are ignored and identical hashes count once;
/// a query frame matches when some reference frame is within the PDQ distance threshold, and vice versa.
/// This is the plain reference comparison (every pair); the service matches against an index and must agree with it.
/// </summary>
public static class VpdqMatcher
{
    public const double DefaultQueryMatchPercent = 80;
    public const double DefaultReferenceMatchPercent = 0;
    public const int DefaultDistance = 31;
    public const int DefaultMinQuality = 50;

    /// <summary>The distinct hashes of frames of at least <paramref name="minQuality"/>, in first-seen order.</summary>
    public static List<PdqHash> UsableHashes(IEnumerable<VpdqFrame> frames, int minQuality = DefaultMinQuality)
    {
        var seen = new HashSet<PdqHash>();
        var list = new List<PdqHash>();
        foreach (var f in frames)
            if (f.Quality >= minQuality && seen.Add(f.Hash)) list.Add(f.Hash);
        return list;
    }

    public static VpdqComparison Compare(IEnumerable<VpdqFrame> query, IEnumerable<VpdqFrame> reference,
        int distance = DefaultDistance, int minQuality = DefaultMinQuality)
    {
        var q = UsableHashes(query, minQuality);
        var r = UsableHashes(reference, minQuality);
        var refMatched = new bool[r.Count];
        var queryMatched = 0;
        for (var i = 0; i < q.Count; i++)
        {
            var any = false;
            for (var j = 0; j < r.Count; j++)
            {
                if (q[i].HammingDistance(r[j]) > distance) continue;
                any = true;
                refMatched[j] = true;
            }
            if (any) queryMatched++;
        }
        var refCount = refMatched.Count(m => m);
        return new VpdqComparison(Percent(queryMatched, q.Count), Percent(refCount, r.Count), q.Count, r.Count);
    }

    /// <summary>
    /// The vPDQ rule across both ways of hashing a letterboxed video: with its black bars trimmed (how Bulwark hashes) and
    /// whole (how the reference vPDQ and partners hash; empty when the video had no bars). The pairs are tried in this order
    /// — trimmed/trimmed, query untrimmed/reference trimmed, query trimmed/reference untrimmed, untrimmed/untrimmed — and the
    /// first that matches (both thresholds reached, at least one query frame matched) is returned; null when none does. The
    /// service's indexed matching must agree with this plain comparison.
    /// </summary>
    public static (VpdqComparison Comparison, bool QueryUntrimmed, bool ReferenceUntrimmed)? CompareViews(
        IReadOnlyList<VpdqFrame> query, IReadOnlyList<VpdqFrame> queryUntrimmed,
        IReadOnlyList<VpdqFrame> reference, IReadOnlyList<VpdqFrame> referenceUntrimmed,
        double queryThreshold = DefaultQueryMatchPercent, double referenceThreshold = DefaultReferenceMatchPercent,
        int distance = DefaultDistance, int minQuality = DefaultMinQuality)
    {
        foreach (var (qu, ru) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var q = qu ? queryUntrimmed : query;
            var r = ru ? referenceUntrimmed : reference;
            if (q.Count == 0 || r.Count == 0) continue;
            var c = Compare(q, r, distance, minQuality);
            if (c.QueryMatchPercent > 0 && c.IsMatch(queryThreshold, referenceThreshold)) return (c, qu, ru);
        }
        return null;
    }

    internal static double Percent(int part, int whole) => whole == 0 ? 0 : 100.0 * part / whole;
}
