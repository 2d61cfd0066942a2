using Bulwark.Core.Notices;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Notices;

/// <summary>
/// One notice: the Art. 16(2) elements, its case, the decision and every message sent to the notifier; a decided notice
/// that led to no action can be marked manifestly unfounded (Art. 23(2)), and an appealed measure on its notifier decided.
/// </summary>
public sealed class NoticeDetailModel(NoticeQueries queries, NotifierStanding standing, IStringLocalizer<NoticeText> t) : ConsolePageModel
{
    public NoticeDetail? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        Detail = await queries.GetAsync(id, ct);
        return Detail is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostUnfoundedAsync(long id, string? reason, CancellationToken ct)
    {
        var r = await standing.MarkUnfoundedAsync(id, Actor, reason, ct);
        return await AfterAsync(id, r, r.Measure is null ? t["Notices_Unfounded_Done"] : t["Notices_Unfounded_Measure", t["Notices_Measure_" + r.Measure.Kind]], ct);
    }

    public async Task<IActionResult> OnPostAppealAsync(long id, long measureId, string? outcome, string? reason, CancellationToken ct)
    {
        var r = await standing.DecideAppealAsync(measureId, outcome == "lift", reason, Actor, ct);
        return await AfterAsync(id, r, t["Notices_Appeal_Done"], ct);
    }

    private async Task<IActionResult> AfterAsync(long id, StandingResult r, string done, CancellationToken ct)
    {
        if (r.Ok)
        {
            Flash(done);
            return RedirectToPage(new { id });
        }
        Errors.Add(r.Message!);
        Response.StatusCode = r.Error == StandingError.NotFound ? 404 : 422;
        Detail = await queries.GetAsync(id, ct);
        return Page();
    }
}
