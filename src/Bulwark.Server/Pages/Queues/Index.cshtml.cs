using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Queues;

/// <summary>
/// The review dashboard: per queue depth, oldest case, SLA breaches and claims (the queues the user works; auditors see every
/// queue, read-only), the user's own exposure today, the break reminder, and their wellness preferences.
/// </summary>
public sealed class QueuesIndexModel(ReviewQueueService queues, WellnessService wellness, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public IReadOnlyList<QueueDashboardRow> Rows { get; private set; } = [];
    public ExposureSummary? Exposure { get; private set; }
    public ReviewStretch? Stretch { get; private set; }
    public WellnessPreferences Preferences { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Each choice is "default" (the organisation's), "on" or "off"; the break reminder is minutes or empty for the default.</summary>
    public async Task<IActionResult> OnPostPreferencesAsync(string? blur, string? greyscale, int? breakMinutes, CancellationToken ct)
    {
        var result = await wellness.SetPreferencesAsync(Actor, Choice(blur), Choice(greyscale), breakMinutes, ct);
        if (result.Ok)
        {
            Flash(t["Wellness.Saved"]);
            return RedirectToPage();
        }
        Errors.Add(result.Message!);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    private static bool? Choice(string? value) => value switch { "on" => true, "off" => false, _ => null };

    private async Task LoadAsync(CancellationToken ct)
    {
        var user = User.ReviewUser();
        var auditor = user.Roles.Contains(ConsoleRoles.Auditor);
        Rows = (await queues.DashboardAsync(user, ct)).Where(r => r.MayWork || auditor).ToList();
        Preferences = await wellness.PreferencesAsync(user.Name, ct);
        Exposure = await wellness.ExposureAsync(user.Name, null, ct);
        Stretch = await wellness.StretchAsync(user.Name, ct);
    }
}
