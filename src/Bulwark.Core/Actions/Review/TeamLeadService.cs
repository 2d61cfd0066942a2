using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>A claim someone holds now.</summary>
public sealed record HeldClaim(long CaseId, string Queue, string ClaimedBy, DateTimeOffset? ClaimedAt, DateTimeOffset? ExpiresAt, DateTimeOffset DueAt, bool Breached);

/// <summary>One queue on one UTC day: cases decided, of them decided by the due time, and the handle time (claim to decision) of those decided under a claim.</summary>
public sealed record QueueDay(string Queue, DateOnly Day, int Decided, int WithinSla, int Handled, TimeSpan? MedianHandle, TimeSpan? P90Handle)
{
    /// <summary>Share of decided cases decided by their due time, or null when none was decided.</summary>
    public double? SlaAttainment => Decided == 0 ? null : (double)WithinSla / Decided;
}

/// <summary>A moderator's exposure over the window: cases decided, media revealed and for how long. For wellness, not ranking: listed by name.</summary>
public sealed record ModeratorExposure(string User, int CasesDecided, int MediaRevealed, double SecondsRevealed);

public sealed record TeamFigures(DateOnly From, DateOnly To, IReadOnlyList<QueueDay> Days, IReadOnlyList<ModeratorExposure> Exposure);

/// <summary>
/// What a team lead (senior moderator) sees and does: who holds which claim since when, release or reassign it (audited, with
/// a reason), and per-queue throughput, handle time and SLA attainment per day, with each moderator's exposure. The roles are
/// checked here again, whatever page calls.
/// </summary>
public sealed class TeamLeadService(IBulwarkDbFactory dbs, ReviewOptions options, AuditLog audit, TimeProvider clock)
{
    public const int MaxClaims = 500;
    public const int MaxDays = 31;

    public static bool IsLead(ReviewUser user) => user.Roles.Contains(ConsoleRoles.SeniorModerator);
    private static bool MayRead(ReviewUser user) => IsLead(user) || user.Roles.Contains(ConsoleRoles.Auditor);

    public async Task<ReviewResult<IReadOnlyList<HeldClaim>>> ClaimsAsync(ReviewUser lead, CancellationToken ct)
    {
        if (!MayRead(lead)) return ReviewResult<IReadOnlyList<HeldClaim>>.Fail(ReviewError.Forbidden, "Claims are shown to senior moderators and auditors.");
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var rows = await db.Set<ReviewCaseRow>().AsNoTracking()
            .Where(c => c.Status == ReviewCaseStatus.Open && c.ClaimedBy != null && c.ClaimExpiresAt > now)
            .OrderBy(c => c.ClaimedBy).ThenBy(c => c.Id).Take(MaxClaims)
            .Select(c => new { c.Id, c.Queue, c.ClaimedBy, c.ClaimedAt, c.ClaimExpiresAt, c.DueAt }).ToListAsync(ct);
        return ReviewResult<IReadOnlyList<HeldClaim>>.Success(
            rows.Select(c => new HeldClaim(c.Id, c.Queue, c.ClaimedBy!, c.ClaimedAt, c.ClaimExpiresAt, c.DueAt, c.DueAt < now)).ToList());
    }

    /// <summary>Ends someone's claim on an open case, so that the case goes back to its queue. Audited with the holder and the reason.</summary>
    public async Task<ReviewResult<bool>> ReleaseAsync(long caseId, string? reason, ReviewUser lead, CancellationToken ct)
    {
        if (!IsLead(lead)) return ReviewResult<bool>.Fail(ReviewError.Forbidden, "Only senior moderators may release another person's claim.");
        if (string.IsNullOrWhiteSpace(reason)) return ReviewResult<bool>.Fail(ReviewError.Invalid, "A reason is required to release someone's claim.");
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReviewResult<bool>.Fail(ReviewError.NotFound, $"There is no case {caseId}.");
        if (c.Status != ReviewCaseStatus.Open) return ReviewResult<bool>.Fail(ReviewError.Stale, $"Case {caseId} was already decided by {c.DecidedBy}.");
        if (c.ClaimedBy is null || c.ClaimExpiresAt <= now) return ReviewResult<bool>.Fail(ReviewError.Stale, $"Nobody holds a claim on case {caseId} any more.");
        var n = await db.Set<ReviewCaseRow>().Where(x => x.Id == caseId && x.Status == ReviewCaseStatus.Open && x.ClaimToken == c.ClaimToken)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ClaimedBy, (string?)null).SetProperty(x => x.ClaimToken, (string?)null)
                .SetProperty(x => x.ClaimedAt, (DateTimeOffset?)null).SetProperty(x => x.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        if (n == 0) return ReviewResult<bool>.Fail(ReviewError.Stale, $"Case {caseId} changed a moment ago; nothing was done.");
        await audit.AppendAsync(db, [new AuditRecord(lead.Name, "review.claim_released", $"review-case:{caseId}", $"claimed by {c.ClaimedBy}", "unclaimed", reason.Trim())], ct);
        await tx.CommitAsync(ct);
        return ReviewResult<bool>.Success(true);
    }

