using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Entities;

/// <summary>
/// The entity registry in the console (policy admins revoke, auditors read): approved, proposed and revoked entries with their
/// terms and the lists they come from, searched by name or term and filtered by status, tier and list; an approved or
/// proposed entry is revoked with a reason through <see cref="EntityRegistry"/> (audited; screening stops matching it at once).
/// </summary>
public sealed class EntitiesIndexModel(EntityRegistry registry, IBulwarkDbFactory dbs, IStringLocalizer<EntitiesText> t) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Status { get; set; } = EntityStatuses.Approved;
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public long After { get; set; }

    public IReadOnlyList<EntityView> Items { get; private set; } = [];
    public long? Next { get; private set; }
    public IReadOnlyList<string> Sources { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await using (var db = dbs.Create())
            Sources = await db.Set<EntityListingRow>().AsNoTracking().Select(l => l.Source).Distinct().OrderBy(s => s).ToListAsync(ct);
        try
        {
            var page = await registry.ListAsync(new EntityFilter(Blank(Status), Blank(Tier), null, Blank(Source), Blank(Q)), After, PageSize, ct);
            Items = page.Entities;
            Next = page.NextCursor;
        }
        catch (EntityValidationException ex)
        {
            foreach (var e in ex.Errors) Errors.Add(t["Entities_BadFilter", e.Field, e.Message]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public async Task<IActionResult> OnPostRevokeAsync(long id, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) Errors.Add(t["Entities_ReasonRequired"]);
        else
        {
            try
            {
                var revoked = await registry.RevokeAsync(id, reason, Actor, ct);
                Flash(t["Entities_Revoked", revoked.Id, revoked.PrimaryName]);
                return RedirectToPage(new { Status, Tier, Source, Q });
            }
            catch (Exception ex) when (ex is EntityValidationException or EntityTransitionException or KeyNotFoundException)
            {
                Errors.Add(ex.Message);
            }
        }
        Errors.Add(t["Entities_NothingChanged"]);
        await OnGetAsync(ct);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
