namespace Bulwark.Core.Authorities.Referrals;

/// <summary>Who a referral goes to and how: the Member State's authority competent for Art. 18 notifications, or Europol.</summary>
public sealed record ReferralRecipient(string Name, string MemberState, string Channel, string Address, bool Example, bool Fallback, string? Secret = null);

/// <summary>
/// Picks a referral's recipient by Member State: <see cref="RegistryReferralRecipients"/> (the competent-authorities registry,
/// then the configuration) in the server; <see cref="ConfiguredReferralRecipients"/> reads the configuration alone.
/// </summary>
public interface IReferralRecipients
{
    /// <summary>The recipient for <paramref name="memberState"/>, else the fallback (Europol), else null when none is configured.</summary>
    Task<ReferralRecipient?> ResolveAsync(string? memberState, CancellationToken ct);

    Task<IReadOnlyList<ReferralRecipient>> ListAsync(CancellationToken ct);
}

/// <summary>Recipients from <c>Bulwark:Authorities:Referrals:Recipients</c> (validated at start-up).</summary>
public sealed class ConfiguredReferralRecipients(ReferralOptions options) : IReferralRecipients
{
    public Task<ReferralRecipient?> ResolveAsync(string? memberState, CancellationToken ct)
    {
        var code = memberState?.Trim().ToUpperInvariant();
        var match = options.Recipients.FirstOrDefault(r => !r.Fallback && code is not null && r.MemberState == code)
                    ?? options.Recipients.FirstOrDefault(r => r.Fallback);
        return Task.FromResult(match is null ? null : Of(match));
    }

    public Task<IReadOnlyList<ReferralRecipient>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ReferralRecipient>>(options.Recipients.Select(Of).ToList());

    private static ReferralRecipient Of(RecipientSettings r) => new(r.Name, r.MemberState, r.Channel, r.Address, r.Example, r.Fallback, r.Secret);
}