    /// <summary>
    /// Gives an open case's claim to <paramref name="to"/>, who must be allowed to work its queue and not be excluded from it
    /// (an appeal's first decider, a QA case's first reviewer). The previous holder's token stops being valid, so their form
    /// is refused with a clear message. Audited with both names and the reason.
    /// </summary>
    public async Task<ReviewResult<ReviewClaim>> ReassignAsync(long caseId, ReviewUser to, string? reason, ReviewUser lead, CancellationToken ct)
    {
        if (!IsLead(lead)) return ReviewResult<ReviewClaim>.Fail(ReviewError.Forbidden, "Only senior moderators may reassign a case.");
        if (string.IsNullOrWhiteSpace(reason)) return ReviewResult<ReviewClaim>.Fail(ReviewError.Invalid, "A reason is required to reassign a case.");
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReviewResult<ReviewClaim>.Fail(ReviewError.NotFound, $"There is no case {caseId}.");
        if (c.Status != ReviewCaseStatus.Open) return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, $"Case {caseId} was already decided by {c.DecidedBy}.");
        if (!options.Queue(c.Queue).MayWork(to.Roles))
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Invalid,
                $"'{to.Name}' may not work queue '{c.Queue}' (worked by {string.Join(", ", options.Queue(c.Queue).Roles)}; their roles are {ReviewQueueService.Roles(to)}).");
        if (ReviewQueueService.Excluded(c.ExcludedReviewer, to)) return ReviewResult<ReviewClaim>.Fail(ReviewError.Conflict, ReviewQueueService.ExclusionMessage(c, to));
        if (await ReviewQueueService.MayNotSeeAsync(db, options, c, to, ct) is { } hidden) return ReviewResult<ReviewClaim>.Fail(ReviewError.Invalid, hidden);
        var before = c.ClaimedBy is not null && c.ClaimExpiresAt > now ? $"claimed by {c.ClaimedBy}" : "unclaimed";
        var token = Guid.NewGuid().ToString("N");
        var expires = now.AddMinutes(options.ClaimMinutes);
        var n = await db.Set<ReviewCaseRow>().Where(x => x.Id == caseId && x.Status == ReviewCaseStatus.Open && x.ClaimToken == c.ClaimToken)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.ClaimedBy, to.Name).SetProperty(x => x.ClaimToken, token)
                .SetProperty(x => x.ClaimedAt, now).SetProperty(x => x.ClaimExpiresAt, expires), ct);
        if (n == 0) return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, $"Case {caseId} changed a moment ago; nothing was done.");
        await audit.AppendAsync(db, [new AuditRecord(lead.Name, "review.claim_reassigned", $"review-case:{caseId}", before, $"claimed by {to.Name}", reason.Trim())], ct);
        await tx.CommitAsync(ct);
        return ReviewResult<ReviewClaim>.Success(new ReviewClaim(caseId, to.Name, token, now, expires));
    }

    /// <summary>
    /// Per queue and UTC day from <paramref name="from"/> to <paramref name="to"/> (inclusive, at most <see cref="MaxDays"/>):
    /// cases decided, SLA attainment and handle time; and each moderator's exposure over the same days.
    /// </summary>
    public async Task<ReviewResult<TeamFigures>> FiguresAsync(DateOnly from, DateOnly to, ReviewUser lead, CancellationToken ct)
    {
        if (!MayRead(lead)) return ReviewResult<TeamFigures>.Fail(ReviewError.Forbidden, "Team figures are shown to senior moderators and auditors.");
        if (to < from) return ReviewResult<TeamFigures>.Fail(ReviewError.Invalid, $"The window ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays) return ReviewResult<TeamFigures>.Fail(ReviewError.Invalid, $"The window may span at most {MaxDays} days.");
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = dbs.Create();
        var decided = await db.Set<ReviewCaseRow>().AsNoTracking()
            .Where(c => c.Status == ReviewCaseStatus.Decided && c.DecidedAt >= start && c.DecidedAt < end)
            .Select(c => new { c.Queue, c.DecidedAt, c.DueAt, c.ClaimedAt, c.DecidedBy }).ToListAsync(ct);
        var days = decided.GroupBy(c => (c.Queue, Day: DateOnly.FromDateTime(c.DecidedAt!.Value.UtcDateTime)))
            .Select(g =>
            {
                var handle = g.Where(c => c.ClaimedAt is not null && c.ClaimedAt <= c.DecidedAt).Select(c => c.DecidedAt!.Value - c.ClaimedAt!.Value).Order().ToList();
                return new QueueDay(g.Key.Queue, g.Key.Day, g.Count(), g.Count(c => c.DecidedAt <= c.DueAt), handle.Count, Percentile(handle, 0.5), Percentile(handle, 0.9));
            })
            .OrderBy(d => d.Queue, StringComparer.Ordinal).ThenBy(d => d.Day).ToList();
        var reveals = await db.Set<MediaRevealRow>().AsNoTracking().Where(r => r.RevealedAt >= start && r.RevealedAt < end)
            .GroupBy(r => r.UserName).Select(g => new { User = g.Key, Count = g.Count(), Ms = g.Sum(r => r.Milliseconds) }).ToListAsync(ct);
        var users = decided.Where(c => c.DecidedBy is not null).Select(c => c.DecidedBy!).Concat(reveals.Select(r => r.User)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var exposure = users.Select(u =>
        {
            var r = reveals.FirstOrDefault(x => x.User == u);
            return new ModeratorExposure(u, decided.Count(c => c.DecidedBy == u), r?.Count ?? 0, (r?.Ms ?? 0) / 1000.0);
        }).ToList();
        return ReviewResult<TeamFigures>.Success(new TeamFigures(from, to, days, exposure));
    }

    /// <summary>Nearest-rank percentile of a sorted list, or null when it is empty.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
