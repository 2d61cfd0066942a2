using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>One counted record: which fact it adds to, and the record it is (for <c>--explain</c>).</summary>
public sealed record Contribution(string Market, string Policy, string SubPolicy, string Metric, long Value, string Record);

/// <summary>A day's facts: the fact rows, the duration histograms and (when asked) every record behind them.</summary>
public sealed record DayFacts(DateOnly Day, IReadOnlyList<RollupFactRow> Facts, IReadOnlyList<RollupDurationRow> Durations, IReadOnlyList<Contribution>? Contributions);

/// <summary>
/// Folds the records of one UTC day into facts. Every event is counted on the day it happened by its own timestamp:
/// a removal on the day it took effect (the pipeline's decision, or the person's confirmation), a restoration on the day
/// the appeal reversed it, an appeal on the day it was received and again on the day it was decided. So a day's facts
/// depend only on records stamped inside the day, and recomputing a day is a pure function of them (idempotent).
/// </summary>
public sealed class DayFolder(IBulwarkDbFactory dbs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] NotFirstReviewQueues = [ReviewQueues.Appeals, ReviewQueues.Qa, ReviewQueues.QaDisagreement];

    private sealed record DecisionFacts(long Id, string ContentId, long ContentVersionId, string? Policy, string ActionsJson, string RulesJson, string FiredJson,
        bool Automated, string? ReviewedBy, DateTimeOffset DecidedAt, DateTimeOffset? ReversedAt);

    private sealed record ContentFacts(string Kind, string Market, string Basis, long? Views, DateTimeOffset UploadedAt);

    public async Task<DayFacts> FoldAsync(DateOnly day, bool explain, CancellationToken ct)
    {
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var dayEnd = dayStart.AddDays(1);
        await using var db = dbs.Create();
        var acc = new Accumulator(explain);

        // Uploads: new content items first seen today, by the market of their account.
        var uploads = await (from i in db.ContentItems.AsNoTracking()
                             where i.FirstSeenAt >= dayStart && i.FirstSeenAt < dayEnd
                             join a in db.Accounts.AsNoTracking() on i.AccountId equals a.Id into accounts
                             from a in accounts.DefaultIfEmpty()
                             group i by new { Country = a == null ? null : a.Country, i.Kind } into g
                             select new { g.Key.Country, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);
        foreach (var u in uploads)
        {
            var market = Market(u.Country);
            acc.Add(market, TransparencyMetrics.None, TransparencyMetrics.None, TransparencyMetrics.Uploads, u.Count, $"content items first seen {day:yyyy-MM-dd} ({u.Kind})");
            if (IsVideo(u.Kind)) acc.Add(market, TransparencyMetrics.None, TransparencyMetrics.None, TransparencyMetrics.VideoUploads, u.Count, $"content items first seen {day:yyyy-MM-dd} ({u.Kind})");
        }

        // Restrictions that took effect today: pipeline decisions nobody reviewed, and decisions a person confirmed today.
        var decisions = db.Decisions.AsNoTracking();
        var automated = await decisions.Where(d => d.DecidedAt >= dayStart && d.DecidedAt < dayEnd && d.ReviewedBy == null && d.ActionsJson != "[]")
            .Select(d => new DecisionFacts(d.Id, d.ContentId, d.ContentVersionId, d.Policy, d.ActionsJson, d.RulesJson, d.FiredJson, d.Automated, d.ReviewedBy, d.DecidedAt, d.ReversedAt))
            .ToListAsync(ct);
        var confirmed = await (from c in db.Set<ReviewCaseRow>().AsNoTracking()
                               where c.DecidedAt >= dayStart && c.DecidedAt < dayEnd && c.Verdict == ReviewVerdict.Violation && c.DecisionId != null
                                     && !NotFirstReviewQueues.Contains(c.Queue)
                               join d in decisions on c.DecisionId equals d.Id
                               where d.ReviewedBy != null
                               select new { At = c.DecidedAt!.Value, D = new DecisionFacts(d.Id, d.ContentId, d.ContentVersionId, d.Policy, d.ActionsJson, d.RulesJson, d.FiredJson, d.Automated, d.ReviewedBy, d.DecidedAt, d.ReversedAt) })
            .ToListAsync(ct);
        var restrictions = automated.Select(d => (At: d.DecidedAt, D: d))
            .Concat(confirmed.GroupBy(x => x.D.Id).Select(g => (At: g.Min(x => x.At), g.First().D)))
            .ToList();
        var reversed = await decisions.Where(d => d.ReversedAt >= dayStart && d.ReversedAt < dayEnd)
            .Select(d => new DecisionFacts(d.Id, d.ContentId, d.ContentVersionId, d.Policy, d.ActionsJson, d.RulesJson, d.FiredJson, d.Automated, d.ReviewedBy, d.DecidedAt, d.ReversedAt))
            .ToListAsync(ct);
        var content = await ContentAsync(db, restrictions.Select(r => r.D).Concat(reversed), ct);

        foreach (var (at, d) in restrictions)
        {
            var actions = Actions(d.ActionsJson);
            var measures = actions.Select(a => DsaMeasures.For(a.Kind)).OfType<string>().Distinct().ToList();
            // A label alone is context beside an exception, not a restriction (as in the statement of reasons).
            if (measures.Count == 1 && measures[0] == DsaMeasures.Labelled) measures.Clear();
            if (measures.Count == 0) continue;
            var c = content.GetValueOrDefault(d.ContentVersionId) ?? new ContentFacts("unknown", TransparencyMetrics.UnknownMarket, TransparencyMetrics.BasisOwnInitiative, null, d.DecidedAt);
            var policy = d.Policy ?? TransparencyMetrics.None;
            var rule = SubPolicy(d);
            var record = $"decision:{d.Id}";
            var fully = d.ReviewedBy is null;
            acc.Add(c.Market, policy, rule, TransparencyMetrics.Measure(c.Basis, TransparencyMetrics.Restrictions), 1, record);
            foreach (var m in measures) acc.Add(c.Market, policy, rule, TransparencyMetrics.Measure(c.Basis, m), 1, record);
            acc.Add(c.Market, policy, rule, TransparencyMetrics.Measure(c.Basis, fully ? "AUTOMATED_DECISION_FULLY" : "AUTOMATED_DECISION_PARTIALLY"), 1, record);
            // Every restriction was flagged by the pipeline; only own-initiative ones were found by it (a notice found the rest).
            if (c.Basis == TransparencyMetrics.BasisOwnInitiative) acc.Add(c.Market, policy, rule, TransparencyMetrics.Measure(c.Basis, TransparencyMetrics.DetectionAutomated), 1, record);

            if (measures.Contains(DsaMeasures.Removed))
            {
                acc.Add(c.Market, policy, rule, TransparencyMetrics.ContentRemoved, 1, record);
                if (IsVideo(c.Kind)) acc.Add(c.Market, policy, rule, TransparencyMetrics.VideosRemoved, 1, record);
                if (c.Basis == TransparencyMetrics.BasisOwnInitiative) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedProactive, 1, record);
                if (c.Views == 0) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedZeroViews, 1, record);
                if (c.Views is null) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedViewsUnknown, 1, record);
                var age = at - c.UploadedAt;
                if (age <= TimeSpan.FromHours(24)) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedWithin24h, 1, record);
                if (fully) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedAutomated, 1, record);
                if (Detectors(d.FiredJson).Contains("known-content")) acc.Add(c.Market, policy, rule, TransparencyMetrics.RemovedKnownContent, 1, record);
                acc.Duration(TransparencyMetrics.DurationRemoval, policy, age);
            }
            else if (measures.Any(m => m.StartsWith("DECISION_VISIBILITY_", StringComparison.Ordinal)))
                acc.Add(c.Market, policy, rule, TransparencyMetrics.ContentRestricted, 1, record);
            if (measures.Contains(DsaMeasures.AccountTerminated))
                acc.Add(c.Market, policy, BanBasis(actions, d), TransparencyMetrics.AccountsBanned, 1, record);
            if (measures.Contains(DsaMeasures.AccountSuspended))
                acc.Add(c.Market, policy, rule, TransparencyMetrics.AccountsSuspended, 1, record);
        }

        foreach (var d in reversed)
        {
            if (!Actions(d.ActionsJson).Any(a => a.Kind == "content.remove")) continue;
            var c = content.GetValueOrDefault(d.ContentVersionId);
            acc.Add(c?.Market ?? TransparencyMetrics.UnknownMarket, d.Policy ?? TransparencyMetrics.None, SubPolicy(d), TransparencyMetrics.RestoredAfterAppeal, 1, $"decision:{d.Id}");
        }

        // Appeals (complaints, DSA Art. 20): received today; decided today, with how long they took.
        var appeals = db.Set<AppealRow>().AsNoTracking();
        var received = await (from a in appeals
                              where a.ReceivedAt >= dayStart && a.ReceivedAt < dayEnd
                              join acct in db.Accounts.AsNoTracking() on a.AccountId equals acct.Id into accts
                              from acct in accts.DefaultIfEmpty()
                              select new { a.Id, a.Policy, Country = acct == null ? null : acct.Country }).ToListAsync(ct);
        foreach (var a in received)
            acc.Add(Market(a.Country), a.Policy ?? TransparencyMetrics.None, TransparencyMetrics.None, TransparencyMetrics.AppealsSubmitted, 1, $"appeal:{a.Id}");
        var decided = await (from a in appeals
                             where a.DecidedAt >= dayStart && a.DecidedAt < dayEnd && a.Status == AppealStatus.Decided
                             join acct in db.Accounts.AsNoTracking() on a.AccountId equals acct.Id into accts
                             from acct in accts.DefaultIfEmpty()
                             select new { a.Id, a.Policy, a.Outcome, a.ReceivedAt, DecidedAt = a.DecidedAt!.Value, Country = acct == null ? null : acct.Country }).ToListAsync(ct);
        foreach (var a in decided)
        {
            var market = Market(a.Country);
            var policy = a.Policy ?? TransparencyMetrics.None;
            acc.Add(market, policy, TransparencyMetrics.None, TransparencyMetrics.AppealsDecided, 1, $"appeal:{a.Id}");
            acc.Add(market, policy, TransparencyMetrics.None, a.Outcome == AppealOutcome.Reversed ? TransparencyMetrics.AppealsReversed : TransparencyMetrics.AppealsUpheld, 1, $"appeal:{a.Id}");
            acc.Duration(TransparencyMetrics.DurationAppeal, policy, a.DecidedAt - a.ReceivedAt);
        }

        // Blind QA re-reviews of automated restrictions (opened by the rollup job's sampler: no subject case, a decision).
        var qa = await (from c in db.Set<ReviewCaseRow>().AsNoTracking()
                        where c.Queue == ReviewQueues.Qa && c.SubjectCaseId == null && c.DecisionId != null && c.DecidedAt >= dayStart && c.DecidedAt < dayEnd && c.QaAgrees != null
                        join d in decisions on c.DecisionId equals d.Id
                        select new { c.Id, d.Policy, d.FiredJson, Agrees = c.QaAgrees!.Value }).ToListAsync(ct);
        foreach (var q in qa)
            foreach (var detector in Detectors(q.FiredJson))
            {
                acc.Add(TransparencyMetrics.None, q.Policy ?? TransparencyMetrics.None, detector, TransparencyMetrics.QaAutomatedReviewed, 1, $"review-case:{q.Id}");
                if (q.Agrees) acc.Add(TransparencyMetrics.None, q.Policy ?? TransparencyMetrics.None, detector, TransparencyMetrics.QaAutomatedAgreed, 1, $"review-case:{q.Id}");
            }

        return acc.Result(day);
    }

    private async Task<Dictionary<long, ContentFacts>> ContentAsync(BulwarkDbContext db, IEnumerable<DecisionFacts> ds, CancellationToken ct)
    {
        var result = new Dictionary<long, ContentFacts>();
        foreach (var chunk in ds.Select(d => d.ContentVersionId).Distinct().Chunk(500))
        {
            var rows = await (from v in db.ContentVersions.AsNoTracking()
                              where chunk.Contains(v.Id)
                              join i in db.ContentItems.AsNoTracking() on v.ContentId equals i.Id
                              join a in db.Accounts.AsNoTracking() on i.AccountId equals a.Id into accounts
                              from a in accounts.DefaultIfEmpty()
                              select new { v.Id, v.EventJson, v.ReceivedAt, i.Kind, Country = a == null ? null : a.Country }).ToListAsync(ct);
            foreach (var r in rows)
            {
                var (source, views, created) = ReadEvent(r.EventJson);
                result[r.Id] = new ContentFacts(r.Kind, Market(r.Country), Basis(source), views, created ?? r.ReceivedAt);
            }
        }
        return result;
    }

    /// <summary>The event's source type, view count and creation time; a malformed stored event counts as an upload with unknown views.</summary>
    internal static (string? Source, long? Views, DateTimeOffset? CreatedAt) ReadEvent(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            string? source = null;
            long? views = null;
            DateTimeOffset? created = null;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.NameEquals("viewCount") && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var v)) views = v;
                else if (p.NameEquals("createdAt") && p.Value.ValueKind == JsonValueKind.String && p.Value.TryGetDateTimeOffset(out var t)) created = t;
                else if (p.NameEquals("source") && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                    source = type.GetString();
            }
            return (source, views, created);
        }
        catch (JsonException) { return (null, null, null); }
    }

    public static string Basis(string? sourceType) => sourceType switch
    {
        "user_report" => TransparencyMetrics.BasisNotice,
        "trusted_flagger" => TransparencyMetrics.BasisTrustedFlagger,
        "authority_order" => TransparencyMetrics.BasisOrder,
        _ => TransparencyMetrics.BasisOwnInitiative,
    };

    public static string Market(string? country) =>
        country is { Length: >= 2 and <= 8 } ? country.ToUpperInvariant() : TransparencyMetrics.UnknownMarket;

    private static bool IsVideo(string kind) => kind is "video" or "livestream";

    private static List<DecisionAction> Actions(string json)
    {
        try { return JsonSerializer.Deserialize<List<DecisionAction>>(json, Json) ?? []; }
        catch (JsonException) { return []; }
    }

    private static string SubPolicy(DecisionFacts d)
    {
        if (d.ReviewedBy is not null) return "human-review";
        try { return JsonSerializer.Deserialize<List<string>>(d.RulesJson, Json) is [var first, ..] ? Clip(first) : TransparencyMetrics.None; }
        catch (JsonException) { return TransparencyMetrics.None; }
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64];

    private static string BanBasis(List<DecisionAction> actions, DecisionFacts d)
    {
        var ban = actions.First(a => a.Kind == "account.ban");
        if (ban.Details?.GetValueOrDefault("reason") is { } reason && reason.StartsWith("zero tolerance", StringComparison.Ordinal)) return TransparencyMetrics.BanZeroTolerance;
        if (Inputs(d.FiredJson).Any(i => i is "account.findings" or "account.linked_findings")) return TransparencyMetrics.BanOffPlatform;
        if (ban.Details?.ContainsKey(Policy.Enforcement.StrikeThresholds.Marker) == true || ban.Details?.GetValueOrDefault("reason")?.Contains("ban threshold", StringComparison.Ordinal) == true)
            return TransparencyMetrics.BanStrikes;
        return TransparencyMetrics.BanOther;
    }

    private static IEnumerable<string> Inputs(string firedJson)
    {
        List<FiredRule>? fired;
        try { fired = JsonSerializer.Deserialize<List<FiredRule>>(firedJson, Json); }
        catch (JsonException) { yield break; }
        foreach (var f in fired ?? [])
        {
            if (f.Mode is "shadow") continue;
            foreach (var input in f.Inputs ?? [])
            {
                var name = input.Split([' ', '='], 2, StringSplitOptions.RemoveEmptyEntries) is [var n, ..] ? n : input;
                yield return name;
            }
        }
    }

    /// <summary>The automated detectors whose signals an enforcing rule read: what an accuracy figure is reported for.</summary>
    public static IReadOnlyList<string> Detectors(string firedJson)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in Inputs(firedJson))
        {
            var detector = Detector(name);
            if (detector is not null) set.Add(detector);
        }
        if (set.Count == 0) set.Add("rules-other");
        return [.. set];
    }

    public static string? Detector(string signal)
    {
        if (signal.StartsWith("hash.", StringComparison.Ordinal) || signal.StartsWith("known.", StringComparison.Ordinal) || signal.StartsWith("url.", StringComparison.Ordinal))
            return "known-content";
        if (signal.StartsWith("entity.", StringComparison.Ordinal)) return "entity-screening";
        if (signal.StartsWith("classifier.", StringComparison.Ordinal)) return Clip(string.Join('.', signal.Split('.').Take(2)));
        if (signal.StartsWith("speech.", StringComparison.Ordinal)) return "violent-speech";
        if (signal.StartsWith("partner.", StringComparison.Ordinal)) return "partner-list";
        if (signal == "account.ban_evasion") return "ban-evasion";
        return null;
    }

    private sealed class Accumulator(bool explain)
    {
        private readonly Dictionary<(string, string, string, string), long> _facts = [];
        private readonly Dictionary<(string, string, int), long> _durations = [];
        private readonly List<Contribution>? _contributions = explain ? [] : null;

        public void Add(string market, string policy, string subPolicy, string metric, long value, string record)
        {
            var key = (market, policy, subPolicy, metric);
            _facts[key] = _facts.GetValueOrDefault(key) + value;
            _contributions?.Add(new Contribution(market, policy, subPolicy, metric, value, record));
        }

        public void Duration(string kind, string policy, TimeSpan t)
        {
            var tenths = (int)Math.Clamp(Math.Round(t.TotalHours * 10, MidpointRounding.AwayFromZero), 0, int.MaxValue);
            var key = (kind, policy, tenths);
            _durations[key] = _durations.GetValueOrDefault(key) + 1;
        }

        public DayFacts Result(DateOnly day) => new(day,
            _facts.Select(f => new RollupFactRow { Day = day, Market = f.Key.Item1, Policy = f.Key.Item2, SubPolicy = f.Key.Item3, Metric = f.Key.Item4, Value = f.Value }).ToList(),
            _durations.Select(d => new RollupDurationRow { Day = day, Kind = d.Key.Item1, Policy = d.Key.Item2, Tenths = d.Key.Item3, Count = d.Value }).ToList(),
            _contributions);
    }
}
