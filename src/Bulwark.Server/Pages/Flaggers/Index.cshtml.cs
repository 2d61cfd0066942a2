using Bulwark.Core.Notices;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Flaggers;

/// <summary>
/// The trusted flaggers registry (DSA Art. 22): organisation, area of expertise, awarding coordinator and status, with each
/// flagger's accuracy (share of decided notices that led to action). Policy admins add and change entries (audited).
/// </summary>
public sealed class FlaggersModel(TrustedFlaggers registry, IStringLocalizer<NoticeText> t) : ConsolePageModel
{
    public IReadOnlyList<TrustedFlaggerView> Items { get; private set; } = [];
    [BindProperty] public string? Organisation { get; set; }
    [BindProperty] public string? Expertise { get; set; }
    [BindProperty] public string? Coordinator { get; set; }
    [BindProperty] public string? ContactEmail { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Items = await registry.ListAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var r = await registry.CreateAsync(new TrustedFlaggerInput(Organisation, Expertise, Coordinator, ContactEmail), Actor, ct);
        return await AfterAsync(r, ct);
    }

    public async Task<IActionResult> OnPostStatusAsync(long id, string? status, string? reason, CancellationToken ct)
    {
        ModelState.Clear();
        Organisation = Expertise = Coordinator = ContactEmail = null;
        return await AfterAsync(await registry.SetStatusAsync(id, status, reason, Actor, ct), ct);
    }

    private async Task<IActionResult> AfterAsync(FlaggerResult r, CancellationToken ct)
    {
        if (r.Flagger is { } f)
        {
            Flash(t["Flaggers_Saved", f.Organisation, t["Flaggers_Status_" + f.Status]]);
            return RedirectToPage();
        }
        Errors.Add(r.Error!);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Items = await registry.ListAsync(ct);
        return Page();
    }
}
