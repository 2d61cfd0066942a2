namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// The metric names of the rollup fact table (<c>period,market,policy,sub_policy,metric,value</c>). Every report reads these
/// and nothing else, which is what makes their totals agree. <c>sub_policy</c> is the enforcing rule for content measures,
/// the ban basis for account bans and the detector for QA re-reviews; <c>none</c> where it does not apply (not <c>-</c>, which a spreadsheet reads as a formula).
/// </summary>
public static class TransparencyMetrics
{
    public const string None = "none";
    public const string UnknownMarket = "unknown";

    public const string Uploads = "uploads";
    public const string VideoUploads = "video_uploads";

    // Content removals, each counted on the day the removal took effect (pipeline decision, or a person's confirmation).
    public const string ContentRemoved = "content_removed";
    public const string VideosRemoved = "videos_removed";
    public const string RemovedProactive = "removed_proactive";
    public const string RemovedZeroViews = "removed_zero_views";
    public const string RemovedViewsUnknown = "removed_views_unknown";
    public const string RemovedWithin24h = "removed_within_24h";
    public const string RemovedAutomated = "removed_automated";
    /// <summary>Removals an enforcing rule based on a known-content match (hash lists): re-uploads of known material.</summary>
    public const string RemovedKnownContent = "removed_known_content";
    /// <summary>Content restricted without removal (age restriction, demotion, regions, label beside another restriction).</summary>
    public const string ContentRestricted = "content_restricted";
    /// <summary>Counted on the day an appeal reversed the removal.</summary>
    public const string RestoredAfterAppeal = "restored_after_appeal";

    public const string AccountsBanned = "accounts_banned";
    public const string AccountsSuspended = "accounts_suspended";

    public const string AppealsSubmitted = "appeals_submitted";
    public const string AppealsDecided = "appeals_decided";
    public const string AppealsUpheld = "appeals_upheld";
    public const string AppealsReversed = "appeals_reversed";

    /// <summary>Blind QA re-reviews of automated restrictions, and how many agreed with the automated decision (sub_policy = detector).</summary>
    public const string QaAutomatedReviewed = "qa_automated_reviewed";
    public const string QaAutomatedAgreed = "qa_automated_agreed";

    /// <summary>DSA measure counts: <c>{basis}:{statement key}</c>, e.g. <c>own_initiative:DECISION_VISIBILITY_CONTENT_REMOVED</c>.</summary>
    public static string Measure(string basis, string key) => $"{basis}:{key}";
    /// <summary>Restrictions by basis and how automated: <c>{basis}:detection_automated</c>, <c>{basis}:AUTOMATED_DECISION_FULLY</c>…</summary>
    public const string DetectionAutomated = "detection_automated";
    /// <summary>Restrictions (content or account, one per decision) by basis: <c>{basis}:restrictions</c>.</summary>
    public const string Restrictions = "restrictions";

    public const string BasisOwnInitiative = "own_initiative";
    public const string BasisNotice = "notice";
    public const string BasisTrustedFlagger = "trusted_flagger";
    public const string BasisOrder = "order";
    public static readonly IReadOnlyList<string> Bases = [BasisOwnInitiative, BasisNotice, BasisTrustedFlagger, BasisOrder];

    // Account ban bases (sub_policy of accounts_banned).
    public const string BanZeroTolerance = "zero_tolerance";
    public const string BanStrikes = "strikes";
    public const string BanOffPlatform = "offplatform_finding";
    public const string BanOther = "other";

    // Duration histograms.
    public const string DurationAppeal = "appeal_decision";
    public const string DurationRemoval = "removal_after_upload";

    public static readonly IReadOnlyList<string> ContentMetrics =
        [ContentRemoved, VideosRemoved, RemovedProactive, RemovedZeroViews, RemovedViewsUnknown, RemovedWithin24h, RemovedAutomated, RestoredAfterAppeal];
}

/// <summary>
/// DSA restriction keys, the statement-of-reasons vocabulary (<see cref="Records.StatementsOfReasons.SorVocabulary"/>),
/// and which Bulwark action is which — the same mapping <c>RestrictionStatements</c> documents for statements.
/// </summary>
public static class DsaMeasures
{
    public const string Removed = "DECISION_VISIBILITY_CONTENT_REMOVED";
    public const string Disabled = "DECISION_VISIBILITY_CONTENT_DISABLED";
    public const string Demoted = "DECISION_VISIBILITY_CONTENT_DEMOTED";
    public const string AgeRestricted = "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED";
    public const string Labelled = "DECISION_VISIBILITY_CONTENT_LABELLED";
    public const string AccountSuspended = "DECISION_ACCOUNT_SUSPENDED";
    public const string AccountTerminated = "DECISION_ACCOUNT_TERMINATED";
    public const string ProvisionPartialSuspension = "DECISION_PROVISION_PARTIAL_SUSPENSION";
    public const string MonetarySuspension = "DECISION_MONETARY_SUSPENSION";

    /// <summary>Every restriction type a DSA table lists, in the template's order (visibility, monetary, provision, account).</summary>
    public static readonly IReadOnlyList<string> All =
        [Removed, Disabled, Demoted, AgeRestricted, Labelled, MonetarySuspension, ProvisionPartialSuspension, AccountSuspended, AccountTerminated];

    public static string? For(string actionKind) => actionKind switch
    {
        "content.remove" => Removed,
        "content.restrict_regions" => Disabled,
        "content.exclude_recommendations" => Demoted,
        "content.age_restrict" => AgeRestricted,
        "content.label" => Labelled,
        "account.suspend" => AccountSuspended,
        "account.ban" => AccountTerminated,
        "account.restrict_feature" => ProvisionPartialSuspension,
        _ => null,
    };
}
