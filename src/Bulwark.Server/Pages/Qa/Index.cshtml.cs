using Bulwark.Core.Actions.Review;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Qa;

/// <summary>
/// Quality assurance: the blind QA cases (queue <c>qa</c>; the service refuses a case to its first reviewer), agreement per
/// moderator and per policy over a period, and the disagreements senior moderators settle (queue <c>qa-disagreement</c>).
/// </summary>
public sealed class QaIndexModel(ReviewQaService qa, ReviewQueueService queues, TimeProvider clock, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public static readonly int[] Periods = [7, 30, 90, 365];
    public int Days { get; private set; } = 30;
    public AgreementStatistics Agreement { get; private set; } = null!;
    public IReadOnlyList<ReviewCaseSummary> Blind { get; private set; } = [];
    public IReadOnlyList<ReviewCaseSummary> Disagreements { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? days, CancellationToken ct)
    {
        Days = days is { } d && Periods.Contains(d) ? d : 30;
        var now = clock.GetUtcNow();
        Agreement = await qa.AgreementAsync(now.AddDays(-Days), now, ct);
        Blind = (await queues.ListAsync(ReviewQueues.Qa, null, 50, ct)).Value?.Items ?? [];
        Disagreements = (await queues.ListAsync(ReviewQueues.QaDisagreement, null, 50, ct)).Value?.Items ?? [];
        return Page();
    }

    public async Task<IActionResult> OnPostClaimNextAsync(string queue, CancellationToken ct)
    {
        if (queue is not (ReviewQueues.Qa or ReviewQueues.QaDisagreement)) return BadRequest();
        var claim = await queues.ClaimNextAsync(queue, User.ReviewUser(), ct);
        if (claim.Ok) return Redirect($"/cases/{claim.Value!.CaseId}");
        Flash(claim.Error == ReviewError.Empty ? t["Queue.Empty", queue] : ReviewUi.Refusal(t, claim.Why, claim.Message));
        return RedirectToPage();
    }
}
