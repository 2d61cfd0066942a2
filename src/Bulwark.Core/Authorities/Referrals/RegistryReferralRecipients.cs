using Bulwark.Core.Authorities.Registry;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// Picks a referral's recipient from the competent-authorities registry, with the configured recipients beside it:
/// <list type="number">
/// <item>the registry's active referral authority of the Member State (a real entry before an example one);</item>
/// <item>else a configured recipient of that Member State (<c>Bulwark:Authorities:Referrals:Recipients</c>);</item>
/// <item>else the configured fallback, else the registry's fallback (Europol, created on first use without contact data,
/// so a referral to it is delivered by hand until a policy admin records its contact point).</item>
/// </list>
/// A registry entry's shared secret for signed HTTPS delivery is read from the configured recipient of the same name (the
/// registry stores no secrets). Registry channels map to delivery channels: <c>email</c> → <c>smtp</c>, <c>https</c>, <c>manual</c>.
/// </summary>
public sealed class RegistryReferralRecipients(AuthorityRegistry registry, ConfiguredReferralRecipients configured) : IReferralRecipients
{
    public async Task<ReferralRecipient?> ResolveAsync(string? memberState, CancellationToken ct)
    {
        var code = memberState?.Trim().ToUpperInvariant();
        var configuredList = await configured.ListAsync(ct);
        if (code is { Length: 2 })
        {
            var entry = await registry.ResolveReferralRecipientAsync(code, ct);
            if (!entry.Fallback && string.Equals(Normalise(entry.MemberState), Normalise(code), StringComparison.Ordinal))
                return Of(entry, configuredList);
            if (configuredList.FirstOrDefault(r => !r.Fallback && r.MemberState == code) is { } byState) return byState;
        }
        if (configuredList.FirstOrDefault(r => r.Fallback) is { } fallback) return fallback;
        return Of(await registry.ResolveReferralRecipientAsync(null, ct), configuredList);
    }

    public async Task<IReadOnlyList<ReferralRecipient>> ListAsync(CancellationToken ct)
    {
        var configuredList = await configured.ListAsync(ct);
        var fromRegistry = (await registry.ListAsync(ct)).Where(a => a.Active && a.IsCompetentFor(Competences.Referrals)).Select(a => Of(a, configuredList)).ToList();
        return fromRegistry.Concat(configuredList.Where(c => fromRegistry.All(r => r.Name != c.Name))).ToList();
    }

    // Greece is EL in the registry (the EU's code) and GR in ISO 3166-1.
    private static string Normalise(string code) => code == "GR" ? "EL" : code;

    private static ReferralRecipient Of(CompetentAuthority a, IReadOnlyList<ReferralRecipient> configuredList) => new(
        a.Name, a.MemberState, a.Channel switch { Channels.Email => ReferralChannels.Smtp, Channels.Https => ReferralChannels.Https, _ => ReferralChannels.Manual },
        a.Contact ?? "no contact point recorded in the registry: deliver by hand and record it", a.Example, a.Fallback,
        configuredList.FirstOrDefault(c => c.Name == a.Name)?.Secret);
}
