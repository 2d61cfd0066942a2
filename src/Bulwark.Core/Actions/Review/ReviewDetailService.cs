using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Accounts;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

public sealed record CaseMedia(int Index, string? MimeType, string? Sha256, long? Size, string? Url, string? Part);

public sealed record CaseContent(
    string ContentId, int Version, string? Kind, string? Text, string? Transcript, IReadOnlyList<string> Hashtags, IReadOnlyList<string> Links,
    IReadOnlyList<CaseMedia> Media, string? AccountId, string? AccountHandle, string? AccountDisplayName, string? Language, string? Source,
    string? SourceReference, long? ViewCount, DateTimeOffset ReceivedAt, bool DeletedUpstream, DateTimeOffset? DeletedUpstreamAt);

public sealed record PriorDecision(long DecisionId, string ContentId, string Outcome, string? Policy, DateTimeOffset DecidedAt, bool Reversed);
public sealed record RecentContent(string ContentId, string Kind, DateTimeOffset UpdatedAt);
public sealed record LinkedAccount(string AccountId, IReadOnlyList<string> SharedTypes);
public sealed record AccountHistory(
    IReadOnlyList<PriorDecision> PriorDecisions, IReadOnlyList<StrikeView> ActiveStrikes, double ActiveStrikeWeight,
    IReadOnlyList<RecentContent> RecentContent, IReadOnlyList<LinkedAccount> LinkedAccounts);

public sealed record EntityListingCard(string Source, string? ListType, string? ReferenceNumber, bool Active);
public sealed record EntityCard(long Id, string Kind, string Name, string Tier, string Status, IReadOnlyList<string> Names, IReadOnlyList<EntityListingCard> Listings);
/// <summary>Where in which text field an entity was matched: characters [Start, End) of <see cref="Field"/>.</summary>
public sealed record TextSpan(string Field, int Start, int End);
public sealed record HashMatchExplanation(string? Bank, IReadOnlyList<string> Labels, int? Distance, string? EntryEntity, string? EntrySource, string? ReferenceThumbnail, string ThumbnailNote,
    Bulwark.Core.Signals.KnownContent.SegmentDetails? Segments = null);

/// <summary>A signal with what a page needs to explain it; the kind-specific parts are set for their kind only.</summary>
public sealed record CaseSignal(
    long Id, string Type, string Source, string? Value, double? Score, int? Distance, string? Bank, IReadOnlyList<string> Labels, string Explanation,
    HashMatchExplanation? HashMatch, EntityCard? Entity, TextSpan? Span, string? ModelVersion, string? OcrText);

public sealed record CaseDecision(long Id, string Outcome, string? Queue, string? Policy, string? Priority, string Explanation, IReadOnlyList<FiredRule> Fired,
    IReadOnlyList<DecisionAction>? Actions, string? ReviewedBy, DateTimeOffset DecidedAt, DateTimeOffset? ReversedAt);

/// <summary>An earlier review shown on the case: never on a blind QA case.</summary>
public sealed record PriorReview(long CaseId, string Queue, string? Verdict, string? Policy, IReadOnlyList<string> Actions, string? Exception, string? Note, string? DecidedBy, DateTimeOffset? DecidedAt);

public sealed record CaseAppeal(long Id, string Reason, string Status, DateTimeOffset ReceivedAt);

public sealed record CaseDetail(
    ReviewCaseSummary Case, string Status, bool Blind, CaseContent? Content, AccountHistory? Account, IReadOnlyList<CaseSignal> Signals,
    CaseDecision? Decision, IReadOnlyList<PriorReview> PriorReviews, CaseAppeal? Appeal, ReviewDecisionResult? Result, string? ExcludedReviewer);

/// <summary>
/// Everything the case page shows, in a few indexed queries. A QA case is blind: it shows the content, the signals and the
/// pipeline's reasons, never the first reviewer's verdict, actions, name or the strikes their confirmation caused.
/// </summary>
public sealed partial class ReviewDetailService(IBulwarkDbFactory dbs, TimeProvider clock)
{
    public const int HistoryLimit = 20;

