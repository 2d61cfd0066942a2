using Bulwark.Core.Authorities.Referrals;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages.Referrals;

/// <summary>Referrals to law enforcement (DSA Art. 18), newest first, with their state, recipient, deliveries and the escalation clock.</summary>
public sealed class ReferralsIndexModel(ReferralService referrals) : ConsolePageModel
{
    public IReadOnlyList<ReferralSummary> Items { get; private set; } = [];
    public string? Status { get; private set; }

    public async Task OnGetAsync(string? status, CancellationToken ct)
    {
        Status = status is not null && ReferralStatus.All.Contains(status) ? status : null;
        Items = await referrals.ListAsync(Status, 200, ct);
    }
}
