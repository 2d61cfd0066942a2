using Bulwark.Core.Pipeline;
using Bulwark.Core.Actions;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records.Preservation;

/// <summary>
/// Records a pending preservation item in the transaction of a decision that removes content or bans its account, so a
/// removal can never commit without it. The copies are made afterwards by <see cref="PreservationWorker"/>; the stored
/// event, signals and media it copies are immutable, so nothing is lost by copying later (at least once, idempotently).
/// </summary>
public sealed class PreservationDecisionEffect(TimeProvider clock, PreservationOptions options) : IDecisionEffect
{
    public static readonly IReadOnlySet<string> PreservingKinds = new HashSet<string> { "content.remove", "account.ban" };

    public void Apply(BulwarkDbContext db, PipelineContext context, Decision decision, long decisionId)
    {
        var causes = decision.Actions.Where(a => PreservingKinds.Contains(a.Kind)).Select(a => a.Kind).Distinct().ToList();
        if (causes.Count == 0) return;
        var now = clock.GetUtcNow();
        db.Set<PreservedItemRow>().Add(new PreservedItemRow
        {
            DecisionId = decisionId, ContentId = context.ContentId, ContentVersionId = context.VersionId,
            AccountId = context.Event.Account?.Id, Policy = decision.Policy, Cause = string.Join(",", causes),
            Status = PreservationStatus.Pending, CreatedAt = now, ExpiresAt = now.AddMonths(options.RetentionMonths),
        });
    }
}

/// <summary>
/// A person's confirmation that removes content or bans the account (console review, <c>bulwark decisions confirm</c>)
/// preserves it as the pipeline's removals are: an item in the confirmation's transaction, copied later by the worker. When
/// the decision's own item exists already (the pipeline removed, the person banned), its cause gains the new kinds.
/// </summary>
public sealed class PreservationConfirmationEffect(TimeProvider clock, PreservationOptions options) : IConfirmationEffect
{
    public async Task ApplyAsync(BulwarkDbContext db, DecisionRow decision, string? accountId, string policyId, IReadOnlyList<PlatformAction> actions, CancellationToken ct)
    {
        var causes = actions.Select(a => a.Kind).Where(PreservationDecisionEffect.PreservingKinds.Contains).Distinct().ToList();
        if (causes.Count == 0) return;
        var item = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.DecisionId == decision.Id, ct);
        if (item is not null)
        {
            var known = item.Cause.Split(',', StringSplitOptions.RemoveEmptyEntries);
            item.Cause = string.Join(",", known.Concat(causes.Where(c => !known.Contains(c))));
            return;
        }
        var now = clock.GetUtcNow();
        db.Set<PreservedItemRow>().Add(new PreservedItemRow
        {
            DecisionId = decision.Id, ContentId = decision.ContentId, ContentVersionId = decision.ContentVersionId,
            AccountId = accountId, Policy = policyId, Cause = string.Join(",", causes),
            Status = PreservationStatus.Pending, CreatedAt = now, ExpiresAt = now.AddMonths(options.RetentionMonths),
        });
    }
}

/// <summary>
/// An upheld appeal confirms the removal: the preserved item is kept for the full retention period from the appeal's
/// outcome (complaint handling is one of the purposes of Art. 6(1)(a)), whichever ends later.
/// </summary>
public sealed class PreservationAppealEffect(TimeProvider clock, PreservationOptions options) : IAppealEffect
{
    public async Task ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        if (appeal.Outcome != AppealOutcome.Upheld) return;
        var until = clock.GetUtcNow().AddMonths(options.RetentionMonths);
        var item = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.DecisionId == decision.Id, ct);
        if (item is not null && item.ExpiresAt < until) item.ExpiresAt = until;
    }
}
