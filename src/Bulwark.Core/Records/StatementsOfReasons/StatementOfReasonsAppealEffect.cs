using System.Globalization;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// A reversal on appeal ends the restrictions its decision's statements describe. The Transparency Database accepts new
/// statements only (no update or withdrawal), so a statement keeps saying that the restriction was applied, which stays
/// true. A statement not yet submitted gets the reversal day as the end date of each restriction it names, so what is
/// published says how long it lasted; one already submitted is left as stored. Either way the decision's
/// <c>ReversedAt</c> marks the reversal, and <see cref="StatementOfReasonsService.GetAsync"/> reports it.
/// </summary>
public sealed class StatementOfReasonsAppealEffect(TimeProvider clock) : IAppealEffect
{
    public async Task ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        if (appeal.Outcome != AppealOutcome.Reversed) return;
        var end = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = await db.Set<StatementRow>().Where(r => r.DecisionId == decision.Id && r.SubmissionStatus == SubmissionStatus.Pending).ToListAsync(ct);
        foreach (var row in rows)
        {
            var s = StatementOfReasons.FromJson(row.Json);
            var ended = s with
            {
                EndDateVisibilityRestriction = s.DecisionVisibility is { Count: > 0 } ? Earlier(s.EndDateVisibilityRestriction, end) : s.EndDateVisibilityRestriction,
                EndDateAccountRestriction = s.DecisionAccount is not null ? Earlier(s.EndDateAccountRestriction, end) : s.EndDateAccountRestriction,
                EndDateServiceRestriction = s.DecisionProvision is not null ? Earlier(s.EndDateServiceRestriction, end) : s.EndDateServiceRestriction,
                EndDateMonetaryRestriction = s.DecisionMonetary is not null ? Earlier(s.EndDateMonetaryRestriction, end) : s.EndDateMonetaryRestriction,
            };
            // Never store what would fail validation (e.g. a statement applied after today by a skewed clock): keep it as it was.
            if (SorValidator.Validate(ended).Count == 0) row.Json = ended.ToJson();
        }
    }

    // ISO dates compare as strings.
    private static string Earlier(string? current, string end) => current is not null && string.CompareOrdinal(current, end) < 0 ? current : end;
}
