using Bulwark.Core.Authorities.Referrals;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Referrals;

/// <summary>One referral: state, recipient, clock, assessment, the delivery log; export the package, send again, record a phone delivery or a follow-up.</summary>
public sealed class ReferralDetailModel(ReferralService referrals, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public ReferralView Referral { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>The signed package as a zip download; the export is audited before the file is written.</summary>
    public async Task<IActionResult> OnGetPackageAsync(long id, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var result = await referrals.ExportAsync(id, buffer, Actor, ct);
        if (result.Error == ReferralError.NotFound) return NotFound();
        if (!result.Ok)
        {
            Errors.Add(result.Message!);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        buffer.Position = 0;
        return File(buffer, "application/zip", result.Value + ".zip");
    }

    public async Task<IActionResult> OnPostResendAsync(long id, CancellationToken ct) =>
        await ApplyAsync(id, await referrals.ResendAsync(id, Actor, ct), t["AuthoritiesReferrals.Resent.Flash"], ct);

    public async Task<IActionResult> OnPostPhoneAsync(long id, string? contact, string? note, CancellationToken ct) =>
        await ApplyAsync(id, await referrals.RecordPhoneDeliveryAsync(id, contact, note, Actor, ct), t["AuthoritiesReferrals.Phoned.Flash"], ct);

    public async Task<IActionResult> OnPostFollowUpAsync(long id, string? request, CancellationToken ct) =>
        await ApplyAsync(id, await referrals.RecordFollowUpAsync(id, request, Actor, ct), t["AuthoritiesReferrals.FollowUp.Flash"], ct);

    private async Task<IActionResult> ApplyAsync(long id, ReferralResult<ReferralView> result, string done, CancellationToken ct)
    {
        if (result.Ok)
        {
            Flash(done);
            return RedirectToPage(new { id });
        }
        if (result.Error == ReferralError.NotFound) return NotFound();
        Errors.AddRange(result.Errors.Count > 0 ? result.Errors.Select(e => $"{e.Field} {e.Message}") : [result.Message!]);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var r = await referrals.GetAsync(id, ct);
        if (r is null) return false;
        Referral = r;
        return true;
    }
}
