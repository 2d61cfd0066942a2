using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Designations;

/// <summary>
/// One list-import run: its diff (added, changed, delisted) and the entries it brought in that still await review, which a
/// policy admin approves or rejects together with one reason. Each entry is its own audited registry transition; entries
/// someone else decided meanwhile are named and left as they are.
/// </summary>
public sealed class RunModel(ListImportService imports, EntityRegistry registry, IBulwarkDbFactory dbs, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public ImportRunView Run { get; private set; } = null!;
    public IReadOnlyList<EntityView> Proposed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(long id, long[]? ids, string? reason, CancellationToken ct) =>
        DecideAsync(id, ids ?? [], reason, approve: true, ct);

    public Task<IActionResult> OnPostRejectAsync(long id, long[]? ids, string? reason, CancellationToken ct) =>
        DecideAsync(id, ids ?? [], reason, approve: false, ct);

    private async Task<IActionResult> DecideAsync(long id, long[] ids, string? reason, bool approve, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var fromRun = Proposed.Select(e => e.Id).ToHashSet();
        if (ids.Length == 0) Errors.Add(t["Run.NoneSelected"]);
        if (string.IsNullOrWhiteSpace(reason)) Errors.Add(t["Run.ReasonRequired"]);
        foreach (var stranger in ids.Where(i => !fromRun.Contains(i))) Errors.Add(t["Run.NotFromRun", stranger, id]);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var done = 0;
        foreach (var entity in ids.Distinct())
        {
            try
            {
                _ = approve ? await registry.ApproveAsync(entity, reason!, Actor, ct) : await registry.RevokeAsync(entity, reason!, Actor, ct);
                done++;
            }
            catch (Exception ex) when (ex is EntityValidationException or EntityTransitionException or KeyNotFoundException)
            {
                Errors.Add(ex.Message);
            }
        }
        if (Errors.Count == 0)
        {
            Flash(t[approve ? "Run.Approved.Flash" : "Run.Rejected.Flash", done]);
            return RedirectToPage(new { id });
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var run = await db.Set<ListImportRunRow>().AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Source }).FirstOrDefaultAsync(ct);
        if (run is null) return false;
        Run = await imports.GetRunAsync(run.Source, id, ct);
        // The entries whose listing this run last wrote and that are still proposed: the ones this run brought in for review.
        var entityIds = await db.Set<EntityListingRow>().AsNoTracking().Where(l => l.LastImportRunId == id).Select(l => l.EntityId).Distinct().ToListAsync(ct);
        var proposed = new List<EntityView>();
        foreach (var chunk in entityIds.Chunk(500))
        {
            var still = await db.Set<DesignatedEntityRow>().AsNoTracking().Where(e => chunk.Contains(e.Id) && e.Status == EntityStatuses.Proposed)
                .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct);
            foreach (var e in still) proposed.Add(await registry.GetAsync(e, ct));
        }
        Proposed = proposed;
        return true;
    }
}
