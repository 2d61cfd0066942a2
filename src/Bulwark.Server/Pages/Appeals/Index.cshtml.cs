using Bulwark.Core.Actions.Review;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Appeals;

/// <summary>
/// The appeals queue. An appeal is decided on its case page (uphold or reverse, with the statement sent to the user); the
/// service refuses the claim and the decision to the person who took the appealed decision. Like any queue page, it is
/// shown to those who may work the appeals queue (its configured roles) and to auditors.
/// </summary>
public sealed class AppealsIndexModel(ReviewQueueService queues, ReviewOptions options, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public IReadOnlyList<ReviewCaseSummary> Items { get; private set; } = [];
    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? after, CancellationToken ct)
    {
        var user = User.ReviewUser();
        if (!options.Queue(ReviewQueues.Appeals).MayWork(user.Roles) && !user.Roles.Contains(Bulwark.Core.Security.ConsoleRoles.Auditor))
            return StatusCode(StatusCodes.Status403Forbidden);
        var page = await queues.ListAsync(ReviewQueues.Appeals, after, 100, ct, user);
        if (!page.Ok) { Errors.Add(page.Message!); Response.StatusCode = StatusCodes.Status400BadRequest; }
        Items = page.Value?.Items ?? [];
        NextCursor = page.Value?.NextCursor;
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(long caseId, CancellationToken ct)
    {
        var claim = await queues.ClaimAsync(caseId, User.ReviewUser(), ct);
        if (claim.Ok) return Redirect($"/cases/{caseId}");
        Flash(claim.Message!);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostClaimNextAsync(CancellationToken ct)
    {
        var claim = await queues.ClaimNextAsync(ReviewQueues.Appeals, User.ReviewUser(), ct);
        if (claim.Ok) return Redirect($"/cases/{claim.Value!.CaseId}");
        Flash(claim.Error == ReviewError.Empty ? t["Queue.Empty", ReviewQueues.Appeals] : ReviewUi.Refusal(t, claim.Why, claim.Message));
        return RedirectToPage();
    }
}
