using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Authorities;

/// <summary>One removal order: its clock, items and answers; legal officers confirm, name content, file Annex III, record scrutiny and hand delivery.</summary>
public sealed class OrderDetailModel(RemovalOrderService orders, TimeProvider clock, IStringLocalizer<AuthoritiesText> a) : ConsolePageModel
{
    public RemovalOrderView Order { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }
    public bool CanAct => User.IsInRole(ConsoleRoles.LegalOfficer);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostConfirmAsync(long id, CancellationToken ct) => await ApplyAsync(id, () => orders.ConfirmAsync(id, Actor, ct), ct);
    public async Task<IActionResult> OnPostAnnexIIIAsync(long id, string? ground, string? reasons, CancellationToken ct) =>
        await ApplyAsync(id, () => orders.FileAnnexIIIAsync(id, ground, reasons, Actor, ct), ct);
    public async Task<IActionResult> OnPostScrutinyAsync(long id, string? outcome, string? note, CancellationToken ct) =>
        await ApplyAsync(id, () => orders.RecordScrutinyAsync(id, outcome, note, Actor, ct), ct);
    public async Task<IActionResult> OnPostNameAsync(long id, long itemId, string? contentId, CancellationToken ct) =>
        await ApplyAsync(id, () => orders.NameContentAsync(id, itemId, contentId, Actor, ct), ct);
    public async Task<IActionResult> OnPostSentAsync(long id, string? form, string? how, CancellationToken ct) =>
        await ApplyAsync(id, () => orders.MarkSentAsync(id, form, how, Actor, ct), ct);

    private async Task<IActionResult> ApplyAsync(long id, Func<Task<OrderResult>> change, CancellationToken ct)
    {
        if (!CanAct) return Forbid();
        var result = await change();
        if (result.Error == OrderError.None)
        {
            Flash(a["Authorities.Saved.Flash"]);
            return RedirectToPage(new { id });
        }
        if (result.Error == OrderError.NotFound) return NotFound();
        Errors.AddRange(result.Errors.Select(e => $"{e.Field} {e.Message}"));
        if (result.Message is not null) Errors.Add(result.Message);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var o = await orders.GetAsync(id, ct);
        if (o is null) return false;
        Order = o;
        return true;
    }
}
