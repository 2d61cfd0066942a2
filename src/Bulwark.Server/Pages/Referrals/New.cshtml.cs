using Bulwark.Core.Actions.Review;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Referrals;

/// <summary>"Refer to authorities" from a threat-to-life case: the assessment, urgency and (optionally) the Member State; a draft made by a rule is completed here.</summary>
public sealed class ReferralNewModel(ReferralService referrals, ReviewDetailService details, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public long CaseId { get; private set; }
    public CaseDetail? Case { get; private set; }
    public ReferralView? Existing { get; private set; }
    [BindProperty] public string? Assessment { get; set; }
    [BindProperty] public string? Urgency { get; set; } = ReferralUrgency.Immediate;
    [BindProperty] public string? MemberState { get; set; }

    public async Task<IActionResult> OnGetAsync(long caseId, CancellationToken ct)
    {
        if (!await LoadAsync(caseId, ct)) return NotFound();
        if (Existing is { Status: not ReferralStatus.Draft }) return Redirect($"/authorities/referrals/{Existing.Id}");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long caseId, CancellationToken ct)
    {
        var result = await referrals.SubmitAsync(new ReferralSubmission(caseId, Assessment, Urgency, MemberState), Actor, ct);
        if (result.Ok)
        {
            Flash(t["AuthoritiesReferrals.Sent.Flash", result.Value!.Reference, result.Value.Recipient.Name ?? ""]);
            return Redirect($"/authorities/referrals/{result.Value.Id}");
        }
        if (result.Error == ReferralError.CaseNotFound) return NotFound();
        Errors.AddRange(result.Errors.Count > 0 ? result.Errors.Select(e => $"{e.Field} {e.Message}") : [result.Message!]);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(caseId, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long caseId, CancellationToken ct)
    {
        CaseId = caseId;
        var detail = await details.GetAsync(caseId, ct);
        if (detail.Value is null) return false;
        Case = detail.Value;
        if (await referrals.IdOfCaseAsync(caseId, ct) is { } id) Existing = await referrals.GetAsync(id, ct);
        return true;
    }
}
