using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Routing;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Routing;

/// <summary>
/// Creates a queue or changes one (name, display name, SLA, roles, order, allowed actions, restrict on escalation, retired).
/// "Preview" shows each field before and after and what the change does to open cases and rules; only then can it be saved,
/// with a reason, exactly as previewed (the values travel in the confirm form and are checked again).
/// </summary>
public sealed class RoutingQueueModel(QueueRoutingService routing, IStringLocalizer<RoutingText> t) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public int SlaMinutes { get; set; } = 24 * 60;
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public int Order { get; set; } = 500;
    /// <summary>Off: any action the policy allows; on: only <see cref="Allowed"/>.</summary>
    [BindProperty] public bool LimitActions { get; set; }
    [BindProperty] public List<string> Allowed { get; set; } = [];
    [BindProperty] public bool RestrictOnEscalation { get; set; }
    [BindProperty] public bool Retired { get; set; }
    [BindProperty] public bool Create { get; set; }
    [BindProperty] public string? Reason { get; set; }
    /// <summary>The previewed values (set by Preview); Save refuses values that differ from them, so what was shown is what is saved.</summary>
    [BindProperty] public string? Previewed { get; set; }

    public QueueChangePreview? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Create = string.IsNullOrEmpty(Name);
        if (Create)
        {
            Roles = [.. Bulwark.Core.Security.ConsoleRoles.Deciders];
            return Page();
        }
        var current = (await routing.QueuesAsync(ct)).FirstOrDefault(q => q.Name == Name);
        if (current is null) return NotFound();
        DisplayName = current.DisplayName;
        SlaMinutes = current.SlaMinutes;
        Roles = [.. current.Roles];
        Order = current.Order;
        LimitActions = current.AllowedActions is not null;
        Allowed = [.. current.AllowedActions ?? QueueRoutingService.Actions];
        RestrictOnEscalation = current.RestrictOnEscalation;
        Retired = current.Retired;
        return Page();
    }

    private QueueDefinition Proposed() => new(Name?.Trim() ?? "", string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(), SlaMinutes,
        Roles.Distinct(StringComparer.Ordinal).ToList(), Order, LimitActions ? Allowed.Distinct(StringComparer.Ordinal).ToList() : null, RestrictOnEscalation, Retired);

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        var preview = await routing.PreviewAsync(Proposed(), Create, User.ReviewUser(), ct);
        if (!preview.Ok) return Refused(preview.Error, preview.Message!);
        Preview = preview.Value;
        Previewed = Fingerprint(Proposed());
        ModelState.Remove(nameof(Previewed));
        return Page();
    }

    private static string Fingerprint(QueueDefinition q) => System.Text.Json.JsonSerializer.Serialize(q);

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var proposed = Proposed();
        if (Previewed != Fingerprint(proposed))
        {
            var again = await routing.PreviewAsync(proposed, Create, User.ReviewUser(), ct);
            if (again.Ok) { Preview = again.Value; Previewed = Fingerprint(proposed); ModelState.Remove(nameof(Previewed)); }
            return Refused(ReviewError.Invalid, t["Routing_ChangedAfterPreview"]);
        }
        var saved = await routing.SaveAsync(proposed, Create, Reason, User.ReviewUser(), ct);
        if (saved.Ok)
        {
            Flash(t[Create ? "Routing_Created" : "Routing_Saved", proposed.Name]);
            return RedirectToPage("/Routing/Index");
        }
        // Keep the preview beside the error, so the reason can be added without starting again.
        var preview = await routing.PreviewAsync(proposed, Create, User.ReviewUser(), ct);
        if (preview.Ok) Preview = preview.Value;
        return Refused(saved.Error, saved.Message!);
    }

    private PageResult Refused(ReviewError error, string message)
    {
        Errors.Add(message);
        Errors.Add(t["Routing_NothingSaved"]);
        Response.StatusCode = error == ReviewError.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
