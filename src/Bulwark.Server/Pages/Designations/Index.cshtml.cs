using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Designations;

/// <summary>
/// Designation review (policy admins decide, auditors read): proposed registry entries with their evidence and the lists they
/// come from, approved or rejected with a reason through <see cref="EntityRegistry"/> (audited, state machine enforced);
/// and the list-import runs, each with its diff on <c>/designations/runs/{id}</c>.
/// </summary>
public sealed class DesignationsModel(EntityRegistry registry, IBulwarkDbFactory dbs, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public const int ShownProposals = 200;
    public IReadOnlyList<EntityView> Proposed { get; private set; } = [];
    public IReadOnlyList<ListImportRunRow> Runs { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(() => registry.ApproveAsync(id, reason ?? "", Actor, ct), t["Designations.Approved.Flash", id], ct);

    public Task<IActionResult> OnPostRejectAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(() => registry.RevokeAsync(id, reason ?? "", Actor, ct), t["Designations.Rejected.Flash", id], ct);

    private async Task<IActionResult> DecideAsync(Func<Task<EntityView>> decide, string done, CancellationToken ct)
    {
        try
        {
            var view = await decide();
            Flash(done + " " + view.PrimaryName);
            return RedirectToPage();
        }
        catch (Exception ex) when (ex is EntityValidationException or EntityTransitionException or KeyNotFoundException)
        {
            Errors.Add(ex.Message);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Proposed = (await registry.ListAsync(new EntityFilter(Status: EntityStatuses.Proposed), 0, ShownProposals, ct)).Entities;
        await using var db = dbs.Create();
        Runs = await db.Set<ListImportRunRow>().AsNoTracking().OrderByDescending(r => r.Id).Take(50).ToListAsync(ct);
    }
}
