using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>
/// One bank entry that matched, with what a moderator needs to check it. A vPDQ match is by whole frames
/// (<see cref="MatchedBy"/> <c>frames</c>), by whole frames with black bars kept on one side or both (<c>untrimmed</c>: a
/// letterboxed upload against a partner's hash of the same file, or a partner's hash against an entry hashed here), or,
/// when whole frames fall short, by the same half of frames (<c>halves</c>).
/// </summary>
public sealed record KnownMatch(
    string Bank, bool SafeBank, long EntryId, string SignalType, string Value, int Distance, IReadOnlyList<string> Labels, string? Entity, string? Source,
    int? Threshold = null, double? QueryMatchPercent = null, double? ReferenceMatchPercent = null, string? MatchedBy = null,
    VpdqSegments? Segments = null)
{
    public const string ByFrames = "frames";
    public const string ByHalves = "halves";
    public const string ByUntrimmed = "untrimmed";

    public string Describe(string subject)
    {
        var (what, detail) = SignalType switch
        {
            KnownSignalTypes.Vpdq when MatchedBy == ByHalves => ("vpdq matches", string.Create(CultureInfo.InvariantCulture,
                $"by region hashes: {QueryMatchPercent:F0} % of its frames and {ReferenceMatchPercent:F0} % of the entry's frames match in the same half within distance {Threshold}, as when part of the picture is covered; closest half at distance {Distance}")),
            KnownSignalTypes.Vpdq when MatchedBy == ByUntrimmed => ("vpdq matches", string.Create(CultureInfo.InvariantCulture,
                $"by frames hashed with their black bars, as other vPDQ tools hash them: {QueryMatchPercent:F0} % of its frames and {ReferenceMatchPercent:F0} % of the entry's frames within distance {Threshold}; closest frame at distance {Distance}")),
            KnownSignalTypes.Vpdq => ("vpdq matches", string.Create(CultureInfo.InvariantCulture,
                $"{QueryMatchPercent:F0} % of its frames and {ReferenceMatchPercent:F0} % of the entry's frames within distance {Threshold}; closest frame at distance {Distance}")),
            KnownSignalTypes.Pdq => ($"pdq is within distance {Distance} of", $"distance {Distance}, threshold {Threshold}"),
            _ => ($"{SignalType} equals", "distance 0"),
        };
        return $"{subject} {what} entry {EntryId} of bank '{Bank}'" + (SafeBank ? " (a safe bank)" : "")
            + (Labels.Count > 0 ? $" labelled {string.Join(", ", Labels)}" : "")
            + (Entity is null ? "" : $", attributed to {Entity}") + (Source is null ? "" : $", source {Source}") + $" ({detail})"
            + (Segments is null ? "" : $"; {Segments.Describe()}");
    }
}

/// <summary>The matches of one query. When a safe bank matched, the other banks' matches are moved to <see cref="Suppressed"/>.</summary>
public sealed record MatchSet(IReadOnlyList<KnownMatch> Matches, IReadOnlyList<KnownMatch> Suppressed)
{
    public IEnumerable<KnownMatch> Safe => Matches.Where(m => m.SafeBank);
    public IEnumerable<KnownMatch> Actionable => Matches.Where(m => !m.SafeBank);
}

/// <summary>
/// Matches hashes against every enabled bank: PDQ and vPDQ through the <see cref="PdqIndexService"/> (each bank's own
/// thresholds), exact hashes and URLs by lookup. Entry details are read from the database, so a disabled entry or bank
/// never matches even before the index has caught up.
/// </summary>
public sealed class KnownContentMatcher(IBulwarkDbFactory dbs, PdqIndexService index, KnownContentOptions options)
{
    public async Task<MatchSet> MatchAsync(MediaHashes hashes, string? bank, CancellationToken ct)
    {
        await index.EnsureLoadedAsync(ct);
        var found = new List<KnownMatch>();
        found.AddRange(await ExactAsync([(KnownSignalTypes.Sha256, hashes.Sha256), (KnownSignalTypes.Md5, hashes.Md5)], ct));
        if (hashes.Pdq is { } pdq) found.AddRange(await PdqAsync(pdq, ct));
        if (hashes.Vpdq is { } frames) found.AddRange(await VideoAsync(frames, hashes.VpdqUntrimmed, hashes.VpdqRegions, ct));
        return Finish(found, bank);
    }

