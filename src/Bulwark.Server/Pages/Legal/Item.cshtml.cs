using Bulwark.Core.Records.Preservation;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Legal;

/// <summary>One preserved item with its files and legal holds; legal officers place and release holds (audited by the service).</summary>
public sealed class LegalItemModel(PreservationService preservation, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public PreservedItemView Item { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostHoldAsync(long id, string? reference, string? reason, CancellationToken ct) =>
        await ApplyAsync(id, await preservation.PlaceHoldAsync(id, reference, reason, Actor, ct), t["Legal.Placed.Flash"], ct);

    public async Task<IActionResult> OnPostReleaseAsync(long id, long holdId, string? reason, CancellationToken ct) =>
        await ApplyAsync(id, await preservation.ReleaseHoldAsync(id, holdId, reason, Actor, ct), t["Legal.Released.Flash"], ct);

    private async Task<IActionResult> ApplyAsync(long id, PreservationResult<HoldView> result, string done, CancellationToken ct)
    {
        if (result.Error == PreservationError.None)
        {
            Flash(done);
            return RedirectToPage(new { id });
        }
        if (result.Error == PreservationError.NotFound) return NotFound();
        Errors.AddRange(result.Errors.Select(e => $"{e.Field} {e.Message}"));
        if (result.Message is not null) Errors.Add(result.Message);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var item = await preservation.GetAsync(id, Actor, ct);
        if (item is null) return false;
        Item = item;
        return true;
    }
}
