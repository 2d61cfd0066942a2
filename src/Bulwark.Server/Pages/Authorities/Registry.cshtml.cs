using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Authorities;

/// <summary>The competent authorities registry: everyone in the area reads it; policy admins add and change entries (audited).</summary>
public sealed class RegistryModel(AuthorityRegistry registry, IStringLocalizer<AuthoritiesText> a) : ConsolePageModel
{
    public IReadOnlyList<CompetentAuthority> Entries { get; private set; } = [];
    public bool CanEdit => User.IsInRole(ConsoleRoles.PolicyAdmin);

    public async Task OnGetAsync(CancellationToken ct) => Entries = await registry.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? id, string? name, string? memberState, List<string>? competences, string? channel, string? contact,
        bool fallback, bool example, bool active, string? note, CancellationToken ct)
    {
        if (!CanEdit) return Forbid();
        var (saved, errors) = await registry.SaveAsync(new AuthorityInput(id?.Trim(), name, memberState, competences, channel, contact, fallback, example, active, note), Actor, ct);
        if (saved is not null)
        {
            Flash(a["Authorities.Registry.Saved", saved.Id]);
            return RedirectToPage();
        }
        Errors.AddRange(errors.Select(e => $"{e.Field} {e.Message}"));
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Entries = await registry.ListAsync(ct);
        return Page();
    }
}
