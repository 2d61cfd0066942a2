namespace Bulwark.Server;

/// <summary>
/// Names the Authorities pages' strings (removal orders, the registry; referrals add theirs with the <c>Referrals.</c> prefix):
/// <c>Resources/AuthoritiesText.resx</c> (English) and <c>Resources/AuthoritiesText.it.resx</c> (Italian).
/// </summary>
public sealed class AuthoritiesText;
