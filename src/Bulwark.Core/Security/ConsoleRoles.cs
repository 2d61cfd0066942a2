namespace Bulwark.Core.Security;

/// <summary>
/// The people who use the moderator console, by role. A user may hold several roles. The console (web pages) and the
/// services behind it both enforce these: a page hides what a role may not do, and the service refuses it anyway, so a
/// tampered form cannot do more than the user's roles allow.
/// </summary>
public static class ConsoleRoles
{
    /// <summary>Works the content queues: removes, restricts and strikes; cannot ban an account.</summary>
    public const string Moderator = "moderator";
    /// <summary>Everything a moderator does, plus escalations (threat-to-life), account bans, QA disagreements.</summary>
    public const string SeniorModerator = "senior-moderator";
    /// <summary>Authority and law-enforcement work: referrals, removal orders, preserved content and legal holds.</summary>
    public const string LegalOfficer = "legal-officer";
    /// <summary>Rules, the policy catalogue, designations (entity registry and list imports) and hash lists.</summary>
    public const string PolicyAdmin = "policy-admin";
    /// <summary>Reads everything the console shows; changes nothing.</summary>
    public const string Auditor = "auditor";
    /// <summary>Manages console users and their roles.</summary>
    public const string Administrator = "administrator";

    public static readonly IReadOnlyList<string> All = [Moderator, SeniorModerator, LegalOfficer, PolicyAdmin, Auditor, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>Roles that may decide review cases at all (auditors and administrators may not).</summary>
    public static readonly IReadOnlyList<string> Deciders = [Moderator, SeniorModerator, LegalOfficer];

    /// <summary>
    /// Whether a holder of <paramref name="roles"/> may take the platform action <paramref name="actionKind"/>
    /// (a <c>PlatformAction</c> kind such as <c>content.remove</c> or <c>account.ban</c>) in a review decision.
    /// </summary>
    public static bool MayTake(IEnumerable<string> roles, string actionKind)
    {
        var set = roles as IReadOnlySet<string> ?? roles.ToHashSet(StringComparer.Ordinal);
        return actionKind switch
        {
            "content.remove" or "content.age_restrict" or "content.exclude_recommendations" or "content.label" or "content.restrict_regions"
                or "account.strike" => set.Contains(Moderator) || set.Contains(SeniorModerator) || set.Contains(LegalOfficer),
            "account.suspend" or "account.ban" => set.Contains(SeniorModerator) || set.Contains(LegalOfficer),
            _ => false,
        };
    }
}
