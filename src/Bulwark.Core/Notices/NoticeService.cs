using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

/// <summary>The notifier, as the notice names them (DSA Art. 16(2)(c)); both optional.</summary>
public sealed record NotifierInput(string? Name, string? Email);

/// <summary>
/// A notice as submitted: <see cref="ContentId"/> or <see cref="Url"/> (the exact location), the explanation, the notifier
/// and the good-faith statement (Art. 16(2)(a)–(d)). <see cref="TrustedFlaggerId"/> names a registry entry (Art. 22).
/// </summary>
public sealed record NoticeSubmission(
    string? ContentId, string? Url, string? Explanation, NotifierInput? Notifier, bool? GoodFaith, long? TrustedFlaggerId = null, string? Language = null);

/// <summary>The acknowledgement of receipt (Art. 16(4)), given at once. <see cref="Duplicate"/>: the same notice was already open.</summary>
public sealed record NoticeReceipt(long Id, string Status, bool Duplicate, DateTimeOffset ReceivedAt, string Acknowledgement, DateTimeOffset? SuspendedUntil);

public sealed record NoticeSubmitResult(NoticeReceipt? Receipt, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Receipt is not null;
}

/// <summary>
/// Notice and action (DSA Art. 16). <see cref="SubmitAsync"/> validates, deduplicates per content and notifier, stores the
/// notice with its acknowledgement in one transaction and matches it at once; <see cref="MatchPendingAsync"/> tries the
/// waiting ones again (a URL or id Bulwark did not know yet); a match opens or joins the content's review case whatever the
/// detectors said; <see cref="RelayDecisionsAsync"/> answers each notice whose case is decided (Art. 16(5)), with the
/// means of redress, through the delivery outbox.
/// </summary>
public sealed partial class NoticeService(
    IBulwarkDbFactory dbs, NoticeOptions options, ReviewOptions review, ContentUrls urls, NotifierStanding standing, AuditLog audit, TimeProvider clock,
    NotifierMessages messages)
{
    public const string NotifierProcess = "notices";

    public async Task<NoticeSubmitResult> SubmitAsync(NoticeSubmission s, string channel, CancellationToken ct)
    {
        var errors = Validate(s);
        TrustedFlaggerRow? flagger = null;
        await using var db = dbs.Create();
        if (s.TrustedFlaggerId is { } fid && errors.Count == 0)
        {
            flagger = await db.Set<TrustedFlaggerRow>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == fid, ct);
            if (flagger is null) errors.Add(new("trustedFlaggerId", $"there is no trusted flagger {fid} in the registry"));
            else if (flagger.Status != TrustedFlaggerStatus.Active)
                errors.Add(new("trustedFlaggerId", $"trusted flagger {fid} ({flagger.Organisation}) is {flagger.Status}; send the notice without trustedFlaggerId"));
        }
        if (errors.Count > 0) return new(null, errors);

        var now = clock.GetUtcNow();
        var contentId = Clean(s.ContentId) ?? urls.Resolve(s.Url);
        var url = Clean(s.Url) is { } u ? ContentUrls.Normalise(u) : null;
        var email = Clean(s.Notifier?.Email)?.ToLowerInvariant();
        var notifierKey = flagger is not null ? $"flagger:{flagger.Id}" : email is not null ? $"email:{email}" : null;
        var explanation = s.Explanation!.Trim();
        var language = Language(s.Language);
        var location = contentId is not null ? "content:" + contentId : "url:" + url;
        var openKey = Hash(location + "\n" + (notifierKey ?? "anonymous:" + Hash(Whitespace().Replace(explanation.ToLowerInvariant(), " "))));

        var row = new NoticeRow
        {
            Source = flagger is null ? NoticeSources.UserReport : NoticeSources.TrustedFlagger, TrustedFlaggerId = flagger?.Id, ContentId = contentId, Url = url,
            Explanation = explanation, NotifierName = Clean(s.Notifier?.Name), NotifierEmail = email, NotifierKey = notifierKey, GoodFaith = true,
            Channel = channel, Language = language, Status = NoticeStatus.AwaitingContent, OpenKey = openKey, ReceivedAt = now,
        };
        // Art. 23(2): a suspended notifier's notices are kept (nothing is lost) but not processed until the suspension ends.
        var suspendedUntil = notifierKey is null ? null : await standing.SuspendedUntilAsync(db, notifierKey, now, ct);
        if (suspendedUntil is not null) { row.Status = NoticeStatus.NotProcessed; row.OpenKey = null; }

        for (var attempt = 0; ; attempt++)
        {
            await using var write = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(write, ct);
            if (row.OpenKey is not null && await write.Set<NoticeRow>().AsNoTracking().FirstOrDefaultAsync(n => n.OpenKey == openKey, ct) is { } existing)
            {
                // Counted in SQL: concurrent repeats must not overwrite each other's count.
                await write.Set<NoticeRow>().Where(n => n.Id == existing.Id).ExecuteUpdateAsync(u => u.SetProperty(n => n.Repeats, n => n.Repeats + 1), ct);
                await tx.CommitAsync(ct);
                return new(Receipt(existing, duplicate: true, null), []);
            }
            write.Set<NoticeRow>().Add(row);
            try
            {
                await write.SaveChangesAsync(ct);
                write.Set<NotifierDeliveryRow>().Add(messages.Acknowledgement(row, suspendedUntil, now));
                await write.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same notice committed concurrently (unique open key): the next round finds it and answers it as a duplicate.
                row.Id = 0;
                continue;
            }
        }
        if (row.Status == NoticeStatus.AwaitingContent) await MatchAsync(row.Id, ct);
        await using var read = dbs.Create();
        var stored = await read.Set<NoticeRow>().AsNoTracking().FirstAsync(n => n.Id == row.Id, ct);
        return new(Receipt(stored, duplicate: false, suspendedUntil), []);
    }

    private NoticeReceipt Receipt(NoticeRow n, bool duplicate, DateTimeOffset? suspendedUntil) =>
        new(n.Id, n.Status, duplicate, n.ReceivedAt, messages.AcknowledgementText(n, suspendedUntil), suspendedUntil);

    public static List<FieldError> Validate(NoticeSubmission s)
    {
        var errors = new List<FieldError>();
        var contentId = Clean(s.ContentId);
        var url = Clean(s.Url);
        if (contentId is null && url is null)
            errors.Add(new("contentId", "give the exact location of the content: contentId (the platform's id) or url"));
        if (contentId is not null && !ContentIdPattern().IsMatch(contentId))
            errors.Add(new("contentId", "must be at most 128 characters of letters, digits, '.', '_', ':' and '-'"));
        if (url is not null && (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            errors.Add(new("url", "must be an absolute http(s) URL of at most 2048 characters"));
        var explanation = Clean(s.Explanation);
        if (explanation is null) errors.Add(new("explanation", "is required: explain why the content is illegal or breaks the terms (DSA Art. 16(2)(a))"));
        else if (explanation.Length > NoticeOptions.MaxExplanation) errors.Add(new("explanation", $"must be at most {NoticeOptions.MaxExplanation} characters (it has {explanation.Length})"));
        if (Clean(s.Notifier?.Name) is { Length: > 200 }) errors.Add(new("notifier.name", "must be at most 200 characters"));
        if (Clean(s.Notifier?.Email) is { } email && (email.Length > 320 || !EmailPattern().IsMatch(email)))
            errors.Add(new("notifier.email", "must be an e-mail address (name@domain), at most 320 characters"));
        if (s.GoodFaith != true)
            errors.Add(new("goodFaith", "must be true: the notifier confirms the notice is accurate and complete in good faith (DSA Art. 16(2)(d))"));
        if (s.Language is { } l && Language(l) != l.Trim().ToLowerInvariant())
            errors.Add(new("language", "must be en or it"));
        foreach (var (field, value) in new[] { ("explanation", explanation), ("notifier.name", s.Notifier?.Name), ("url", url) })
            if (value is not null && value.Contains('\0')) errors.Add(new(field, "must not contain U+0000"));
        return errors;
    }

    private static string Language(string? l) => (l ?? "").Trim().ToLowerInvariant() switch { "it" => "it", "" or "en" => "en", var other => other.StartsWith("it-", StringComparison.Ordinal) ? "it" : "en" };

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    /// <summary>Tries every waiting notice again: the content may have arrived, or a URL pattern been added. Returns how many matched.</summary>
    public async Task<int> MatchPendingAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var waiting = await db.Set<NoticeRow>().AsNoTracking().Where(n => n.Status == NoticeStatus.AwaitingContent).OrderBy(n => n.Id).Select(n => n.Id).Take(500).ToListAsync(ct);
        var matched = 0;
        foreach (var id in waiting)
            if (await MatchAsync(id, ct)) matched++;
        return matched;
    }

    /// <summary>
    /// Attaches one waiting notice to its content's review: joins the open case of the content (a trusted flagger's notice
    /// moves it to the front and brings its due time forward), or opens one in queue <c>notices</c> on the content's latest
    /// decision, whatever that decision was. Content already decided by a person is answered with that decision at once.
    /// </summary>
    public async Task<bool> MatchAsync(long noticeId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var n = await db.Set<NoticeRow>().FirstOrDefaultAsync(x => x.Id == noticeId && x.Status == NoticeStatus.AwaitingContent, ct);
        if (n is null) return false;
        var contentId = n.ContentId ?? urls.Resolve(n.Url);
        if (contentId is null) return false;
        n.ContentId = contentId;
        var decision = await db.Decisions.AsNoTracking().Where(d => d.ContentId == contentId).OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        if (decision is null)
        {
            // Not known yet (or not through the pipeline yet): the resolved id is kept; the next pass tries again.
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return false;
        }
        var now = clock.GetUtcNow();
        var open = await db.Set<ReviewCaseRow>().Where(c => c.ContentId == contentId && c.Status == ReviewCaseStatus.Open && c.AppealId == null
                && c.Queue != ReviewQueues.Qa && c.Queue != ReviewQueues.QaDisagreement && c.Queue != ReviewQueues.Appeals)
            .OrderBy(c => c.Id).FirstOrDefaultAsync(ct);
        string what;
        if (open is null && decision.ReviewedBy is not null)
        {
            // A person already decided this content; the notice is answered with that decision rather than reviewed twice.
            n.CaseId = await db.Set<ReviewCaseRow>().Where(c => c.DecisionId == decision.Id && c.Status == ReviewCaseStatus.Decided).OrderByDescending(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            n.DecisionId = decision.Id;
            n.MatchedAt = now;
            var restricted = decision.ReversedAt is null && decision.ActionsJson != "[]";
            Decide(db, n, restricted ? NoticeOutcome.ActionTaken : NoticeOutcome.NoAction, restricted ? decision.Policy : null,
                $"already reviewed by a person on {decision.DecidedAt:yyyy-MM-dd}: {(restricted ? "measures in force" : "no violation found")}", now);
            what = $"content {contentId} was already reviewed (decision {decision.Id}); answered with that decision";
        }
        else if (open is not null)
        {
            n.CaseId = open.Id;
            n.DecisionId = open.DecisionId;
            if (ReviewCases.SourceRank(n.Source) < ReviewCases.SourceRank(open.Source))
            {
                open.Source = n.Source;
                open.SortKey = ReviewCases.SortKey(n.Source, open.Severity, open.Confidence, open.Reach, open.CreatedAt);
            }
            if (n.Source == NoticeSources.TrustedFlagger && now + TrustedSla < open.DueAt) open.DueAt = now + TrustedSla;
            what = $"joined case {open.Id} in {open.Queue}";
        }
        else
        {
            var accountId = await db.ContentItems.AsNoTracking().Where(c => c.Id == contentId).Select(c => c.AccountId).FirstOrDefaultAsync(ct);
            var c = ReviewCases.New(review, ReviewCaseKind.Content, Queue, decision.Id, contentId, decision.ContentVersionId, accountId, decision.Policy,
                ReviewCases.Severity(Pipeline.Outcomes.Review, "low"), 0, 0, n.Source, now);
            if (n.Source == NoticeSources.TrustedFlagger) c.DueAt = now + TrustedSla;
            db.Set<ReviewCaseRow>().Add(c);
            await db.SaveChangesAsync(ct);
            n.CaseId = c.Id;
            n.DecisionId = decision.Id;
            what = $"opened case {c.Id} in {Queue}";
        }
        if (n.Status == NoticeStatus.AwaitingContent) { n.Status = NoticeStatus.InReview; n.MatchedAt = now; }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(NotifierProcess, "notice.matched", $"notice:{n.Id}", NoticeStatus.AwaitingContent, $"{n.Status}; {what}")], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The queue a notice opens a case in when the content has no open case (the queue the shipped notice rules route to).</summary>
    public const string Queue = "notices";

    private TimeSpan TrustedSla => TimeSpan.FromMinutes(options.TrustedFlaggerSlaMinutes);

    /// <summary>
    /// Answers every notice whose case is decided (Art. 16(5)): the decision and the means of redress go into the outbox in
    /// the same transaction that records them on the notice. An escalated case hands the notice on to the case it opened.
    /// </summary>
    public async Task<int> RelayDecisionsAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var pending = await (from n in db.Set<NoticeRow>()
                             join c in db.Set<ReviewCaseRow>() on n.CaseId equals c.Id
                             where n.Status == NoticeStatus.InReview && c.Status == ReviewCaseStatus.Decided
                             orderby n.Id
                             select new { Notice = n, Case = c }).Take(500).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var answered = 0;
        var records = new List<AuditRecord>();
        foreach (var p in pending)
        {
            var c = p.Case;
            if (c.Verdict == ReviewVerdict.Escalate)
            {
                var next = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.SubjectCaseId == c.Id && x.Queue == c.EscalatedTo).OrderBy(x => x.Id).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
                if (next is not null) p.Notice.CaseId = next;
                continue;
            }
            var violation = c.Verdict == ReviewVerdict.Violation;
            Decide(db, p.Notice, violation ? NoticeOutcome.ActionTaken : NoticeOutcome.NoAction, violation ? c.VerdictPolicy : null, c.Outcome ?? c.Verdict ?? "", c.DecidedAt ?? now);
            records.Add(new AuditRecord(NotifierProcess, "notice.answered", $"notice:{p.Notice.Id}", NoticeStatus.InReview,
                $"{p.Notice.Outcome} (case {c.Id}, {c.Verdict}{(c.VerdictPolicy is null ? "" : " " + c.VerdictPolicy)}); decision sent to the notifier"));
            answered++;
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return answered;
    }

    private void Decide(BulwarkDbContext db, NoticeRow n, string outcome, string? policy, string summary, DateTimeOffset decidedAt)
    {
        n.Status = NoticeStatus.Decided;
        n.OpenKey = null; // a later notice of the same content by the same notifier is a new notice
        n.Outcome = outcome;
        n.Policy = policy;
        n.DecisionSummary = summary.Length > 2000 ? summary[..2000] : summary;
        n.DecidedAt = decidedAt;
        db.Set<NotifierDeliveryRow>().Add(messages.Decision(n, clock.GetUtcNow()));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex ContentIdPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
