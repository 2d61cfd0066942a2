using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Team;

/// <summary>
/// The team lead's view (senior moderators; auditors read): who holds which claim and since when, release or reassign it with
/// a reason (audited), and per queue and day the cases decided, SLA attainment and handle time, with each moderator's exposure
/// (listed by name: for wellness, not ranking). The service checks the roles again.
/// </summary>
public sealed class TeamIndexModel(TeamLeadService team, ConsoleUserService users, TimeProvider clock, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    public static readonly int[] Periods = [7, 14, 31];
    public int Days { get; private set; } = 7;
    public IReadOnlyList<HeldClaim> Claims { get; private set; } = [];
    public TeamFigures? Figures { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? days, CancellationToken ct)
    {
        if (days is { } d && !Periods.Contains(d)) Errors.Add(t["Team.BadDays", d, string.Join(", ", Periods)]);
        Days = days is { } ok && Periods.Contains(ok) ? ok : 7;
        var lead = User.ReviewUser();
        var claims = await team.ClaimsAsync(lead, ct);
        if (!claims.Ok) return StatusCode(StatusCodes.Status403Forbidden);
        Claims = claims.Value!;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Figures = (await team.FiguresAsync(today.AddDays(1 - Days), today, lead, ct)).Value;
        return Page();
    }

    public async Task<IActionResult> OnPostReleaseAsync(long caseId, string? reason, CancellationToken ct)
    {
        var released = await team.ReleaseAsync(caseId, reason, User.ReviewUser(), ct);
        return await AfterAsync(released.Ok, released.Error, released.Message, t["Team.Released", caseId], ct);
    }

    public async Task<IActionResult> OnPostReassignAsync(long caseId, string? to, string? reason, CancellationToken ct)
    {
        var name = to?.Trim() ?? "";
        var target = name.Length == 0 ? null : await users.GetAsync(name, ct);
        if (target is null || target.Disabled)
            return await AfterAsync(false, ReviewError.Invalid, t["Team.NoSuchUser", name], "", ct);
        var moved = await team.ReassignAsync(caseId, new ReviewUser(target.UserName, target.Roles.ToHashSet(StringComparer.Ordinal)), reason, User.ReviewUser(), ct);
        return await AfterAsync(moved.Ok, moved.Error, moved.Message, t["Team.Reassigned", caseId, target.UserName], ct);
    }

    private async Task<IActionResult> AfterAsync(bool ok, ReviewError error, string? message, string done, CancellationToken ct)
    {
        if (ok)
        {
            Flash(done);
            return RedirectToPage();
        }
        Errors.Add(message!);
        Errors.Add(t["Decide.NothingRecorded"]);
        var status = error switch
        {
            ReviewError.Forbidden => StatusCodes.Status403Forbidden,
            ReviewError.NotFound => StatusCodes.Status404NotFound,
            ReviewError.Stale or ReviewError.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        await OnGetAsync(null, ct);
        Response.StatusCode = status;
        return Page();
    }
}
