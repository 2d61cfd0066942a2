using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

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
