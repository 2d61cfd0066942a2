using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Routing;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Routing;

/// <summary>
/// Queues and routing (policy admins change, auditors read): every queue with its settings in force, the rules that route
/// items to queues with a form to point one elsewhere (previewed first, then confirmed with a reason), and the history of
/// queue versions. The service checks roles again and audits every change.
/// </summary>
public sealed class RoutingIndexModel(QueueRoutingService routing, IStringLocalizer<RoutingText> t) : ConsolePageModel
{
    public IReadOnlyList<QueueSettings> Queues { get; private set; } = [];
    public IReadOnlyList<RoutingRule> Routes { get; private set; } = [];
    public IReadOnlyList<QueueVersion> History { get; private set; } = [];
    public RouteChangePreview? RoutePreview { get; private set; }
    public QueueRestorePreview? RestorePreview { get; private set; }
    public int RouteIndex { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Queues = await routing.QueuesAsync(ct);
        Routes = await routing.RoutesAsync(ct);
        History = await routing.HistoryAsync(20, ct);
    }

    /// <summary>Index of a route among its rule's routing actions (a rule may route more than once).</summary>
    public int IndexOf(RoutingRule route) => Routes.Where(r => r.Rule == route.Rule).TakeWhile(r => !ReferenceEquals(r, route)).Count();

    public async Task<IActionResult> OnPostPreviewRouteAsync(string rule, int index, string queue, CancellationToken ct)
    {
        var preview = await routing.PreviewRouteAsync(rule ?? "", index, queue ?? "", User.ReviewUser(), ct);
        await OnGetAsync(ct);
        if (!preview.Ok) return Refused(preview.Error, preview.Message!);
        RoutePreview = preview.Value;
        RouteIndex = index;
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewRestoreAsync(long version, CancellationToken ct)
    {
        var preview = await routing.PreviewRestoreAsync(version, User.ReviewUser(), ct);
        await OnGetAsync(ct);
        if (!preview.Ok) return Refused(preview.Error, preview.Message!);
        RestorePreview = preview.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(long version, long basedOn, string? reason, CancellationToken ct)
    {
        var restored = await routing.RestoreAsync(version, basedOn, reason, User.ReviewUser(), ct);
        if (restored.Ok)
        {
            Flash(t["Routing_Restored", version, string.Join(", ", restored.Value!.Changes.Select(c => c.Queue))]);
            return RedirectToPage();
        }
        await OnGetAsync(ct);
        var again = await routing.PreviewRestoreAsync(version, User.ReviewUser(), ct);
        if (again.Ok) RestorePreview = again.Value;
        return Refused(restored.Error, restored.Message!);
    }

    public async Task<IActionResult> OnPostSaveRouteAsync(string rule, int index, string queue, string? reason, string? ruleSet, CancellationToken ct)
    {
        var saved = await routing.SaveRouteAsync(rule ?? "", index, queue ?? "", reason, User.ReviewUser(), ct, string.IsNullOrEmpty(ruleSet) ? null : ruleSet);
        if (saved.Ok)
        {
            Flash(t["Routing_RouteSaved", saved.Value!.Rule, saved.Value.Before, saved.Value.After]);
            return RedirectToPage();
        }
        await OnGetAsync(ct);
        var again = await routing.PreviewRouteAsync(rule ?? "", index, queue ?? "", User.ReviewUser(), ct);
        if (again.Ok) { RoutePreview = again.Value; RouteIndex = index; }
        return Refused(saved.Error, saved.Message!);
    }

    private PageResult Refused(ReviewError error, string message)
    {
        Errors.Add(message);
        Errors.Add(t["Routing_NothingSaved"]);
        Response.StatusCode = error switch
        {
            ReviewError.Forbidden => StatusCodes.Status403Forbidden,
            ReviewError.NotFound => StatusCodes.Status404NotFound,
            ReviewError.Stale => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Page();
    }
}