    /// <summary>
    /// The case as <paramref name="viewer"/> may see it. A decided case whose blind second review is still open is shown
    /// blind too (without its verdict, reviewer, measures or the strikes they caused), so that the QA reviewer cannot read
    /// the first verdict by opening the first case; its own reviewer and auditors see it whole. Without a viewer (services,
    /// tests) the case is shown whole.
    /// </summary>
    public async Task<ReviewResult<CaseDetail>> GetAsync(long caseId, CancellationToken ct, ReviewUser? viewer = null)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReviewResult<CaseDetail>.Fail(ReviewError.NotFound, $"There is no case {caseId}.");
        var underQa = viewer is not null && c.Status == ReviewCaseStatus.Decided && c.Queue != ReviewQueues.Qa
            && !viewer.Roles.Contains(ConsoleRoles.Auditor) && !string.Equals(c.DecidedBy, viewer.Name, StringComparison.OrdinalIgnoreCase)
            && await db.Set<ReviewCaseRow>().AnyAsync(x => x.SubjectCaseId == c.Id && x.Queue == ReviewQueues.Qa && x.Status == ReviewCaseStatus.Open, ct);
        var blind = c.Queue == ReviewQueues.Qa || underQa;

        var version = await db.ContentVersions.AsNoTracking().Where(v => v.Id == c.ContentVersionId)
            .Select(v => new { v.Version, v.EventJson, v.ReceivedAt }).FirstOrDefaultAsync(ct);
        var deletion = await db.Set<UpstreamDeletionRow>().AsNoTracking().FirstOrDefaultAsync(x => x.ContentId == c.ContentId, ct);
        CaseContent? content = null;
        if (version is not null && ReviewCases.ReadEvent(version.EventJson) is { } e)
        {
            var profile = c.AccountId is null ? null : await db.Accounts.AsNoTracking().Where(a => a.Id == c.AccountId).Select(a => new { a.Handle, a.DisplayName }).FirstOrDefaultAsync(ct);
            content = new CaseContent(c.ContentId, version.Version, e.Kind, e.Text, e.Transcript, e.Hashtags ?? [], e.Links ?? [],
                (e.Media ?? []).Select((m, i) => MediaOf(m, i)).ToList(),
                e.Account?.Id, profile?.Handle ?? e.Account?.Handle, profile?.DisplayName ?? e.Account?.DisplayName, e.Language, e.Source?.Type, e.Source?.Reference,
                e.ViewCount, version.ReceivedAt, deletion is not null, deletion?.DeletedAt);
        }