    public async Task<MatchSet> MatchSignalAsync(CanonicalSignal signal, string? bank, CancellationToken ct)
    {
        await index.EnsureLoadedAsync(ct);
        var found = signal.SignalType switch
        {
            KnownSignalTypes.Pdq => await PdqAsync(new PdqResult(PdqHash.Parse(signal.Value), 100), ct),
            KnownSignalTypes.Vpdq => await VideoAsync(VpdqFormat.Parse(signal.Payload!).Frames,
                signal.RegionPayload is { } extra ? VpdqRegionFormat.ParseUntrimmed(extra).Frames : [],
                signal.RegionPayload is { } regions ? VpdqRegionFormat.Parse(regions).Frames : [], ct),
            KnownSignalTypes.Url => await ExactAsync([(KnownSignalTypes.Url, signal.Value), (KnownSignalTypes.UrlMd5, KnownSignalTypes.Md5Hex(signal.Value))], ct),
            _ => await ExactAsync([(signal.SignalType, signal.Value)], ct),
        };
        return Finish(found, bank);
    }

    /// <summary>Safe banks suppress even when the caller looks at one bank only; the bank filter is applied afterwards.</summary>
    private static MatchSet Finish(List<KnownMatch> found, string? bank)
    {
        var distinct = found.GroupBy(m => (m.EntryId, m.SignalType)).Select(g => g.MinBy(m => m.Distance)!).OrderBy(m => m.Distance).ThenBy(m => m.EntryId).ToList();
        var safe = distinct.Any(m => m.SafeBank);
        if (bank is not null) distinct = distinct.Where(m => m.Bank == bank).ToList();
        return safe
            ? new MatchSet(distinct.Where(m => m.SafeBank).ToList(), distinct.Where(m => !m.SafeBank).ToList())
            : new MatchSet(distinct, []);
    }

    private async Task<List<KnownMatch>> PdqAsync(PdqResult pdq, CancellationToken ct)
    {
        if (pdq.Quality < options.MinQuality) return [];
        var hits = new List<IndexHit>();
        index.Search(pdq.Hash, index.MaxThreshold, hits);
        var banks = index.Banks;
        var best = hits.Where(h => !h.Ref.Video && banks.TryGetValue(h.Ref.BankId, out var b) && b.Enabled && h.Distance <= b.PdqThreshold)
            .GroupBy(h => h.Ref.EntryId).ToDictionary(g => g.Key, g => g.Min(h => h.Distance));
        return await DescribeAsync(best.Keys, (row, bank) => Make(row, bank, best[row.Id], bank.PdqThreshold), ct);
    }

    /// <summary>Whole-frame matches first (trimmed and untrimmed); entries they miss are then tried by region hashes.</summary>
    private async Task<List<KnownMatch>> VideoAsync(IReadOnlyList<VpdqFrame> frames, IReadOnlyList<VpdqFrame> untrimmed, IReadOnlyList<VpdqRegionFrame> regions, CancellationToken ct)
    {
        var found = await WholeFramesAsync(frames, untrimmed, ct);
        if (options.VideoRegionHashes && regions.Count > 0)
        {
            var byFrames = found.Select(m => m.EntryId).ToHashSet();
            var halves = VpdqRegionMatcher.UsableFrames(regions, options.MinQuality).Select(f => f.Hashes).ToList();
            found.AddRange((await FramesAsync(halves, regions, index.RegionFrames, KnownMatch.ByHalves, ct)).Where(m => !byFrames.Contains(m.EntryId)));
        }
        return found;
    }

