using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Appeals;

/// <summary>
/// Appeals against decisions (DSA Art. 20): received within <see cref="AppealOptions.DeadlineMonths"/> of the decision,
/// decided by a named person who did not take the original decision, never automatically. A reversal undoes the decision
/// (see <see cref="AppealReversal"/>) in the same transaction as the outcome and its audit entries.
/// State machine: <c>open</c> → <c>decided</c> (upheld | reversed); any other transition is refused.
/// </summary>
public sealed class AppealService(
    IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, AppealOptions options,
    Actions.Restrictions.RestrictionWriter writer, Actions.Review.ReviewOptions reviewOptions,
    IEnumerable<IAppealSubmissionEffect>? submissionEffects = null, IEnumerable<IAppealOutcomeEffect>? outcomeEffects = null)
{
    /// <summary>Actors that are processes, not people: an appeal decided under one of these names would be automated.</summary>
    private static readonly HashSet<string> AutomatedActors = new(StringComparer.OrdinalIgnoreCase) { "pipeline", "system", "automated", "cli", "demo", "anonymous" };

    private readonly IAppealSubmissionEffect[] _submissionEffects = submissionEffects?.ToArray() ?? [];
    private readonly IAppealOutcomeEffect[] _outcomeEffects = outcomeEffects?.ToArray() ?? [];

    public async Task<AppealResult> SubmitAsync(NewAppeal request, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (request.DecisionId is null == string.IsNullOrWhiteSpace(request.ContentId))
            errors.Add(new("decisionId", "give exactly one of decisionId and contentId"));
        if (request.DecisionId is <= 0) errors.Add(new("decisionId", "must be a positive decision id"));
        if (request.ContentId is { Length: > 128 }) errors.Add(new("contentId", "must be at most 128 characters"));
        if (string.IsNullOrWhiteSpace(request.Reason)) errors.Add(new("reason", "is required: the user's reason for the appeal"));
        else if (request.Reason.Length > options.MaxReasonLength) errors.Add(new("reason", $"must be at most {options.MaxReasonLength} characters"));
        if (errors.Count > 0) return AppealResult.Invalid(errors);

        await using var db = dbs.Create();
        DecisionRow? decision;
        if (request.DecisionId is { } id)
        {
            decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
            if (decision is null) return AppealResult.Fail(AppealError.UnknownDecision, $"There is no decision {id}.");
        }
        else
        {
            var all = await db.Decisions.AsNoTracking().Where(d => d.ContentId == request.ContentId).ToListAsync(ct);
            if (all.Count == 0) return AppealResult.Fail(AppealError.UnknownDecision, $"Content '{request.ContentId}' has no decision.");
            // The latest decision that restricted the content or its account is the one the user was told about.
            decision = all.OrderByDescending(d => d.Id).FirstOrDefault(Restricts);
            if (decision is null)
                return AppealResult.Fail(AppealError.NothingRestricted, $"No decision on content '{request.ContentId}' restricted anything; there is nothing to appeal.");
        }
        if (!Restricts(decision))
            return AppealResult.Fail(AppealError.NothingRestricted, $"Decision {decision.Id} ({decision.Outcome}) restricted nothing; there is nothing to appeal.");

        var now = clock.GetUtcNow();
        var deadline = Deadline(decision.DecidedAt);
        if (now > deadline)
            return AppealResult.Fail(AppealError.DeadlinePassed,
                $"The appeal period for decision {decision.Id} ended on {deadline:yyyy-MM-dd HH:mm}Z ({options.DeadlineMonths} months after the decision of {decision.DecidedAt:yyyy-MM-dd}).");

        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var existing = await db.Set<AppealRow>().AsNoTracking().FirstOrDefaultAsync(a => a.DecisionId == decision.Id, ct);
        if (existing is not null) return Existing(existing);
        var actions = AppealReversal.ActionsOf(decision);
        var accountId = actions.FirstOrDefault(a => a.TargetType == "account")?.TargetId
            ?? await db.ContentItems.AsNoTracking().Where(c => c.Id == decision.ContentId).Select(c => c.AccountId).FirstOrDefaultAsync(ct);
        var row = new AppealRow
        {
            DecisionId = decision.Id, ContentId = decision.ContentId, ContentVersionId = decision.ContentVersionId, AccountId = accountId,
            Policy = decision.Policy, Reason = request.Reason!.Trim(), SubmittedBy = actor, Status = AppealStatus.Open,
            ReceivedAt = now, DecisionAutomated = decision.Automated,
        };
        db.Set<AppealRow>().Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // A concurrent submission for the same decision won the unique index.
            await tx.DisposeAsync();
            await using var again = dbs.Create();
            var winner = await again.Set<AppealRow>().AsNoTracking().FirstOrDefaultAsync(a => a.DecisionId == decision.Id, ct);
            if (winner is not null) return Existing(winner);
            throw;
        }
        if (_submissionEffects.Length > 0)
        {
            foreach (var effect in _submissionEffects) await effect.ApplyAsync(db, row, decision, ct);
            await db.SaveChangesAsync(ct);
        }
        // The user's words stay in the appeal row; the audit log records that an appeal arrived, not what it says.
        await audit.AppendAsync(db, [new AuditRecord(actor, "appeal.received", $"appeal:{row.Id}",
            After: $"open; decision {decision.Id}; content {decision.ContentId}; policy {decision.Policy ?? "-"}; reason {row.Reason.Length} chars")], ct);
        await tx.CommitAsync(ct);
        return AppealResult.Ok(View(row));
    }

    /// <summary>
    /// Decides an open appeal. <paramref name="principal"/> is the authenticated identity deciding it, in the form decisions
    /// record their reviewer (<c>apikey:{keyId}</c> for an API key, the user name for a console user): it is the decider,
    /// and independence compares it, never a free-text name, with the original decision's reviewer. A request may repeat
    /// the principal in <c>decidedBy</c> but never name someone else. Only a caller with no authenticated identity (the CLI,
    /// run by an operator with the database's credentials) names the decider in <c>decidedBy</c>.
    /// </summary>
    /// <param name="viewer">The caller's identity and review roles when it has them (an API key); role checks then follow the
    /// appealed decision as they do in the console: an appeal of a threat-to-life decision is for those who may work that queue.</param>
    public async Task<AppealResult> DecideAsync(long id, AppealDecisionRequest request, string? principal, CancellationToken ct,
        Actions.Review.ReviewUser? viewer = null)
    {
        var errors = new List<FieldError>();
        if (request.Outcome is not (AppealOutcome.Upheld or AppealOutcome.Reversed)) errors.Add(new("outcome", "must be 'upheld' or 'reversed'"));
        if (string.IsNullOrWhiteSpace(request.Statement)) errors.Add(new("statement", "is required: the reasons given to the user"));
        else if (request.Statement.Length > options.MaxStatementLength) errors.Add(new("statement", $"must be at most {options.MaxStatementLength} characters"));
        principal = string.IsNullOrWhiteSpace(principal) ? null : principal.Trim();
        if (principal is not null && !string.IsNullOrWhiteSpace(request.DecidedBy) && !string.Equals(request.DecidedBy.Trim(), principal, StringComparison.OrdinalIgnoreCase))
            errors.Add(new("decidedBy", $"names '{request.DecidedBy.Trim()}', but the caller is '{principal}': an appeal is decided by the authenticated caller, who cannot name someone else"));
        var decider = principal ?? request.DecidedBy?.Trim();
        if (string.IsNullOrEmpty(decider)) errors.Add(new("decidedBy", "is required: the person deciding the appeal"));
        else if (decider.Length > 200) errors.Add(new("decidedBy", "must be at most 200 characters"));
        else if (AutomatedActors.Contains(decider))
            errors.Add(new("decidedBy", $"'{decider}' names a process, not a person; appeals are never decided automatically"));
        if (errors.Count > 0) return AppealResult.Invalid(errors);

        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var appeal = await db.Set<AppealRow>().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (appeal is null) return AppealResult.Fail(AppealError.NotFound, $"There is no appeal {id}.");
        if (viewer is not null && await RefusalAsync(db, appeal, viewer, ct) is { } refusal)
            return AppealResult.Fail(AppealError.Forbidden, refusal);
        if (appeal.Status != AppealStatus.Open)
            return AppealResult.Fail(AppealError.AlreadyDecided, $"Appeal {id} was already decided ({appeal.Outcome}) by {appeal.DecidedBy} on {appeal.DecidedAt:yyyy-MM-dd}.");
        var decision = await db.Decisions.FirstAsync(d => d.Id == appeal.DecisionId, ct);
        if (!decision.Automated)
        {
            if (decision.ReviewedBy is null)
                return AppealResult.Fail(AppealError.DeciderConflict, $"Decision {decision.Id} was taken by a person who is not recorded, so a different decider cannot be assured; record the reviewer first.");
            if (string.Equals(decision.ReviewedBy.Trim(), decider, StringComparison.OrdinalIgnoreCase))
                return AppealResult.Fail(AppealError.DeciderConflict, $"'{decider}' took decision {decision.Id}; the appeal must be decided by someone else.");
        }

        var now = clock.GetUtcNow();
        var records = new List<AuditRecord>();
        appeal.Status = AppealStatus.Decided;
        appeal.Outcome = request.Outcome;
        appeal.DecidedBy = decider;
        appeal.Statement = request.Statement!.Trim();
        appeal.DecidedAt = now;
        // Everything the outcome causes (restores, strike removals, lifts, statements' end, preservation, the appeal's
        // case) in the restriction writer's order, inside this transaction.
        var (effects, audits) = await writer.ApplyAppealOutcomeAsync(db, appeal, decision, ct);
        appeal.Effects = effects;
        records.AddRange(audits);
        foreach (var effect in _outcomeEffects) records.AddRange(await effect.ApplyAsync(db, appeal, decision, ct));
        records.Insert(0, new AuditRecord(decider!, $"appeal.{request.Outcome}", $"appeal:{appeal.Id}", Before: AppealStatus.Open,
            After: $"{request.Outcome}; decision {decision.Id}" + (appeal.Effects is null ? "" : $"; {Clip(appeal.Effects)}"), Reason: Clip(appeal.Statement)));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another decider won the race (status is a concurrency token; on PostgreSQL the reversal's idempotency keys
            // may collide first). Nothing of this attempt is kept.
            await tx.DisposeAsync();
            if (await GetAsync(id, ct) is { Status: AppealStatus.Decided } winner)
                return AppealResult.Fail(AppealError.AlreadyDecided, $"Appeal {id} was decided ({winner.Outcome}) by {winner.DecidedBy} at the same time.");
            throw;
        }
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return AppealResult.Ok(View(appeal));
    }

    public async Task<AppealView?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var row = await db.Set<AppealRow>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return row is null ? null : View(row);
    }

    /// <summary>One appeal as <paramref name="viewer"/> may see it: NotFound, Forbidden (with the reason) or the appeal.</summary>
    public async Task<AppealResult> GetAsync(long id, Actions.Review.ReviewUser viewer, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var row = await db.Set<AppealRow>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (row is null) return AppealResult.Fail(AppealError.NotFound, $"There is no appeal {id}.");
        return await RefusalAsync(db, row, viewer, ct) is { } refusal ? AppealResult.Fail(AppealError.Forbidden, refusal) : AppealResult.Ok(View(row));
    }

    /// <summary>Appeals in id order after <paramref name="cursor"/>, optionally only those with <paramref name="status"/>.</summary>
    public async Task<IReadOnlyList<AppealView>> ListAsync(string? status, long cursor, int limit, CancellationToken ct) =>
        (await ListAsync(status, cursor, limit, null, ct)).Items;

    /// <summary>
    /// A page of appeals in id order after <paramref name="cursor"/>, leaving out those <paramref name="viewer"/> may not see;
    /// <c>Next</c> is the cursor of the following page (null at the end), so a page shortened by the filter never ends the listing.
    /// </summary>
    public async Task<(IReadOnlyList<AppealView> Items, long? Next)> ListAsync(string? status, long cursor, int limit,
        Actions.Review.ReviewUser? viewer, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<AppealRow>().AsNoTracking().Where(a => a.Id > cursor);
        if (status is not null) q = q.Where(a => a.Status == status);
        var rows = await q.OrderBy(a => a.Id).Take(limit).ToListAsync(ct);
        long? next = rows.Count == limit ? rows[^1].Id : null;
        if (viewer is null) return (rows.Select(View).ToList(), next);
        var visible = new List<AppealView>(rows.Count);
        foreach (var row in rows)
            if (await RefusalAsync(db, row, viewer, ct) is null) visible.Add(View(row));
        return (visible, next);
    }

    private async Task<string?> RefusalAsync(BulwarkDbContext db, AppealRow appeal, Actions.Review.ReviewUser viewer, CancellationToken ct)
    {
        var queues = await Actions.Review.ReviewQueueService.GoverningQueuesAsync(db, Actions.Review.ReviewQueues.Appeals, appeal.DecisionId, ct);
        return queues.FirstOrDefault(q => !reviewOptions.Queue(q).MayWork(viewer.Roles)) is { } q
            ? $"Appeal {appeal.Id} is about decision {appeal.DecisionId} of queue '{q}', which is worked by {string.Join(", ", reviewOptions.Queue(q).Roles)}; "
              + $"this caller works appeals as {Actions.Review.ReviewQueueService.Roles(viewer)}."
            : null;
    }

    /// <summary>Appeals received, and decided, in [since, until): the figures transparency reports publish.</summary>
    public async Task<AppealStatistics> StatisticsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var received = await db.Set<AppealRow>().AsNoTracking().Where(a => a.ReceivedAt >= since && a.ReceivedAt < until)
            .Select(a => new { a.Policy }).ToListAsync(ct);
        var decided = await db.Set<AppealRow>().AsNoTracking().Where(a => a.DecidedAt != null && a.DecidedAt >= since && a.DecidedAt < until)
            .Select(a => new { a.Policy, a.Outcome, a.ReceivedAt, a.DecidedAt }).ToListAsync(ct);
        var days = decided.Select(a => (a.DecidedAt!.Value - a.ReceivedAt).TotalDays).Order().ToList();
        double? median = days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2;
        var policies = received.Select(a => a.Policy ?? "-").Concat(decided.Select(a => a.Policy ?? "-")).Distinct().Order(StringComparer.Ordinal);
        return new AppealStatistics(since, until, received.Count, decided.Count,
            decided.Count(a => a.Outcome == AppealOutcome.Upheld), decided.Count(a => a.Outcome == AppealOutcome.Reversed), median,
            policies.Select(p => new PolicyAppealCount(p, received.Count(a => (a.Policy ?? "-") == p),
                decided.Count(a => (a.Policy ?? "-") == p && a.Outcome == AppealOutcome.Upheld),
                decided.Count(a => (a.Policy ?? "-") == p && a.Outcome == AppealOutcome.Reversed))).ToList());
    }

    public DateTimeOffset Deadline(DateTimeOffset decidedAt) => decidedAt.AddMonths(options.DeadlineMonths);

    private static bool Restricts(DecisionRow d) => AppealReversal.ActionsOf(d).Any(a => AppealReversal.Restrictive.Contains(a.Kind));

    private static AppealResult Existing(AppealRow a) => a.Status == AppealStatus.Open
        ? AppealResult.Fail(AppealError.Duplicate, $"Appeal {a.Id} against decision {a.DecisionId} is already open.")
        : AppealResult.Fail(AppealError.AlreadyDecided, $"Decision {a.DecisionId} was already appealed; appeal {a.Id} was {a.Outcome} on {a.DecidedAt:yyyy-MM-dd}.");

    private AppealView View(AppealRow a) => new(a.Id, a.DecisionId, a.ContentId, a.AccountId, a.Policy, a.Reason, a.Status, a.ReceivedAt,
        a.DecisionAutomated, a.Outcome, a.DecidedBy, a.Statement, a.DecidedAt, a.Effects);

    private static string Clip(string s) => s.Length <= 1000 ? s : s[..1000] + "…";
}

/// <summary>
/// Something a received appeal causes in the same transaction (e.g. a case in the review console's appeals queue).
/// Must only add to <paramref name="db"/>'s unit of work; the service saves and commits.
/// </summary>
public interface IAppealSubmissionEffect
{
    Task ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct);
}

/// <summary>
/// Something a decided appeal causes in the same transaction, after the restriction writer's own effects (e.g. a removal
/// order's item reinstated after a complaint, Reg. 2021/784 Art. 10). Must only add to <paramref name="db"/>'s unit of work;
/// returns audit records, appended after the appeal's own.
/// </summary>
public interface IAppealOutcomeEffect
{
    Task<IReadOnlyList<AuditRecord>> ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct);
}
