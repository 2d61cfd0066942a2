using Bulwark.Core.Storage;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>Who asked for a restriction; it sets the statement's automation fields, the idempotency keys and the audit actor.</summary>
public enum RestrictionSource
{
    /// <summary>The pipeline's rules, committed with the claimed batch.</summary>
    Pipeline,
    /// <summary>One person deciding one decision (console case, <c>POST /decisions/{id}/confirm</c>, <c>bulwark decisions confirm</c>).</summary>
    Person,
    /// <summary>A person deciding many cases at once after confirming the bulk summary.</summary>
    Bulk,
    /// <summary>An appeal's outcome (reversal or upheld).</summary>
    Appeal,
    /// <summary>An authority's removal order (issue 18 calls the writer with this source).</summary>
    AuthorityOrder,
}

/// <summary>The measure vocabulary, named once. Each is a <c>PlatformAction</c> kind.</summary>
public static class Measures
{
    public const string ContentRemove = "content.remove";
    public const string ContentAgeRestrict = "content.age_restrict";
    public const string ContentExcludeRecommendations = "content.exclude_recommendations";
    /// <summary>Hidden from everyone but its author while a person decides (threat-to-life escalation); confirmed or lifted by the reviewer.</summary>
    public const string ContentRestrict = "content.restrict";
    public const string ContentRestore = "content.restore";
    public const string AccountStrike = "account.strike";
    public const string AccountSuspend = "account.suspend";
    public const string AccountBan = "account.ban";
    /// <summary>The suspension no longer stands (an appeal removed the strikes that caused it); other measures may still stand.</summary>
    public const string AccountLiftSuspension = "account.lift_suspension";
    /// <summary>The ban no longer stands; a suspension may still stand.</summary>
    public const string AccountLiftBan = "account.lift_ban";
    /// <summary>Nothing restricts the account any more.</summary>
    public const string AccountReinstate = "account.reinstate";
    public const string StrikeRemove = "strike.remove";

    /// <summary>Content measures a person may choose when confirming a violation.</summary>
    public static readonly IReadOnlyList<string> ConfirmableContent = [ContentRemove, ContentAgeRestrict, ContentExcludeRecommendations];
    /// <summary>Account measures a person may choose when confirming a violation.</summary>
    public static readonly IReadOnlyList<string> ConfirmableAccount = [AccountStrike, AccountSuspend, AccountBan];

    /// <summary>The measures a policy's defaults name (what the console form starts from): its content action and a strike.</summary>
    public static IReadOnlyList<string> DefaultsOf(Policy.Catalogue.PolicyDefinition policy)
    {
        var list = new List<string>();
        if (policy.DefaultContentAction is "remove" or "age_restrict" or "exclude_recommendations") list.Add("content." + policy.DefaultContentAction);
        if (policy.StrikeWeight > 0 && policy.DefaultAccountAction is not (null or "none")) list.Add(AccountStrike);
        return list;
    }
}

/// <summary>
/// Who asks, and what their role lets them take. <see cref="MayTake"/> answers for each measure kind: a console user by
/// <c>ConsoleRoles.MayTake</c>, an API key by its scopes, the CLI's operator for every measure.
/// </summary>
public sealed record RestrictionActor(string Name, Func<string, bool> MayTake)
{
    public static RestrictionActor Unrestricted(string name) => new(name, _ => true);
}