    /// <summary>
    /// The region rule against the index (<see cref="VpdqRegionMatcher"/> is its plain form): a query frame counts for an entry
    /// when one of its halves is within the bank's distance of the same half of one of the entry's frames; the entry's frames
    /// are counted likewise, out of <paramref name="entryFrames"/>. Whole frames go through <see cref="WholeFramesAsync"/>.
    /// <paramref name="queryHalves"/> are the query's halves as hashed, for a match's segments.
    /// </summary>
    private async Task<List<KnownMatch>> FramesAsync(IReadOnlyList<IReadOnlyList<(VpdqRegion Region, PdqHash Hash)>> query,
        IReadOnlyList<VpdqRegionFrame> queryHalves, Func<long, int> entryFrames, string by, CancellationToken ct)
    {
        if (query.Count == 0) return [];
        var banks = index.Banks;
        var max = index.MaxThreshold;
        var queryMatched = new Dictionary<long, int>();
        var refMatched = new Dictionary<long, HashSet<int>>();
        var closest = new Dictionary<long, int>();
        var hits = new List<IndexHit>();
        var entriesHit = new HashSet<long>();
        foreach (var frame in query)
        {
            entriesHit.Clear();
            foreach (var (region, hash) in frame)
            {
                hits.Clear();
                index.Search(hash, max, hits);
                foreach (var h in hits)
                {
                    if (!h.Ref.Video || h.Ref.Region != (byte)region || !banks.TryGetValue(h.Ref.BankId, out var b) || !b.Enabled || h.Distance > b.PdqThreshold) continue;
                    entriesHit.Add(h.Ref.EntryId);
                    (refMatched.TryGetValue(h.Ref.EntryId, out var set) ? set : refMatched[h.Ref.EntryId] = []).Add(h.Ref.Frame);
                    closest[h.Ref.EntryId] = Math.Min(closest.GetValueOrDefault(h.Ref.EntryId, int.MaxValue), h.Distance);
                }
            }
            foreach (var e in entriesHit) queryMatched[e] = queryMatched.GetValueOrDefault(e) + 1;
        }
        return await DescribeAsync(queryMatched.Keys, (row, bank) =>
        {
            var queryPercent = 100.0 * queryMatched[row.Id] / query.Count;
            var refFrames = entryFrames(row.Id);
            var refPercent = refFrames == 0 ? 0 : 100.0 * Math.Min(refFrames, refMatched[row.Id].Count) / refFrames;
            return queryPercent >= bank.VpdqQueryMatchPercent && refPercent >= bank.VpdqReferenceMatchPercent
                ? Make(row, bank, closest[row.Id], bank.PdqThreshold, queryPercent, refPercent, by) with
                {
                    Segments = row.RegionPayload is { Length: > 0 } text && VpdqRegionFormat.Parse(text).Frames is { Count: > 0 } entryHalves
                        ? VpdqSegments.FindByHalves(queryHalves, entryHalves, bank.PdqThreshold, options.MinQuality) : null,
                }
                : null;
        }, ct);
    }

    /// <summary>
    /// The vPDQ rule over both ways a letterboxed video is hashed (<see cref="VpdqMatcher.CompareViews"/> is its plain form):
    /// each distinct usable hash of the query's trimmed frames and, when it had bars, of its untrimmed frames is looked up
    /// once; a hit counts for the pair (query view, the entry's view that was hit: trimmed frames are region 0 in the index,
    /// untrimmed ones <see cref="IndexedHash.UntrimmedFrame"/>). Per entry the pairs are tried in the reference's order and
    /// the first that reaches the bank's thresholds is the match.
    /// </summary>
    private async Task<List<KnownMatch>> WholeFramesAsync(IReadOnlyList<VpdqFrame> trimmedFrames, IReadOnlyList<VpdqFrame> untrimmedFrames, CancellationToken ct)
    {
        var trimmed = VpdqMatcher.UsableHashes(trimmedFrames, options.MinQuality);
        var untrimmed = VpdqMatcher.UsableHashes(untrimmedFrames, options.MinQuality);
        if (trimmed.Count == 0 && untrimmed.Count == 0) return [];
        var banks = index.Banks;
        var max = index.MaxThreshold;
        var queryMatched = new Dictionary<(long Entry, bool QueryUntrimmed, bool RefUntrimmed), int>();
        var refMatched = new Dictionary<(long, bool, bool), HashSet<int>>();
        var closest = new Dictionary<(long, bool, bool), int>();
        var hits = new List<IndexHit>();
        var keysHit = new HashSet<(long, bool, bool)>();
        foreach (var (hashes, queryUntrimmed) in new[] { (trimmed, false), (untrimmed, true) })
            foreach (var hash in hashes)
            {
                keysHit.Clear();
                hits.Clear();
                index.Search(hash, max, hits);
                foreach (var h in hits)
                {
                    if (!h.Ref.Video || h.Ref.IsRegion || !banks.TryGetValue(h.Ref.BankId, out var b) || !b.Enabled || h.Distance > b.PdqThreshold) continue;
                    var key = (h.Ref.EntryId, queryUntrimmed, h.Ref.IsUntrimmed);
                    keysHit.Add(key);
                    (refMatched.TryGetValue(key, out var set) ? set : refMatched[key] = []).Add(h.Ref.Frame);
                    closest[key] = Math.Min(closest.GetValueOrDefault(key, int.MaxValue), h.Distance);
                }
                foreach (var k in keysHit) queryMatched[k] = queryMatched.GetValueOrDefault(k) + 1;
            }
        return await DescribeAsync(queryMatched.Keys.Select(k => k.Entry).Distinct(), (row, bank) =>
        {
            foreach (var (qu, ru) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                if (!queryMatched.TryGetValue((row.Id, qu, ru), out var matched)) continue;
                var queryPercent = 100.0 * matched / (qu ? untrimmed.Count : trimmed.Count);
                var refFrames = ru ? index.UntrimmedFrames(row.Id) : index.VideoFrames(row.Id);
                var refPercent = refFrames == 0 ? 0 : 100.0 * Math.Min(refFrames, refMatched[(row.Id, qu, ru)].Count) / refFrames;
                if (queryPercent >= bank.VpdqQueryMatchPercent && refPercent >= bank.VpdqReferenceMatchPercent)
                    return Make(row, bank, closest[(row.Id, qu, ru)], bank.PdqThreshold, queryPercent, refPercent, qu || ru ? KnownMatch.ByUntrimmed : KnownMatch.ByFrames)
                        with { Segments = Segments(qu ? untrimmedFrames : trimmedFrames, row, ru, bank.PdqThreshold) };
            }
            return null;
        }, ct);
    }

