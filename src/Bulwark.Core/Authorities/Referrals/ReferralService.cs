using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>What a legal officer (or senior moderator) sends: the case, their assessment and urgency, and optionally the Member State.</summary>
public sealed record ReferralSubmission(long CaseId, string? Assessment, string? Urgency, string? MemberState);

/// <summary>
/// Referrals to law enforcement (DSA Art. 18) from threat-to-life cases: drafts (by a person or the rule path), the signed
/// package, the automatic legal hold, the delivery state, a phone delivery, follow-up requests, and the escalation-to-referral
/// clock. Every change is audited in the transaction that makes it.
/// </summary>
public sealed class ReferralService(
    IBulwarkDbFactory dbs, ReviewDetailService details, IReferralRecipients recipients, ReferralSigningKey signer, IMediaStore media,
    AuditLog audit, TimeProvider clock, ReferralOptions options, PreservationOptions preservation)
{
    public const string ReferencePrefix = "REF-";

    /// <summary>One referral per case, so its reference is derived from the case (stable across a draft and its submission).</summary>
    public static string ReferenceOf(long caseId) => $"{ReferencePrefix}{caseId:D6}";

    /// <summary>Starts (or returns) the referral of a threat-to-life case as a draft. <paramref name="actor"/> is a user or <c>rule:NAME</c>.</summary>
    public async Task<ReferralResult<ReferralView>> DraftAsync(long caseId, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var existing = await db.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == caseId, ct);
        if (existing is not null) return ReferralResult<ReferralView>.Success((await ViewAsync(db, existing.Id, ct))!);
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReferralResult<ReferralView>.Fail(ReferralError.CaseNotFound, $"There is no case {caseId}.");
        if (c.Queue != options.Queue || c.Kind != ReviewCaseKind.Content)
            return ReferralResult<ReferralView>.Fail(ReferralError.WrongQueue, $"Case {caseId} is in the {c.Queue} queue; only {options.Queue} cases are referred to law enforcement.");
        var now = clock.GetUtcNow();
        var row = NewRow(c, actor, now);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        db.Add(new ReferralEventRow { ReferralId = row.Id, Kind = ReferralEventKind.Drafted, At = now, By = actor, Detail = $"case {caseId}" });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "referral.drafted", Subject(row), After: $"draft for case {caseId} (content {c.ContentId})")], ct);
        await tx.CommitAsync(ct);
        return ReferralResult<ReferralView>.Success((await ViewAsync(db, row.Id, ct))!);
    }

    /// <summary>
    /// Refers the case: resolves the recipient, builds and signs the package, places a legal hold on the preserved content
    /// with the referral's reference, and makes the delivery due (or waits for a phone delivery when the recipient has no
    /// electronic channel) — all in one transaction. A case already referred is refused, never sent twice.
    /// </summary>
    public Task<ReferralResult<ReferralView>> SubmitAsync(ReferralSubmission s, string actor, CancellationToken ct) => SubmitAsync(s, actor, retried: false, ct);

    private async Task<ReferralResult<ReferralView>> SubmitAsync(ReferralSubmission s, string actor, bool retried, CancellationToken ct)
    {
        var errors = new List<ReferralFieldError>();
        if (string.IsNullOrWhiteSpace(s.Assessment)) errors.Add(new("assessment", "is required: why the content gives rise to a suspicion of a threat to life or safety"));
        else if (s.Assessment.Length > 10_000) errors.Add(new("assessment", "must be at most 10,000 characters"));
        var urgency = string.IsNullOrWhiteSpace(s.Urgency) ? ReferralUrgency.Immediate : s.Urgency.Trim().ToLowerInvariant();
        if (!ReferralUrgency.All.Contains(urgency)) errors.Add(new("urgency", $"must be one of {string.Join(", ", ReferralUrgency.All)}"));
        var given = string.IsNullOrWhiteSpace(s.MemberState) ? null : s.MemberState.Trim().ToUpperInvariant();
        if (given is not null && (given.Length != 2 || !given.All(char.IsAsciiLetterUpper))) errors.Add(new("memberState", "must be a two-letter code (ISO 3166-1 alpha-2), e.g. IT"));
        if (errors.Count > 0) return ReferralResult<ReferralView>.Invalid([.. errors]);

        ReviewCaseRow? c;
        ReferralRow? existing;
        string? accountCountry = null;
        IReadOnlyList<ManifestAuditEntry> auditTrail = [];
        await using (var read = dbs.Create())
        {
            c = await read.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == s.CaseId, ct);
            existing = await read.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == s.CaseId, ct);
            if (c?.AccountId is { } acct) accountCountry = await read.Accounts.AsNoTracking().Where(a => a.Id == acct).Select(a => a.Country).FirstOrDefaultAsync(ct);
            if (c is not null) auditTrail = await AuditTrailAsync(read, c, ct);
        }
        if (c is null) return ReferralResult<ReferralView>.Fail(ReferralError.CaseNotFound, $"There is no case {s.CaseId}.");
        if (c.Queue != options.Queue || c.Kind != ReviewCaseKind.Content)
            return ReferralResult<ReferralView>.Fail(ReferralError.WrongQueue, $"Case {s.CaseId} is in the {c.Queue} queue; only {options.Queue} cases are referred to law enforcement.");
        if (existing is not null && existing.Status != ReferralStatus.Draft)
            return AlreadyReferred(existing);
        var detailResult = await details.GetAsync(s.CaseId, ct);
        if (detailResult.Value is not { } detail) return ReferralResult<ReferralView>.Fail(ReferralError.CaseNotFound, detailResult.Message ?? $"There is no case {s.CaseId}.");

        var (memberState, basis) = given is not null ? (given, "given")
            : LocationOf(detail) is { } place ? (place, "location-signal")
            : accountCountry is { Length: 2 } country ? (country.ToUpperInvariant(), "account-country")
            : ((string?)null, "unclear");
        var recipient = await recipients.ResolveAsync(memberState, ct);
        if (recipient is null)
            return ReferralResult<ReferralView>.Fail(ReferralError.NoRecipient,
                $"No referral recipient is configured for {memberState ?? "an unclear Member State"} and there is no fallback (Europol): add one under {ReferralOptions.Section}:Recipients or in the competent-authorities registry.");

        var now = clock.GetUtcNow();
        var row = existing is null ? NewRow(c, actor, now) : existing;
        row.MemberState = memberState;
        row.MemberStateBasis = recipient.MemberState != memberState ? (memberState is null ? "unclear" : basis + "; no recipient for it, fallback used") : basis;
        row.RecipientName = recipient.Name;
        row.RecipientMemberState = recipient.MemberState;
        row.RecipientChannel = recipient.Channel;
        row.RecipientAddress = recipient.Address;
        row.RecipientExample = recipient.Example;
        row.Assessment = s.Assessment!.Trim();
        row.Urgency = urgency;
        row.ReferredAt = now;
        row.ReferredBy = actor;

        // The package: manifest (hashes of every copy and of the summary), summary page, signature over the manifest's bytes.
        var mediaList = ManifestMedia(detail);
        var history = History(detail, existing, actor, now);
        var draftManifest = ReferralManifestBuilder.Build(row, detail, options.ServiceName, options.TargetMinutes, now, mediaList, history, accountCountry, auditTrail);
        var html = ReferralManifestBuilder.SummaryHtml(draftManifest);
        var htmlBytes = Encoding.UTF8.GetBytes(html);
        var manifest = draftManifest with { Files = [new ManifestFile(ReferralPackage.SummaryFile, Convert.ToHexStringLower(SHA256.HashData(htmlBytes)), htmlBytes.Length)] };
        var bytes = manifest.ToUtf8();
        var (signature, key) = signer.Sign(bytes);
        row.ManifestJson = Encoding.UTF8.GetString(bytes);
        row.ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        row.SummaryHtml = html;
        row.Signature = signature;
        row.KeyId = key.Id;
        row.SignerPublicKey = key.Base64;
        row.Status = recipient.Channel == ReferralChannels.Manual ? ReferralStatus.AwaitingManual : ReferralStatus.Sending;
        row.NextAttemptAt = row.Status == ReferralStatus.Sending ? now : null;
        row.Attempts = 0;
        row.LastError = null;

        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (existing is null) db.Add(row);
        else
        {
            // Only a draft becomes a referral, once: a concurrent submission finds it no longer a draft and is refused.
            var claimed = await db.Set<ReferralRow>().Where(r => r.Id == existing.Id && r.Status == ReferralStatus.Draft)
                .ExecuteUpdateAsync(x => x.SetProperty(r => r.Status, row.Status), ct);
            if (claimed == 0) return AlreadyReferred((await db.Set<ReferralRow>().AsNoTracking().FirstAsync(r => r.Id == existing.Id, ct)));
            db.Update(row);
        }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (existing is null)
        {
            // Another person referred the same case a moment earlier (unique case index) — or the rule path drafted it
            // meanwhile, and then this submission completes that draft (once).
            await using var again = dbs.Create();
            var winner = await again.Set<ReferralRow>().AsNoTracking().FirstAsync(r => r.CaseId == s.CaseId, ct);
            if (winner.Status == ReferralStatus.Draft && !retried)
            {
                await tx.DisposeAsync();     // the failed write ends here (SQLite: its write lock is released before the retry takes it)
                return await SubmitAsync(s, actor, retried: true, ct);
            }
            return AlreadyReferred(winner);
        }
        var records = new List<AuditRecord>();
        var (item, hold, holdRecords) = await HoldAsync(db, row, c, actor, now, ct);
        records.AddRange(holdRecords);
        row.PreservedItemId = item;
        row.HoldId = hold;
        db.Add(new ReferralEventRow
        {
            ReferralId = row.Id, Kind = ReferralEventKind.Submitted, At = now, By = actor, Channel = row.RecipientChannel,
            Detail = $"to {row.RecipientName} ({row.RecipientMemberState}{(row.RecipientExample ? ", EXAMPLE entry" : "")}); manifest sha256 {row.ManifestSha256}; key {row.KeyId}",
        });
        await db.SaveChangesAsync(ct);
        var clockView = ClockOf(row, now);
        records.Add(new AuditRecord(actor, "referral.submitted", Subject(row), Before: existing is null ? null : ReferralStatus.Draft,
            After: $"{row.Status}; recipient {row.RecipientName} ({row.RecipientMemberState}, {row.RecipientChannel}); urgency {row.Urgency}; member state {row.MemberState ?? "unclear"} ({row.MemberStateBasis}); "
                   + $"{clockView.Minutes:0.#} min after escalation (target {clockView.TargetMinutes}); manifest sha256 {row.ManifestSha256}; hold {row.HoldId}",
            Reason: Clip(row.Assessment)));
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return ReferralResult<ReferralView>.Success((await ViewAsync(db, row.Id, ct))!);
    }

    /// <summary>Sends a failed referral again (a new round of attempts, the same package and idempotency key).</summary>
    public async Task<ReferralResult<ReferralView>> ResendAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var row = await db.Set<ReferralRow>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null) return ReferralResult<ReferralView>.Fail(ReferralError.NotFound, $"There is no referral {id}.");
        if (row.Status != ReferralStatus.Failed)
            return ReferralResult<ReferralView>.Fail(ReferralError.WrongState, $"Referral {row.Reference} is {row.Status}; only a failed referral is sent again.");
        row.Status = ReferralStatus.Sending;
        row.Attempts = 0;
        row.NextAttemptAt = now;
        db.Add(new ReferralEventRow { ReferralId = id, Kind = ReferralEventKind.Resent, At = now, By = actor, Channel = row.RecipientChannel });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "referral.resent", Subject(row), Before: ReferralStatus.Failed, After: ReferralStatus.Sending, Reason: row.LastError)], ct);
        await tx.CommitAsync(ct);
        return ReferralResult<ReferralView>.Success((await ViewAsync(db, id, ct))!);
    }

    /// <summary>
    /// Records that the referral reached the authority by phone (who was called, what was said). Ends any automatic delivery:
    /// a referral delivered by phone is not also sent by the worker afterwards.
    /// </summary>
    public async Task<ReferralResult<ReferralView>> RecordPhoneDeliveryAsync(long id, string? contact, string? note, string actor, CancellationToken ct)
    {
        var errors = new List<ReferralFieldError>();
        if (string.IsNullOrWhiteSpace(contact)) errors.Add(new("contact", "is required: who at the authority took the call (name, unit, number)"));
        else if (contact.Length > 500) errors.Add(new("contact", "must be at most 500 characters"));
        if (note is { Length: > 4000 }) errors.Add(new("note", "must be at most 4,000 characters"));
        if (errors.Count > 0) return ReferralResult<ReferralView>.Invalid([.. errors]);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var row = await db.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null) return ReferralResult<ReferralView>.Fail(ReferralError.NotFound, $"There is no referral {id}.");
        if (row.Status is ReferralStatus.Draft or ReferralStatus.Delivered)
            return ReferralResult<ReferralView>.Fail(ReferralError.WrongState, row.Status == ReferralStatus.Draft
                ? $"Referral {row.Reference} is a draft: refer it first (the package and the legal hold come with the referral)."
                : $"Referral {row.Reference} was already delivered on {row.DeliveredAt:yyyy-MM-dd HH:mm} UTC.");
        var before = row.Status;
        var changed = await db.Set<ReferralRow>().Where(r => r.Id == id && r.Status == before)
            .ExecuteUpdateAsync(x => x.SetProperty(r => r.Status, ReferralStatus.Delivered).SetProperty(r => r.DeliveredAt, now)
                .SetProperty(r => r.NextAttemptAt, (DateTimeOffset?)null).SetProperty(r => r.Receipt, "phone: " + contact!.Trim()), ct);
        if (changed == 0) return ReferralResult<ReferralView>.Fail(ReferralError.WrongState, $"Referral {row.Reference} changed meanwhile; reload it.");
        db.Add(new ReferralEventRow { ReferralId = id, Kind = ReferralEventKind.Phone, At = now, By = actor, Channel = "phone", Detail = Clip($"{contact!.Trim()}{(string.IsNullOrWhiteSpace(note) ? "" : " — " + note.Trim())}") });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "referral.delivered_by_phone", Subject(row), Before: before, After: $"{ReferralStatus.Delivered}; called {contact.Trim()}", Reason: note?.Trim())], ct);
        await tx.CommitAsync(ct);
        return ReferralResult<ReferralView>.Success((await ViewAsync(db, id, ct))!);
    }

    /// <summary>Records a follow-up request from the authority (more data, preservation extension, a contact), audited.</summary>
    public async Task<ReferralResult<ReferralView>> RecordFollowUpAsync(long id, string? request, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request)) return ReferralResult<ReferralView>.Invalid(new ReferralFieldError("request", "is required: what the authority asked for"));
        if (request.Length > 4000) return ReferralResult<ReferralView>.Invalid(new ReferralFieldError("request", "must be at most 4,000 characters"));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null) return ReferralResult<ReferralView>.Fail(ReferralError.NotFound, $"There is no referral {id}.");
        db.Add(new ReferralEventRow { ReferralId = id, Kind = ReferralEventKind.FollowUp, At = clock.GetUtcNow(), By = actor, Detail = request.Trim() });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "referral.follow_up", Subject(row), After: Clip(request.Trim()))], ct);
        await tx.CommitAsync(ct);
        return ReferralResult<ReferralView>.Success((await ViewAsync(db, id, ct))!);
    }

    public async Task<IReadOnlyList<ReferralSummary>> ListAsync(string? status, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ReferralRow>().AsNoTracking();
        if (status is not null) q = q.Where(r => r.Status == status);
        var rows = await q.OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(r => new ReferralSummary(r.Id, r.Reference, r.Status, r.CaseId, r.ContentId, r.AccountId, r.Urgency, RecipientOf(r), r.CreatedAt, r.CreatedBy,
            ClockOf(r, now), r.DeliveredAt, r.Attempts, r.LastError)).ToList();
    }

    public async Task<ReferralView?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await ViewAsync(db, id, ct);
    }

    /// <summary>
    /// The case a referral of <paramref name="contentId"/> is made from: the content's newest case in the referral queue
    /// (open first). Null when the content never reached that queue.
    /// </summary>
    public async Task<long?> CaseOfContentAsync(string contentId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking()
            .Where(c => c.ContentId == contentId && c.Queue == options.Queue && c.Kind == ReviewCaseKind.Content)
            .OrderBy(c => c.Status == ReviewCaseStatus.Open ? 0 : 1).ThenByDescending(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The queue whose cases are referred (<see cref="ReferralOptions.Queue"/>).</summary>
    public string Queue => options.Queue;

    public async Task<long?> IdOfCaseAsync(long caseId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<ReferralRow>().Where(r => r.CaseId == caseId).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Writes the signed package (zip) to <paramref name="output"/>; the export is audited first.</summary>
    public async Task<ReferralResult<string>> ExportAsync(long id, Stream output, string actor, CancellationToken ct)
    {
        ReferralRow? row;
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            row = await db.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
            if (row is null) return ReferralResult<string>.Fail(ReferralError.NotFound, $"There is no referral {id}.");
            if (row.ManifestJson is null) return ReferralResult<string>.Fail(ReferralError.WrongState, $"Referral {row.Reference} is a draft: it has no package until it is referred.");
            await audit.AppendAsync(db, [new AuditRecord(actor, "referral.exported", Subject(row), After: $"package with manifest sha256 {row.ManifestSha256}")], ct);
            await tx.CommitAsync(ct);
        }
        await ReferralPackage.WriteAsync(output, row, media, ct);
        return ReferralResult<string>.Success(row.Reference);
    }

    /// <summary>Referrals made (sent by a person, whatever the delivery's state) with <c>ReferredAt</c> in [from, to): for the transparency reports.</summary>
    public async Task<long> CountReferralsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<ReferralRow>().LongCountAsync(r => r.ReferredAt != null && r.ReferredAt >= from && r.ReferredAt < to, ct);
    }

    /// <summary>
    /// The rule path: a draft for every open case of the referral queue whose decision fired one of
    /// <see cref="ReferralOptions.DraftWhenRulesFire"/> and that has no referral yet. Returns how many were drafted.
    /// </summary>
    public async Task<int> DraftFromRulesAsync(CancellationToken ct)
    {
        if (options.DraftWhenRulesFire.Count == 0) return 0;
        List<(long CaseId, string FiredJson)> candidates;
        await using (var db = dbs.Create())
        {
            var rows = await (from c in db.Set<ReviewCaseRow>().AsNoTracking()
                              join d in db.Decisions.AsNoTracking() on c.DecisionId equals d.Id
                              where c.Queue == options.Queue && c.Status == ReviewCaseStatus.Open && c.Kind == ReviewCaseKind.Content
                                    && !db.Set<ReferralRow>().Any(r => r.CaseId == c.Id)
                              orderby c.Id
                              select new { c.Id, d.FiredJson }).Take(100).ToListAsync(ct);
            candidates = rows.Select(r => (r.Id, r.FiredJson)).ToList();
        }
        var drafted = 0;
        foreach (var (caseId, firedJson) in candidates)
        {
            var rule = FiredRules(firedJson).FirstOrDefault(f => f.Mode == "enforce" && options.DraftWhenRulesFire.Contains(f.Rule, StringComparer.Ordinal));
            if (rule is null) continue;
            var r = await DraftAsync(caseId, "rule:" + rule.Rule, ct);
            if (r.Ok) drafted++;
        }
        return drafted;
    }

    public ReferralClock ClockOf(ReferralRow r, DateTimeOffset now)
    {
        var minutes = Math.Round(((r.ReferredAt ?? now) - r.EscalatedAt).TotalMinutes, 1);
        return new ReferralClock(r.EscalatedAt, r.ReferredAt, minutes, options.TargetMinutes, minutes > options.TargetMinutes);
    }

    internal static string Subject(ReferralRow r) => $"referral:{r.Reference}";

    private ReferralRow NewRow(ReviewCaseRow c, string actor, DateTimeOffset now) => new()
    {
        Reference = ReferenceOf(c.Id), Status = ReferralStatus.Draft, CaseId = c.Id, DecisionId = c.DecisionId, ContentId = c.ContentId,
        ContentVersionId = c.ContentVersionId, AccountId = c.AccountId, MemberStateBasis = "unclear", CreatedBy = actor, CreatedAt = now,
        EscalatedAt = c.CreatedAt,
    };

    private static ReferralResult<ReferralView> AlreadyReferred(ReferralRow r) =>
        ReferralResult<ReferralView>.Fail(ReferralError.WrongState, $"Case {r.CaseId} was already referred as {r.Reference} ({r.Status}) by {r.ReferredBy} on {r.ReferredAt:yyyy-MM-dd HH:mm} UTC; it is not sent twice.");

    /// <summary>A Member State named by a signal: a label <c>country:XX</c> or <c>member-state:XX</c> on any signal (a location extractor's output).</summary>
    private static string? LocationOf(CaseDetail detail) => detail.Signals.SelectMany(s => s.Labels)
        .Select(l => l.StartsWith("country:", StringComparison.Ordinal) ? l[8..] : l.StartsWith("member-state:", StringComparison.Ordinal) ? l[13..] : null)
        .Where(v => v is { Length: 2 } && v.All(char.IsAsciiLetter)).Select(v => v!.ToUpperInvariant()).FirstOrDefault();

    private List<ManifestMedia> ManifestMedia(CaseDetail detail)
    {
        var list = new List<ManifestMedia>();
        foreach (var m in detail.Content?.Media ?? [])
        {
            if (m.Sha256 is not { Length: 64 } sha) { list.Add(new(m.Index, null, m.Size, m.MimeType, m.Url, null, "no hash: the file was never stored (fetch failed or not sent)")); continue; }
            long? size = null;
            using (var s = media.OpenRead(sha)) if (s is not null) size = s.Length;
            if (size is null) list.Add(new(m.Index, sha, m.Size, m.MimeType, m.Url, null, "not in the media store: hash only"));
            else if (size > options.MaxMediaBytesPerFile) list.Add(new(m.Index, sha, size, m.MimeType, m.Url, null, $"larger than {options.MaxMediaBytesPerFile} bytes: hash only; the preserved copy is kept under the legal hold"));
            else list.Add(new(m.Index, sha, size, m.MimeType, m.Url, ReferralPackage.MediaPath(sha), null));
        }
        return list;
    }

    private static List<ManifestEvent> History(CaseDetail detail, ReferralRow? draft, string actor, DateTimeOffset now)
    {
        var h = new List<ManifestEvent>();
        if (detail.Content is { } content) h.Add(new(content.ReceivedAt, "content received", "platform", $"{content.ContentId} version {content.Version} from {content.Source ?? "upload"}"));
        if (detail.Decision is { } d)
            h.Add(new(d.DecidedAt, "decision", d.ReviewedBy ?? "pipeline", $"{d.Outcome} {d.Policy}: {string.Join(", ", d.Fired.Where(f => f.Mode == "enforce").Select(f => f.Rule))}"));
        h.Add(new(detail.Case.CreatedAt, "escalated", "pipeline", $"case {detail.Case.Id} in {detail.Case.Queue}"));
        foreach (var p in detail.PriorReviews.Where(p => p.DecidedAt is not null))
            h.Add(new(p.DecidedAt!.Value, "reviewed", p.DecidedBy ?? "", $"case {p.CaseId} ({p.Queue}): {p.Verdict} {p.Policy} {string.Join(",", p.Actions)} {p.Note}".Trim()));
        if (detail.Result is { } res && detail.Status == ReviewCaseStatus.Decided)
            h.Add(new(now, "reviewed", "", $"case {detail.Case.Id}: {res.Verdict} {res.Policy} {string.Join(",", res.Actions)}".Trim()));
        if (detail.Content?.DeletedUpstreamAt is { } deleted) h.Add(new(deleted, "deleted by the platform", "platform", null));
        if (draft is not null) h.Add(new(draft.CreatedAt, "referral drafted", draft.CreatedBy, null));
        h.Add(new(now, "referred", actor, null));
        return h.OrderBy(e => e.At).ToList();
    }

    /// <summary>The most audit entries a manifest carries (the oldest first); a longer trail is cut and the cut said in the last entry's place.</summary>
    public const int MaxAuditEntries = 1000;

    /// <summary>
    /// The audit log's entries about the case: the review case and its notes, the decision, the content (every version) and
    /// the referral's draft, in chain order. Entries written by the referral itself (submission, hold) come after the signature.
    /// </summary>
    private static async Task<IReadOnlyList<ManifestAuditEntry>> AuditTrailAsync(BulwarkDbContext db, ReviewCaseRow c, CancellationToken ct)
    {
        string[] subjects = [$"review-case:{c.Id}", $"case:{c.Id}", $"content:{c.ContentId}", $"referral:{ReferenceOf(c.Id)}", .. c.DecisionId is { } d ? new[] { $"decision:{d}" } : []];
        var versions = $"content:{c.ContentId}#";
        var rows = await db.AuditEntries.AsNoTracking().Where(a => subjects.Contains(a.Subject) || a.Subject.StartsWith(versions))
            .OrderBy(a => a.Seq).Take(MaxAuditEntries + 1)
            .Select(a => new ManifestAuditEntry(a.Seq, a.Time, a.Actor, a.Action, a.Subject, a.Before, a.After, a.Reason, a.Hash)).ToListAsync(ct);
        if (rows.Count > MaxAuditEntries)
        {
            var last = rows[MaxAuditEntries - 1];
            rows[MaxAuditEntries - 1] = new ManifestAuditEntry(0, last.At, "bulwark", "audit.truncated", $"review-case:{c.Id}", null,
                $"only the first {MaxAuditEntries - 1} entries are listed; the full trail is in the platform's audit log", null, "");
            rows.RemoveRange(MaxAuditEntries, rows.Count - MaxAuditEntries);
        }
        return rows;
    }

    /// <summary>
    /// The legal hold: on the preserved item of the case's decision (the restriction writer made one when the content was
    /// removed), or on a new item made for the referral (content escalated without a removal), copied by the preservation job.
    /// </summary>
    private async Task<(long Item, long Hold, List<AuditRecord> Records)> HoldAsync(BulwarkDbContext db, ReferralRow r, ReviewCaseRow c, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var records = new List<AuditRecord>();
        var item = c.DecisionId is { } did ? await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.DecisionId == did, ct) : null;
        if (item is null)
        {
            item = new PreservedItemRow
            {
                DecisionId = c.DecisionId ?? 0, ContentId = c.ContentId, ContentVersionId = c.ContentVersionId, AccountId = c.AccountId, Policy = c.Policy,
                Cause = "referral (DSA Art. 18)", Status = PreservationStatus.Pending, CreatedAt = now, ExpiresAt = now.AddMonths(preservation.RetentionMonths),
            };
            db.Add(item);
            await db.SaveChangesAsync(ct);
            records.Add(new AuditRecord(actor, "preservation.recorded", $"preservation:{item.Id}", After: $"content {c.ContentId}; decision {c.DecisionId}", Reason: $"referral {r.Reference}"));
        }
        var hold = new PreservationHoldRow { ItemId = item.Id, Reference = r.Reference, Reason = $"Referral to law enforcement (DSA Art. 18) {r.Reference}: kept for the authority's investigation", PlacedBy = actor, PlacedAt = now };
        db.Add(hold);
        await db.SaveChangesAsync(ct);
        records.Add(new AuditRecord(actor, "preservation.hold_placed", $"preservation:{item.Id}", After: $"hold {hold.Id}; reference {hold.Reference}", Reason: hold.Reason));
        return (item.Id, hold.Id, records);
    }

    private async Task<ReferralView?> ViewAsync(BulwarkDbContext db, long id, CancellationToken ct)
    {
        var r = await db.Set<ReferralRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var events = await db.Set<ReferralEventRow>().AsNoTracking().Where(e => e.ReferralId == id).OrderBy(e => e.Id)
            .Select(e => new ReferralEventView(e.Id, e.Kind, e.At, e.By, e.Channel, e.Attempt, e.StatusCode, e.Detail)).ToListAsync(ct);
        return new ReferralView(r.Id, r.Reference, r.Status, r.CaseId, r.DecisionId, r.ContentId, r.AccountId, r.MemberState, r.MemberStateBasis, RecipientOf(r),
            r.Assessment, r.Urgency, r.CreatedBy, r.CreatedAt, r.ReferredBy, ClockOf(r, clock.GetUtcNow()), r.DeliveredAt, r.Attempts, r.NextAttemptAt, r.LastError, r.Receipt,
            r.ManifestSha256, r.KeyId, r.PreservedItemId, r.HoldId, events);
    }

    private static ReferralRecipientView RecipientOf(ReferralRow r) => new(r.RecipientName, r.RecipientMemberState, r.RecipientChannel, r.RecipientAddress, r.RecipientExample);

    private static List<FiredRule> FiredRules(string json)
    {
        try { return JsonSerializer.Deserialize<List<FiredRule>>(json, JsonSerializerOptions.Web) ?? []; }
        catch (JsonException) { return []; }
    }

    private static string Clip(string s) => s.Length <= 1000 ? s : s[..1000] + "…";
}
