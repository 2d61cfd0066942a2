using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// Every decision sent to review or escalated gets its case in the decision's own transaction, so no decision waits for a
/// person without a case and a redelivered event (decided once) never opens a second one.
/// </summary>
public sealed class ReviewCaseEffect(ReviewOptions options, TimeProvider clock) : IDecisionEffect
{
    public void Apply(BulwarkDbContext db, PipelineContext context, Decision decision, long decisionId)
    {
        if (decision.Outcome is not (Outcomes.Review or Outcomes.Escalate)) return;
        db.Set<ReviewCaseRow>().Add(ReviewCases.ForDecision(options, context, decision, decisionId, clock.GetUtcNow()));
    }
}

/// <summary>A submitted appeal opens a case in queue <c>appeals</c>, which its original decider may not work.</summary>
public sealed class ReviewAppealSubmissionEffect(ReviewOptions options, TimeProvider clock) : IAppealSubmissionEffect
{
    public async Task ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        // Rank it like the case that decided it, when there was one; otherwise from the stored event.
        var prior = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.DecisionId == decision.Id && c.SubjectCaseId == null && c.AppealId == null)
            .OrderBy(c => c.Id).FirstOrDefaultAsync(ct);
        string? source = prior?.Source;
        long reach = prior?.Reach ?? 0;
        if (prior is null)
        {
            var json = await db.ContentVersions.AsNoTracking().Where(v => v.Id == decision.ContentVersionId).Select(v => v.EventJson).FirstOrDefaultAsync(ct);
            var e = json is null ? null : ReviewCases.ReadEvent(json);
            source = e?.Source?.Type;
            reach = e?.ViewCount ?? 0;
        }
        var row = ReviewCases.New(options, prior?.Kind ?? ReviewCaseKind.Content, ReviewQueues.Appeals, decision.Id, decision.ContentId, decision.ContentVersionId,
            appeal.AccountId, decision.Policy, prior?.Severity ?? 2, prior?.Confidence ?? 0, reach, source, clock.GetUtcNow());
        row.AppealId = appeal.Id;
        row.ExcludedReviewer = decision.Automated ? null : decision.ReviewedBy;
        db.Set<ReviewCaseRow>().Add(row);
    }
}

/// <summary>
/// However an appeal is decided (console, API or CLI), its open appeals case closes in the same transaction with the
/// appeal's outcome and decider, so the queue never shows an appeal that is already decided.
/// </summary>
public sealed class ReviewAppealEffect(TimeProvider clock) : IAppealEffect
{
    public async Task ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        var verdict = appeal.Outcome == AppealOutcome.Reversed ? ReviewVerdict.Reverse : ReviewVerdict.Uphold;
        var now = clock.GetUtcNow();
        await db.Set<ReviewCaseRow>().Where(c => c.AppealId == appeal.Id && c.Status == ReviewCaseStatus.Open).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Status, ReviewCaseStatus.Decided).SetProperty(c => c.Verdict, verdict).SetProperty(c => c.VerdictPolicy, decision.Policy)
            .SetProperty(c => c.DecidedBy, appeal.DecidedBy).SetProperty(c => c.DecidedAt, now)
            .SetProperty(c => c.Outcome, $"appeal {appeal.Id} {appeal.Outcome}" + (appeal.Effects == null ? "" : $": {appeal.Effects}"))
            .SetProperty(c => c.ClaimExpiresAt, (DateTimeOffset?)null), ct);
    }
}