    /// <summary>
    /// Which stretches of the query and of the entry matched, for a match only (never for a candidate): the query view's
    /// frames against the entry's stored frames of the view that matched (its payload, or its untrimmed frames), compared
    /// as the index compared them (the bank's distance, the quality floor). Null when the entry keeps no frames to place.
    /// </summary>
    private VpdqSegments? Segments(IReadOnlyList<VpdqFrame> query, BankEntryRow row, bool referenceUntrimmed, int distance)
    {
        var reference = referenceUntrimmed
            ? row.RegionPayload is { Length: > 0 } extra ? VpdqRegionFormat.ParseUntrimmed(extra).Frames : []
            : row.Payload is { Length: > 0 } payload ? VpdqFormat.Parse(payload).Frames : [];
        return reference.Count == 0 ? null : VpdqSegments.Find(query, reference, distance, options.MinQuality);
    }

    private async Task<List<KnownMatch>> ExactAsync(IReadOnlyList<(string Type, string Value)> values, CancellationToken ct)
    {
        var result = new List<KnownMatch>();
        await using var db = dbs.Create();
        foreach (var (type, value) in values)
        {
            var rows = await db.BankEntries.AsNoTracking().Where(e => e.Enabled && e.SignalType == type && e.Value == value)
                .Join(db.Banks.Where(b => b.Enabled), e => e.BankId, b => b.Id, (e, b) => new { Entry = e, Bank = b }).ToListAsync(ct);
            result.AddRange(rows.Select(r => Make(r.Entry, ToIndexed(r.Bank), 0, null)));
        }
        return result;
    }

    private async Task<List<KnownMatch>> DescribeAsync(IEnumerable<long> entryIds, Func<BankEntryRow, IndexedBank, KnownMatch?> make, CancellationToken ct)
    {
        var ids = entryIds.ToList();
        if (ids.Count == 0) return [];
        await using var db = dbs.Create();
        var rows = await db.BankEntries.AsNoTracking().Where(e => ids.Contains(e.Id) && e.Enabled)
            .Join(db.Banks.Where(b => b.Enabled), e => e.BankId, b => b.Id, (e, b) => new { Entry = e, Bank = b }).ToListAsync(ct);
        return rows.Select(r => make(r.Entry, ToIndexed(r.Bank))).OfType<KnownMatch>().ToList();
    }

    private static IndexedBank ToIndexed(BankRow b) => new(b.Id, b.Name, b.Enabled, b.Safe, b.PdqThreshold, b.VpdqQueryMatchPercent, b.VpdqReferenceMatchPercent);

    private static KnownMatch Make(BankEntryRow e, IndexedBank b, int distance, int? threshold, double? queryPercent = null, double? refPercent = null, string? by = null) => new(
        b.Name, b.Safe, e.Id, e.SignalType, e.Value, distance, JsonSerializer.Deserialize(e.LabelsJson, IngestJson.Default.ListString) ?? [],
        e.Entity, e.Source, threshold, queryPercent, refPercent, by);
}
