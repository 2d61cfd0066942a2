using System.Globalization;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// Queues: the dashboard, queue pages in rank order, and exclusive claims with a timeout. A claim is one conditional
/// <c>UPDATE … WHERE status = 'open' AND (unclaimed OR expired)</c>: on PostgreSQL the row lock makes a concurrent claimer
/// re-check the condition and find it false, on SQLite the single writer does, so of two claimers exactly one wins.
/// </summary>
public sealed class ReviewQueueService(IBulwarkDbFactory dbs, ReviewOptions options, TimeProvider clock)
{
    /// <summary>A console page can show a whole bulk decision's worth of cases (1,000 by default).</summary>
    public const int MaxPageSize = 1000;

    public async Task<IReadOnlyList<QueueDashboardRow>> DashboardAsync(ReviewUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var open = db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Status == ReviewCaseStatus.Open);
        var counts = await open.GroupBy(c => c.Queue).Select(g => new
        {
            Queue = g.Key,
            Depth = g.Count(),
            Breached = g.Count(c => c.DueAt < now),
            Claimed = g.Count(c => c.ClaimedBy != null && c.ClaimExpiresAt > now),
        }).ToListAsync(ct);
        var names = counts.Select(c => c.Queue).Concat(ReviewOptions.BuiltIn.Keys).Concat(options.Queues.Keys).Concat(options.ManagedQueues.Keys)
            .Distinct(StringComparer.Ordinal).Where(n => !options.Queue(n).Retired || counts.Any(c => c.Queue == n));
        var rows = new List<QueueDashboardRow>();
        foreach (var name in names)
        {
            var q = options.Queue(name);
            var c = counts.FirstOrDefault(x => x.Queue == name);
            DateTimeOffset? oldest = null;
            if (c is { Depth: > 0 })
                // Each queue's oldest is one seek on (status, queue, due_at)'s neighbour; kept per queue because SQLite stores
                // times as converted integers that MIN() over a group cannot turn back.
                oldest = await open.Where(x => x.Queue == name).OrderBy(x => x.CreatedAt).Select(x => (DateTimeOffset?)x.CreatedAt).FirstOrDefaultAsync(ct);
            rows.Add(new QueueDashboardRow(name, q.Order, q.SlaMinutes, q.MayWork(user.Roles), c?.Depth ?? 0, oldest, oldest is { } o ? now - o : null,
                c?.Breached ?? 0, c?.Claimed ?? 0));
        }
        return rows.OrderBy(r => r.Order).ThenBy(r => r.Queue, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Open cases of <paramref name="queue"/> in rank order, after <paramref name="cursor"/> (a row's <c>Cursor</c>; null for the
    /// first page). Keyset paging: a deep page costs what the first does.
    /// </summary>
    /// <summary>
    /// Open cases of <paramref name="queue"/> in rank order. With a <paramref name="viewer"/> who is not an auditor, cases about
    /// a decision of a queue they may not work (an appeal of a threat-to-life removal, for a moderator) are left out of the page.
    /// </summary>
    public async Task<ReviewResult<ReviewPage>> ListAsync(string queue, string? cursor, int limit, CancellationToken ct, ReviewUser? viewer = null)
    {
        if (limit is < 1 or > MaxPageSize) return ReviewResult<ReviewPage>.Fail(ReviewError.Invalid, $"limit must be between 1 and {MaxPageSize}");
        string? afterKey = null;
        long afterId = 0;
        if (cursor is not null)
        {
            var i = cursor.LastIndexOf(':');
            if (i <= 0 || !long.TryParse(cursor.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out afterId))
                return ReviewResult<ReviewPage>.Fail(ReviewError.Invalid, "cursor is not one this service handed out");
            afterKey = cursor[..i];
        }
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var q = db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Queue == queue && c.Status == ReviewCaseStatus.Open);
        if (afterKey is not null)
            // The first condition alone bounds the index range; the OR alone made PostgreSQL scan the queue (docs/benchmarks.md).
            q = q.Where(c => string.Compare(c.SortKey, afterKey) >= 0 && (string.Compare(c.SortKey, afterKey) > 0 || c.Id > afterId));
        var rows = await q.OrderBy(c => c.SortKey).ThenBy(c => c.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Summary(page[^1], now).Cursor : null;
        if (viewer is not null && !viewer.Roles.Contains(Security.ConsoleRoles.Auditor) && IsAboutAnotherReview(queue))
        {
            var visible = new List<ReviewCaseRow>(page.Count);
            foreach (var c in page)
                if (await MayNotSeeAsync(db, options, c, viewer, ct) is null) visible.Add(c);
            page = visible;
        }
        return ReviewResult<ReviewPage>.Success(new ReviewPage(queue, page.Select(c => Summary(c, now)).ToList(), next));
    }

    internal static ReviewCaseSummary Summary(ReviewCaseRow c, DateTimeOffset now)
    {
        var claimed = c.ClaimedBy is not null && c.ClaimExpiresAt > now;
        return new ReviewCaseSummary(c.Id, c.Kind, c.Queue, c.ContentId, c.AccountId, c.Policy, c.Severity, c.Confidence, c.Reach, c.Source,
            c.CreatedAt, c.DueAt, c.Status == ReviewCaseStatus.Open && c.DueAt < now, c.DueAt - now, claimed ? c.ClaimedBy : null, claimed ? c.ClaimExpiresAt : null,
            $"{c.SortKey}:{c.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Claims a case for <paramref name="user"/>; their own valid claim is renewed (same token).</summary>
    public async Task<ReviewResult<ReviewClaim>> ClaimAsync(long caseId, ReviewUser user, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReviewResult<ReviewClaim>.Fail(ReviewError.NotFound, ReviewCodes.Of(ReviewCodes.CaseNotFound, $"There is no case {caseId}."));
        if (MayNotWork(c, user) is { } refusal) return refusal;
        if (await MayNotSeeWhyAsync(db, options, c, user, ct) is { } hidden) return ReviewResult<ReviewClaim>.Fail(ReviewError.Forbidden, hidden);
        var now = clock.GetUtcNow();
        if (c.Status != ReviewCaseStatus.Open)
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseAlreadyDecided, $"Case {caseId} was already decided ({c.Verdict}) by {c.DecidedBy} at {c.DecidedAt:yyyy-MM-dd HH:mm}Z."));
        if (c.ClaimedBy == user.Name && c.ClaimExpiresAt > now) return await RenewAsync(caseId, c.ClaimToken!, user, ct);
        if (c.ClaimedBy is not null && c.ClaimExpiresAt > now)
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseClaimedByOther, $"Case {caseId} is claimed by {c.ClaimedBy} until {c.ClaimExpiresAt:HH:mm}Z."));
        return await TryClaimAsync(db, caseId, user, now, ct) is { } claim
            ? ReviewResult<ReviewClaim>.Success(claim)
            : ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseTakenMeanwhile, $"Case {caseId} was claimed or decided by someone else a moment ago."));
    }

    /// <summary>Claims the highest-ranked open case of <paramref name="queue"/> that nobody holds and the user may work.</summary>
    public async Task<ReviewResult<ReviewClaim>> ClaimNextAsync(string queue, ReviewUser user, CancellationToken ct)
    {
        if (!options.Queue(queue).MayWork(user.Roles))
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Forbidden, QueueRefusal(queue, options.Queue(queue).Roles, user));
        await using var db = dbs.Create();
        for (var round = 0; round < 5; round++)
        {
            var now = clock.GetUtcNow();
            // The database leaves out cases that exclude this user by name (alone, or first or last of a list), so a queue
            // full of them does not hide the cases behind; Excluded below is the rule itself.
            var (first, last) = (user.Name + ",", "," + user.Name);
            var candidates = await db.Set<ReviewCaseRow>().AsNoTracking()
                .Where(c => c.Queue == queue && c.Status == ReviewCaseStatus.Open && (c.ClaimedBy == null || c.ClaimExpiresAt <= now)
                            && (c.ExcludedReviewer == null
                                || (c.ExcludedReviewer != user.Name && !c.ExcludedReviewer.StartsWith(first) && !c.ExcludedReviewer.EndsWith(last))))
                .OrderBy(c => c.SortKey).ThenBy(c => c.Id).Take(20).Select(c => new { c.Id, c.ExcludedReviewer }).ToListAsync(ct);
            if (candidates.Count == 0) break;
            foreach (var c in candidates)
            {
                if (Excluded(c.ExcludedReviewer, user)) continue;
                if (IsAboutAnotherReview(queue) && await MayNotSeeAsync(db, queue, c.Id, user, ct) is not null) continue;
                if (await TryClaimAsync(db, c.Id, user, now, ct) is { } claim) return ReviewResult<ReviewClaim>.Success(claim);
            }
        }
        return ReviewResult<ReviewClaim>.Fail(ReviewError.Empty, $"Queue '{queue}' has no open case you may take.");
    }

    public async Task<ReviewResult<ReviewClaim>> RenewAsync(long caseId, string token, ReviewUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expires = now.AddMinutes(options.ClaimMinutes);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var n = await db.Set<ReviewCaseRow>()
            .Where(c => c.Id == caseId && c.Status == ReviewCaseStatus.Open && c.ClaimToken == token && c.ClaimedBy == user.Name && c.ClaimExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimExpiresAt, expires), ct);
        if (n == 0) return await ClaimFailureAsync(db, caseId, token, user, now, ct);
        var claimedAt = await db.Set<ReviewCaseRow>().Where(c => c.Id == caseId).Select(c => c.ClaimedAt).FirstAsync(ct);
        await tx.CommitAsync(ct);
        return ReviewResult<ReviewClaim>.Success(new ReviewClaim(caseId, user.Name, token, claimedAt ?? now, expires));
    }

    public async Task<ReviewResult<bool>> ReleaseAsync(long caseId, string token, ReviewUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var n = await db.Set<ReviewCaseRow>()
            .Where(c => c.Id == caseId && c.Status == ReviewCaseStatus.Open && c.ClaimToken == token && c.ClaimedBy == user.Name)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedBy, (string?)null).SetProperty(c => c.ClaimToken, (string?)null)
                .SetProperty(c => c.ClaimedAt, (DateTimeOffset?)null).SetProperty(c => c.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        await tx.CommitAsync(ct);
        if (n == 1) return ReviewResult<bool>.Success(true);
        return (await ClaimFailureAsync(db, caseId, token, user, now, ct)).As<bool>();
    }

    private async Task<ReviewClaim?> TryClaimAsync(BulwarkDbContext db, long caseId, ReviewUser user, DateTimeOffset now, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var expires = now.AddMinutes(options.ClaimMinutes);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var n = await db.Set<ReviewCaseRow>()
            .Where(c => c.Id == caseId && c.Status == ReviewCaseStatus.Open && (c.ClaimedBy == null || c.ClaimExpiresAt <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedBy, user.Name).SetProperty(c => c.ClaimToken, token)
                .SetProperty(c => c.ClaimedAt, now).SetProperty(c => c.ClaimExpiresAt, expires), ct);
        if (n == 0) return null;
        await tx.CommitAsync(ct);
        return new ReviewClaim(caseId, user.Name, token, now, expires);
    }

    /// <summary>Why <paramref name="token"/> is no longer a valid claim of <paramref name="user"/> on the case.</summary>
    internal static async Task<ReviewResult<ReviewClaim>> ClaimFailureAsync(BulwarkDbContext db, long caseId, string token, ReviewUser user, DateTimeOffset now, CancellationToken ct)
    {
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return ReviewResult<ReviewClaim>.Fail(ReviewError.NotFound, ReviewCodes.Of(ReviewCodes.CaseNotFound, $"There is no case {caseId}."));
        if (c.Status != ReviewCaseStatus.Open)
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseAlreadyDecided,
                $"Case {caseId} was already decided ({c.Verdict}) by {c.DecidedBy} at {c.DecidedAt:yyyy-MM-dd HH:mm}Z; nothing was recorded."));
        if (c.ClaimToken == token && c.ClaimedBy == user.Name && c.ClaimExpiresAt <= now)
            return ReviewResult<ReviewClaim>.Fail(ReviewError.ClaimExpired, ReviewCodes.Of(ReviewCodes.ClaimExpired,
                $"Your claim on case {caseId} expired at {c.ClaimExpiresAt:HH:mm}Z; claim it again to decide it. Nothing was recorded."));
        if (c.ClaimedBy is not null && c.ClaimExpiresAt > now && c.ClaimToken != token)
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseClaimedByOther,
                $"Case {caseId} is now claimed by {c.ClaimedBy}; your claim is no longer valid. Nothing was recorded."));
        return ReviewResult<ReviewClaim>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.NoClaim, $"You do not hold a claim on case {caseId}; claim it first. Nothing was recorded."));
    }

    private ReviewResult<ReviewClaim>? MayNotWork(ReviewCaseRow c, ReviewUser user)
    {
        var q = options.Queue(c.Queue);
        if (!q.MayWork(user.Roles))
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Forbidden, QueueRefusal(c.Queue, q.Roles, user));
        if (Excluded(c.ExcludedReviewer, user))
            return ReviewResult<ReviewClaim>.Fail(ReviewError.Conflict, Exclusion(c, user));
        return null;
    }

    /// <summary>Queues whose cases are about another review: an appeal, a blind second review, a QA disagreement.</summary>
    public static bool IsAboutAnotherReview(string queue) => queue is ReviewQueues.Appeals or ReviewQueues.Qa or ReviewQueues.QaDisagreement;

    /// <summary>
    /// The queues whose roles govern a case: its own and, for a case about another review (an appeal, a QA sample, a QA
    /// disagreement), the queue the reviewed decision was routed to and the queues of the cases it went through. Role checks
    /// follow the case: an appeal of a threat-to-life removal, its media and its history are for those who may see
    /// threat-to-life cases, not for everyone who works the appeals queue.
    /// </summary>
    public static async Task<IReadOnlyList<string>> GoverningQueuesAsync(BulwarkDbContext db, string queue, long? decisionId, CancellationToken ct)
    {
        var queues = new List<string> { queue };
        if (decisionId is { } id && IsAboutAnotherReview(queue))
        {
            if (await db.Decisions.AsNoTracking().Where(d => d.Id == id).Select(d => d.Queue).FirstOrDefaultAsync(ct) is { } routed) queues.Add(routed);
            queues.AddRange(await db.Set<ReviewCaseRow>().AsNoTracking()
                .Where(x => x.DecisionId == id && x.Queue != ReviewQueues.Appeals && x.Queue != ReviewQueues.Qa && x.Queue != ReviewQueues.QaDisagreement)
                .Select(x => x.Queue).Distinct().ToListAsync(ct));
        }
        return queues.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Why <paramref name="user"/> may not see or work the case (a queue of the reviewed decision they may not work), or null.</summary>
    public static async Task<string?> MayNotSeeAsync(BulwarkDbContext db, ReviewOptions options, ReviewCaseRow c, ReviewUser user, CancellationToken ct) =>
        (await MayNotSeeWhyAsync(db, options, c, user, ct))?.English;

    /// <summary><see cref="MayNotSeeAsync(BulwarkDbContext, ReviewOptions, ReviewCaseRow, ReviewUser, CancellationToken)"/> with its code (<see cref="ReviewCodes.CaseNotVisible"/>).</summary>
    public static async Task<Restrictions.RestrictionMessage?> MayNotSeeWhyAsync(BulwarkDbContext db, ReviewOptions options, ReviewCaseRow c, ReviewUser user, CancellationToken ct) =>
        Refusal(options, c.Id, await GoverningQueuesAsync(db, c.Queue, c.DecisionId, ct), user);

    private async Task<string?> MayNotSeeAsync(BulwarkDbContext db, string queue, long caseId, ReviewUser user, CancellationToken ct)
    {
        var decisionId = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.Id == caseId).Select(x => x.DecisionId).FirstOrDefaultAsync(ct);
        return Refusal(options, caseId, await GoverningQueuesAsync(db, queue, decisionId, ct), user)?.English;
    }

    private static Restrictions.RestrictionMessage? Refusal(ReviewOptions options, long caseId, IReadOnlyList<string> queues, ReviewUser user) =>
        queues.FirstOrDefault(q => !options.Queue(q).MayWork(user.Roles)) is { } q
            ? ReviewCodes.Of(ReviewCodes.CaseNotVisible, $"Case {caseId} is about a decision of queue '{q}', which is worked by {string.Join(", ", options.Queue(q).Roles)}; your roles are {Roles(user)}.")
            : null;

    /// <summary>The user's roles do not work <paramref name="queue"/> (<see cref="ReviewCodes.QueueNotPermitted"/>).</summary>
    internal static Restrictions.RestrictionMessage QueueRefusal(string queue, IEnumerable<string> roles, ReviewUser user) =>
        ReviewCodes.Of(ReviewCodes.QueueNotPermitted, $"Queue '{queue}' is worked by {string.Join(", ", roles)}; your roles are {Roles(user)}.");

    internal static bool Excluded(string? excluded, ReviewUser user) =>
        excluded is not null && excluded.Split(',').Any(name => string.Equals(name.Trim(), user.Name.Trim(), StringComparison.OrdinalIgnoreCase));

    internal static string ExclusionMessage(ReviewCaseRow c, ReviewUser user) => Exclusion(c, user).English;

    internal static Restrictions.RestrictionMessage Exclusion(ReviewCaseRow c, ReviewUser user) => c.Queue switch
    {
        ReviewQueues.Appeals => ReviewCodes.Of(ReviewCodes.AppealDeciderExcluded, $"'{user.Name}' took the decision under appeal in case {c.Id}; the appeal must be decided by someone else."),
        ReviewQueues.QaDisagreement => ReviewCodes.Of(ReviewCodes.DisagreementReviewerExcluded, $"'{user.Name}' gave one of the two verdicts that case {c.Id} settles; a senior moderator who gave neither must settle it."),
        _ => ReviewCodes.Of(ReviewCodes.QaReviewerExcluded, $"'{user.Name}' made the decision that case {c.Id} re-reviews; a blind second review must be done by someone else."),
    };

    internal static string Roles(ReviewUser user) => user.Roles.Count == 0 ? "none" : string.Join(", ", user.Roles.Order(StringComparer.Ordinal));
}