/// <summary>
/// A person's (or an authority order's) request to restrict what a decision is about. <see cref="Measures"/> lists every
/// content and account measure to take, explicitly: nothing else is taken. A threshold consequence (the strike is the
/// account's 5th: ban) or a zero-tolerance ban must be listed too, or the request is refused and the preview says why.
/// </summary>
public sealed record RestrictionRequest
{
    public required long DecisionId { get; init; }
    public required RestrictionSource Source { get; init; }
    public required RestrictionActor Actor { get; init; }
    /// <summary>Replaces the decision's policy (a reviewer may confirm under another).</summary>
    public string? Policy { get; init; }
    /// <summary>Content measures (<see cref="Measures.ConfirmableContent"/>) and account measures (<see cref="Measures.ConfirmableAccount"/>).</summary>
    public IReadOnlyList<string> Measures { get; init; } = [];
    public int? SuspensionDays { get; init; }
    /// <summary>The violation kind a zero-tolerance policy bans for (e.g. <c>support</c>).</summary>
    public string? Violation { get; init; }
    public string? Exception { get; init; }
    /// <summary>Why (audited, not shown to the user), at most 1,000 characters.</summary>
    public string? Reason { get; init; }
    /// <summary>The platform already deleted the content: content measures are skipped and noted.</summary>
    public bool ContentDeletedUpstream { get; init; }
    /// <summary>A senior's final QA verdict over a first review that found no violation (the decision was reviewed, never confirmed).</summary>
    public bool OverridesNoViolation { get; init; }
    /// <summary>An authority order's reference (issue 18), carried on every action and in the audit entry.</summary>
    public string? AuthorityReference { get; init; }
    /// <summary>
    /// Preview only: strikes (count and weight) that earlier cases of the same bulk decision add to this account before this
    /// one, so a bulk summary counts the thresholds its own strikes cross. The commit counts the stored strikes instead.
    /// </summary>
    public int PendingStrikes { get; init; }
    public double PendingStrikeWeight { get; init; }
    /// <summary>
    /// The review-case change, run inside the writer's transaction at its place in the order (after preservation, before
    /// the audit entry). A message it returns refuses the whole request and nothing is recorded.
    /// </summary>
    public Func<BulwarkDbContext, CancellationToken, Task<string?>>? ReviewCase { get; init; }
}

/// <summary>
/// What a request does, computed by the same code for the preview and the commit: the actions the platform receives, the
/// strike and what it means for the account's thresholds, and why the request is refused if it is.
/// </summary>
public sealed record RestrictionPlan(
    long DecisionId, string? Policy, string? AccountId, IReadOnlyList<PlatformAction> Actions, IReadOnlyList<RestrictionMessage> Noted,
    double StrikeWeightBefore, double StrikeWeightAfter, int StrikeNumber, RestrictionMessage? Why, bool NotFound)
{
    /// <summary>Why the request is refused, in English (the API's problem detail, the audit); null when it is not.</summary>
    public string? Refusal => Why?.English;
    /// <summary>The refusal's stable code (<see cref="RestrictionCodes"/>), for the API's <c>code</c> and the console's own words.</summary>
    public string? RefusalCode => Why?.Code;
    public bool Refused => Why is not null;
    /// <summary>The notes in English (the API's <c>notes</c>, the audit entry, the case's stored outcome).</summary>
    public IReadOnlyList<string> Notes => Noted.Select(n => n.English).ToList();
    /// <summary>Account measures the request causes rather than chooses (a strike threshold, zero tolerance): they must be listed to commit.</summary>
    public IReadOnlyList<string> Consequences { get; init; } = [];
    public int Removals => Actions.Count(a => a.TargetType == "content" && a.Kind is Restrictions.Measures.ContentRemove);
    public int ContentRestrictions => Actions.Count(a => a.TargetType == "content" && a.Kind != Restrictions.Measures.ContentRestore);
    /// <summary>The decision's interim restriction (threat-to-life) ends with this confirmation: replaced by a content measure, or lifted (<see cref="RestrictionCodes.InterimLifted"/>).</summary>
    public bool EndsInterim { get; init; }
    public int Strikes => Actions.Count(a => a.Kind == Restrictions.Measures.AccountStrike);
    public int Suspensions => Actions.Count(a => a.Kind == Restrictions.Measures.AccountSuspend);
    public int Bans => Actions.Count(a => a.Kind == Restrictions.Measures.AccountBan);
    /// <summary>A suspension or ban that the strike's threshold (not the person) causes.</summary>
    public PlatformAction? ThresholdConsequence => Actions.FirstOrDefault(a => a.Details?.ContainsKey(Bulwark.Core.Policy.Enforcement.StrikeThresholds.Marker) == true);

    internal static RestrictionPlan Refuse(long decisionId, RestrictionMessage message, bool notFound = false) => new(decisionId, null, null, [], [], 0, 0, 0, message, notFound);
}

/// <summary>What a commit did: the plan it carried out, or the refusal (nothing recorded).</summary>
public sealed record RestrictionResult(bool Applied, RestrictionPlan Plan, string? Statement)
{
    public string? Error => Plan.Refusal;
    public string? ErrorCode => Plan.RefusalCode;
    public bool NotFound => Plan.NotFound;
    public IReadOnlyList<PlatformAction> Actions => Applied ? Plan.Actions : [];
}
