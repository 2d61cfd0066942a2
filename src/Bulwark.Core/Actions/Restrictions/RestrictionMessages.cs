using System.Globalization;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>
/// A refusal or a note of the restriction writer: a stable <see cref="Code"/> (<see cref="RestrictionCodes"/>), the values it
/// speaks of, and its English wording. The API sends the English wording with the code; the console writes its own words for
/// the code in the reader's language (resources <c>Restrict_Refusal_{code}</c> and <c>Restrict_Note_{code}</c>), formatting
/// <see cref="Args"/> (numbers stay numbers, so they follow the language too).
/// </summary>
public sealed record RestrictionMessage(string Code, IReadOnlyList<object> Args, string English)
{
    public override string ToString() => English;

    internal static RestrictionMessage Of(string code, FormattableString english) =>
        new(code, english.GetArguments().Select(a => a ?? "").ToList(), english.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// The writer's refusal and note codes, named once. They are part of the API contract (problem+json <c>code</c>,
/// <c>refusalCode</c> and <c>noteCodes</c> of <c>POST /api/v1/decisions/{id}/confirm</c>; listed in docs/api.md): a code
/// never changes meaning; new situations get new codes.
/// </summary>
public static class RestrictionCodes
{
    // ── refusals: nothing was recorded ──
    /// <summary>The violation kind is not lowercase letters, digits and '-'.</summary>
    public const string InvalidViolation = "invalid_violation";
    /// <summary>The reason is longer than <see cref="RestrictionWriter.MaxReasonLength"/> characters. Args: the maximum.</summary>
    public const string ReasonTooLong = "reason_too_long";
    /// <summary>suspensionDays is outside 1–365.</summary>
    public const string InvalidSuspensionDays = "invalid_suspension_days";
    /// <summary>A measure a person cannot take. Args: the measure.</summary>
    public const string UnknownMeasure = "unknown_measure";
    /// <summary>There is no such decision. Args: the decision id.</summary>
    public const string DecisionNotFound = "decision_not_found";
    /// <summary>The decision names no policy of the catalogue in force. Args: the decision id.</summary>
    public const string NoPolicy = "no_policy";
    /// <summary>The decision is already confirmed. Args: the decision id.</summary>
    public const string AlreadyConfirmed = "already_confirmed";
    /// <summary>The actor's role (or key) may not take a chosen measure. Args: the measure.</summary>
    public const string MeasureNotPermitted = "measure_not_permitted";
    /// <summary>Account measures on content that names no account. Args: the decision id, the measures.</summary>
    public const string NoAccount = "no_account";
    /// <summary>A strike threshold causes a suspension or ban the role may not take. Args: the strike number, the active weight after, the measure.</summary>
    public const string ThresholdNotPermitted = "threshold_not_permitted";
    /// <summary>A strike threshold causes a suspension or ban that the request does not list. Args: as above.</summary>
    public const string ThresholdNotListed = "threshold_not_listed";
    /// <summary>Zero tolerance causes a ban the role may not take. Args: the violation, the policy, the measure.</summary>
    public const string ZeroToleranceNotPermitted = "zero_tolerance_not_permitted";
    /// <summary>Zero tolerance causes a ban that the request does not list. Args: as above.</summary>
    public const string ZeroToleranceNotListed = "zero_tolerance_not_listed";
    /// <summary>The policy does not allow the measure (console and bulk decisions). Args: the measure, the policy, the measures it allows.</summary>
    public const string NotAllowedByPolicy = "not_allowed_by_policy";
    /// <summary>The queue's list of allowed actions leaves the measure out. Args: the measure, the queue, the measures it allows.</summary>
    public const string NotAllowedInQueue = "not_allowed_in_queue";
    /// <summary>The review case refused the change (decided or claimed meanwhile). Args: the review service's message.</summary>
    public const string ReviewCaseRefused = "review_case_refused";

    // ── notes: what the plan does, and why ──
    public const string ContentDeletedUpstream = "content_deleted_upstream";
    /// <summary>Args: the measure.</summary>
    public const string ContentAlreadyEnforced = "content_already_enforced";
    public const string NoContentMeasure = "no_content_measure";
    public const string ZeroToleranceInsteadOfStrike = "zero_tolerance_instead_of_strike";
    public const string AlreadyStruck = "already_struck";
    /// <summary>Args: the policy.</summary>
    public const string PolicyGivesNoStrikes = "policy_gives_no_strikes";
    /// <summary>Args: the strike's weight, its number, the active weight before and after.</summary>
    public const string Strike = "strike";
    /// <summary>Args: the strike number, the active weight after.</summary>
    public const string ThresholdSuspend = "threshold_suspend";
    /// <summary>Args: the strike number, the active weight after.</summary>
    public const string ThresholdBan = "threshold_ban";
    /// <summary>Args: the violation, the policy.</summary>
    public const string ZeroToleranceBan = "zero_tolerance_ban";
    public const string BanChosen = "ban_chosen";
    /// <summary>Args: the days.</summary>
    public const string SuspensionChosen = "suspension_chosen";
    public const string NoAccountNamed = "no_account_named";
    /// <summary>No content measure on a decision whose content an escalation hid until a reviewer decides: the content is restored.</summary>
    public const string InterimLifted = "interim_lifted";

    public static readonly IReadOnlyList<string> Refusals =
    [
        InvalidViolation, ReasonTooLong, InvalidSuspensionDays, UnknownMeasure, DecisionNotFound, NoPolicy, AlreadyConfirmed, MeasureNotPermitted,
        NoAccount, ThresholdNotPermitted, ThresholdNotListed, ZeroToleranceNotPermitted, ZeroToleranceNotListed, NotAllowedByPolicy, NotAllowedInQueue,
        ReviewCaseRefused,
    ];

    public static readonly IReadOnlyList<string> Notes =
    [
        ContentDeletedUpstream, ContentAlreadyEnforced, NoContentMeasure, ZeroToleranceInsteadOfStrike, AlreadyStruck, PolicyGivesNoStrikes, Strike,
        ThresholdSuspend, ThresholdBan, ZeroToleranceBan, BanChosen, SuspensionChosen, NoAccountNamed, InterimLifted,
    ];

    /// <summary>Refusals that a role or key's permissions cause (HTTP 403), as opposed to the request itself (409/422).</summary>
    public static bool IsPermission(string? code) => code is MeasureNotPermitted or ThresholdNotPermitted or ZeroToleranceNotPermitted;
}
