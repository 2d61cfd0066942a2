namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// A TCAP partner's settings, checked at start-up. The keys of the first, assumed adapter (<c>Token</c>, <c>Ideologies</c>)
/// are refused with the names of the keys that replaced them, so an old configuration stops with a clear message instead
/// of talking to TCAP in a shape it does not speak.
/// </summary>
public static class TcapSettings
{
    public static readonly IReadOnlyList<string> Ideologies = ["islamist", "far-right", "all"];
    public const string FalsePositiveCategory = "FALSE_POSITIVE";

    /// <summary>Where the hash list v2 lives (hash list, feedback categories, feedback).</summary>
    public static string HashListRoot(ExchangePartnerOptions p) =>
        (string.IsNullOrWhiteSpace(p.HashListUrl) ? p.Url.TrimEnd('/') + "/hash-list/v2" : p.HashListUrl).TrimEnd('/');

    /// <summary>The TCAP category name an opinion is sent as, or null when none is configured (agree and disagree by default).</summary>
    public static string? CategoryFor(ExchangePartnerOptions p, string opinion) =>
        p.FeedbackCategories.TryGetValue(opinion, out var name) && !string.IsNullOrWhiteSpace(name) ? name.Trim()
        : opinion == Opinions.FalsePositive ? FalsePositiveCategory : null;

    public static IEnumerable<string> Validate(ExchangePartnerOptions p, string at)
    {
        if (!string.IsNullOrEmpty(p.Token))
            yield return $"{at}:Token is no longer read for a TCAP partner: TCAP issues its token at log-in. Remove Token and set Username and Password (docs/exchanges.md, \"TCAP\").";
        if (p.Ideologies.Count > 0)
            yield return $"{at}:Ideologies is no longer read for a TCAP partner: TCAP's hash list takes one Ideology ({string.Join(", ", Ideologies)}). Remove Ideologies and set Ideology.";
        if (string.IsNullOrWhiteSpace(p.Username) || string.IsNullOrEmpty(p.Password))
            yield return $"{at}:Username and Password are required for a TCAP partner (TCAP's log-in, token-auth/tcap/); set the password from the environment, e.g. Bulwark__Exchanges__Partners__N__Password.";
        if (!Ideologies.Contains(p.Ideology))
            yield return $"{at}:Ideology must be one of {string.Join(", ", Ideologies)} (got '{p.Ideology}').";
        if (p.PageLimit is < 1 or > 10_000) yield return $"{at}:PageLimit must be between 1 and 10000 (got {p.PageLimit}).";
        if (!string.IsNullOrWhiteSpace(p.HashListUrl) && (!Uri.TryCreate(p.HashListUrl, UriKind.Absolute, out var h) || (h.Scheme != Uri.UriSchemeHttp && h.Scheme != Uri.UriSchemeHttps)))
            yield return $"{at}:HashListUrl must be TCAP's hash list v2 http(s) address, e.g. https://app.terrorismanalytics.org/hash-list/v2 (got '{p.HashListUrl}').";
        if (!AlertTiers.All.Contains(p.DefaultAlertTier))
            yield return $"{at}:DefaultAlertTier must be one of {string.Join(", ", AlertTiers.All)} (got '{p.DefaultAlertTier}').";
        foreach (var (group, tier) in p.AlertTiers)
            if (!AlertTiers.All.Contains(tier)) yield return $"{at}:AlertTiers:{group} must be one of {string.Join(", ", AlertTiers.All)} (got '{tier}').";
        foreach (var (opinion, _) in p.FeedbackCategories)
            if (!Opinions.All.Contains(opinion)) yield return $"{at}:FeedbackCategories:{opinion} is not an opinion Bulwark sends ({string.Join(", ", Opinions.All)}).";
    }
}