        var decisionRow = c.DecisionId is { } did ? await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == did, ct) : null;
        AccountHistory? history = null;
        if (c.AccountId is not null)
        {
            // Left out of the account's history: this case's own decision when it is shown blind, and, for a viewer other than
            // an auditor, decisions of the account whose blind QA review is open and which the viewer did not take themselves.
            var hidden = viewer is null || viewer.Roles.Contains(ConsoleRoles.Auditor) ? [] : await UnderQaAsync(db, c.AccountId, viewer.Name, ct);
            if (blind && c.DecisionId is { } own) hidden.Add(own);
            history = await HistoryAsync(db, c.AccountId, c.ContentId, hidden, now, ct);
        }
        var signals = await SignalsAsync(db, c.ContentVersionId, ct);

        CaseDecision? decision = null;
        if (decisionRow is not null)
        {
            var fired = Read<List<FiredRule>>(decisionRow.FiredJson) ?? [];
            // Blind: the decision as the pipeline made it; a confirmation changed its policy, actions and reviewer.
            decision = blind
                ? new CaseDecision(decisionRow.Id, decisionRow.Outcome, decisionRow.Queue, c.Policy, decisionRow.Priority, decisionRow.Explanation, fired, null, null, decisionRow.DecidedAt, null)
                : new CaseDecision(decisionRow.Id, decisionRow.Outcome, decisionRow.Queue, decisionRow.Policy, decisionRow.Priority, decisionRow.Explanation, fired,
                    AppealReversal.ActionsOf(decisionRow), decisionRow.ReviewedBy, decisionRow.DecidedAt, decisionRow.ReversedAt);
        }

        var prior = new List<PriorReview>();
        if (!blind)
        {
            var chain = new List<long>();
            for (var s = c.SubjectCaseId; s is not null && chain.Count < 5;)
            {
                var subject = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == s, ct);
                if (subject is null) break;
                prior.Add(Prior(subject));
                chain.Add(subject.Id);
                s = subject.SubjectCaseId;
            }
            if (c.Queue == ReviewQueues.Appeals && c.DecisionId is not null)
                prior.AddRange((await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.DecisionId == c.DecisionId && x.Id != c.Id && x.Status == ReviewCaseStatus.Decided && x.Queue != ReviewQueues.Appeals)
                    .OrderBy(x => x.Id).ToListAsync(ct)).Where(x => !chain.Contains(x.Id)).Select(Prior));
        }
        CaseAppeal? appeal = null;
        if (c.AppealId is { } aid)
            appeal = await db.Set<AppealRow>().AsNoTracking().Where(a => a.Id == aid).Select(a => new CaseAppeal(a.Id, a.Reason, a.Status, a.ReceivedAt)).FirstOrDefaultAsync(ct);
        var result = c.Status == ReviewCaseStatus.Decided && !underQa
            ? ReviewDecisionResult.Of(c, Read<List<string>>(c.ActionsJson) ?? [], false, null, await ReviewDecisionResult.DeletedBeforeAsync(db, c, ct))
            : null;
        return ReviewResult<CaseDetail>.Success(new CaseDetail(ReviewQueueService.Summary(c, now), c.Status, blind, content, history, signals, decision, prior, appeal,
            result, c.ExcludedReviewer));
    }

    /// <summary>
    /// The queue of a case and one media file of its content, for the media handler (a video's range requests come many
    /// times): two small reads instead of the whole detail. Null when there is no such case.
    /// </summary>
    public async Task<(string Queue, CaseMedia? Media)?> MediaAsync(long caseId, int index, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.Id == caseId).Select(x => new { x.Queue, x.ContentVersionId }).FirstOrDefaultAsync(ct);
        if (c is null) return null;
        var json = await db.ContentVersions.AsNoTracking().Where(v => v.Id == c.ContentVersionId).Select(v => v.EventJson).FirstOrDefaultAsync(ct);
        var media = json is null ? null : ReviewCases.ReadEvent(json)?.Media;
        var m = media is not null && index >= 0 && index < media.Count ? media[index] : null;
        return (c.Queue, m is null ? null : MediaOf(m, index));
    }

    private static CaseMedia MediaOf(MediaRef m, int index) => new(index, m.MimeType, m.Sha256, m.Size, m.Url, m.Part);

    private static PriorReview Prior(ReviewCaseRow x) =>
        new(x.Id, x.Queue, x.Verdict, x.VerdictPolicy, Read<List<string>>(x.ActionsJson) ?? [], x.ExceptionApplied, x.Note, x.DecidedBy, x.DecidedAt);

    /// <summary>Decisions of the account whose first case is under an open blind QA review and was decided by someone other than <paramref name="viewer"/>.</summary>
    private static async Task<HashSet<long>> UnderQaAsync(BulwarkDbContext db, string accountId, string viewer, CancellationToken ct)
    {
        var cases = db.Set<ReviewCaseRow>();
        var ids = await cases.Where(q => q.Queue == ReviewQueues.Qa && q.Status == ReviewCaseStatus.Open)
            .Join(cases, q => q.SubjectCaseId, s => (long?)s.Id, (q, s) => s)
            .Where(s => s.AccountId == accountId && s.DecisionId != null && s.DecidedBy != viewer)
            .Select(s => s.DecisionId!.Value).ToListAsync(ct);
        return ids.ToHashSet();
    }

    private static async Task<AccountHistory> HistoryAsync(BulwarkDbContext db, string accountId, string contentId, HashSet<long> hidden, DateTimeOffset now, CancellationToken ct)
    {
        var contentIds = db.ContentItems.Where(i => i.AccountId == accountId && i.Id != contentId).Select(i => i.Id);
        var decisions = await db.Decisions.AsNoTracking().Where(d => contentIds.Contains(d.ContentId) && !hidden.Contains(d.Id))
            .OrderByDescending(d => d.Id).Take(HistoryLimit)
            .Select(d => new PriorDecision(d.Id, d.ContentId, d.Outcome, d.Policy, d.DecidedAt, d.ReversedAt != null)).ToListAsync(ct);
        var strikes = await db.Set<StrikeRow>().AsNoTracking().Where(s => s.AccountId == accountId && s.RemovedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.Id).Take(HistoryLimit).ToListAsync(ct);
        strikes.RemoveAll(s => s.DecisionId is { } d && hidden.Contains(d));
        var recent = await db.ContentItems.AsNoTracking().Where(i => i.AccountId == accountId && i.Id != contentId)
            .OrderByDescending(i => i.UpdatedAt).Take(HistoryLimit).Select(i => new RecentContent(i.Id, i.Kind, i.UpdatedAt)).ToListAsync(ct);
        var links = db.Set<AccountLinkRow>();
        var linked = await (from mine in links.Where(l => l.AccountId == accountId)
                            join other in links on new { mine.Hash, mine.Type } equals new { other.Hash, other.Type }
                            where other.AccountId != accountId
                            select new { other.AccountId, other.Type }).Take(200).ToListAsync(ct);
        return new AccountHistory(decisions,
            strikes.Select(s => new StrikeView(s.Id, s.Policy, s.Weight, s.ContentVersionId, s.CreatedAt, s.ExpiresAt, true)).ToList(),
            strikes.Sum(s => s.Weight), recent,
            linked.GroupBy(l => l.AccountId).Take(HistoryLimit).Select(g => new LinkedAccount(g.Key, g.Select(x => x.Type).Distinct().Order(StringComparer.Ordinal).ToList())).ToList());
    }

    private static async Task<List<CaseSignal>> SignalsAsync(BulwarkDbContext db, long versionId, CancellationToken ct)
    {
        var rows = await db.Signals.AsNoTracking().Where(s => s.ContentVersionId == versionId).OrderBy(s => s.Id).ToListAsync(ct);
        var entryIds = rows.Where(s => s.BankEntryId is not null).Select(s => s.BankEntryId!.Value).Distinct().ToList();
        var entries = entryIds.Count == 0 ? [] : await db.BankEntries.AsNoTracking().Where(b => entryIds.Contains(b.Id))
            .Select(b => new { b.Id, b.Entity, b.Source, b.LabelsJson }).ToDictionaryAsync(b => b.Id, ct);
        var labelsOf = rows.ToDictionary(s => s.Id, s => Read<List<string>>(s.LabelsJson) ?? []);
        var entityIds = labelsOf.Values.SelectMany(l => l).Where(l => l.StartsWith("entity:", StringComparison.Ordinal))
            .Select(l => long.TryParse(l.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        var entities = entityIds.Count == 0 ? [] : (await db.Set<DesignatedEntityRow>().AsNoTracking().Include(x => x.Terms).Include(x => x.Listings)
            .Where(x => entityIds.Contains(x.Id)).ToListAsync(ct)).ToDictionary(x => x.Id);

        var list = new List<CaseSignal>(rows.Count);
        foreach (var s in rows)
        {
            var labels = labelsOf[s.Id];
            HashMatchExplanation? hash = null;
            EntityCard? entity = null;
            TextSpan? span = null;
            string? model = null, ocr = null;
            if (s.Type is SignalTypes.HashMatch or SignalTypes.SafeMatch)
            {
                var entry = s.BankEntryId is { } eid && entries.TryGetValue(eid, out var en) ? en : null;
                // Banks keep hashes, not pictures: there is no reference thumbnail to show yet.
                hash = new HashMatchExplanation(s.Bank, entry is null ? labels : Read<List<string>>(entry.LabelsJson) ?? labels, s.Distance, entry?.Entity, entry?.Source,
                    null, "No reference thumbnail is stored for this bank entry.", Bulwark.Core.Signals.KnownContent.MatchDetails.Read(s.DetailsJson)?.Segments);
            }
            else if (s.Type is EntitySignalTypes.Mention or EntitySignalTypes.NameMatch)
            {
                if (labels.FirstOrDefault(l => l.StartsWith("entity:", StringComparison.Ordinal)) is { } el
                    && long.TryParse(el.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && entities.TryGetValue(id, out var er))
                    entity = new EntityCard(er.Id, er.Kind, er.PrimaryName, er.Tier, er.Status,
                        er.Terms.Where(t => t.Type.Contains("name", StringComparison.Ordinal) || t.Type.Contains("alias", StringComparison.Ordinal)).Select(t => t.Value).Distinct().Take(50).ToList(),
                        er.Listings.Select(l => new EntityListingCard(l.Source, l.ListType, l.ReferenceNumber, l.Active)).ToList());
                if (SpanPattern().Match(s.Explanation) is { Success: true } m)
                    span = new TextSpan(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
                else if (labels.FirstOrDefault(l => l.StartsWith("field:", StringComparison.Ordinal)) is { } field)
                    span = new TextSpan(field[6..], 0, 0);
            }
            else if (s.Type.StartsWith("classifier.", StringComparison.Ordinal))
                model = s.Source.Contains(':') ? s.Source[(s.Source.IndexOf(':') + 1)..] : s.Source;
            else if (s.Type == SignalTypes.OcrText) ocr = s.Value;
            list.Add(new CaseSignal(s.Id, s.Type, s.Source, s.Value, s.Score, s.Distance, s.Bank, labels, s.Explanation, hash, entity, span, model, ocr));
        }
        return list;
    }

    private static T? Read<T>(string json) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(json, ReviewCases.Json); }
        catch (JsonException) { return null; }
    }

    // EntityScreeningExtractor writes "field[start..end] …" at the head of a mention's explanation.
    [GeneratedRegex(@"^([A-Za-z0-9_.:@]+)\[(\d+)\.\.(\d+)\]")] private static partial Regex SpanPattern();
}
