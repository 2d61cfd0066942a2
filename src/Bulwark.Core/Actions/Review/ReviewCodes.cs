namespace Bulwark.Core.Actions.Review;

/// <summary>
/// Stable codes of the review service's refusals that are not about a measure (a missing note, a stale claim, a case decided
/// meanwhile …), the sibling of <see cref="Restrictions.RestrictionCodes"/>. Each refusal carries its code and values as a
/// <see cref="Restrictions.RestrictionMessage"/> (<see cref="ReviewResult{T}.Why"/>) beside its English message; the console
/// words it in the reader's language (resources <c>Review_Refusal_{code}</c>), the API sends it as problem+json <c>code</c>.
/// A code never changes meaning; new situations get new codes.
/// </summary>
public static class ReviewCodes
{
    /// <summary>Args: the case id.</summary>
    public const string CaseNotFound = "case_not_found";
    public const string ClaimTokenRequired = "claim_token_required";
    /// <summary>Args: the maximum length.</summary>
    public const string SubmissionIdRequired = "submission_id_required";
    /// <summary>Args: the maximum, the note's length.</summary>
    public const string NoteTooLong = "note_too_long";
    /// <summary>Args: the exception given, the exceptions known.</summary>
    public const string UnknownException = "unknown_exception";
    /// <summary>Args: the queue, the roles that work it, the user's roles.</summary>
    public const string QueueNotPermitted = "queue_not_permitted";
    /// <summary>Args: the case, the queue of the reviewed decision, the roles that work it, the user's roles.</summary>
    public const string CaseNotVisible = "case_not_visible";
    /// <summary>Args: the user, the case.</summary>
    public const string AppealDeciderExcluded = "appeal_decider_excluded";
    /// <summary>Args: the user, the case.</summary>
    public const string DisagreementReviewerExcluded = "disagreement_reviewer_excluded";
    /// <summary>Args: the user, the case.</summary>
    public const string QaReviewerExcluded = "qa_reviewer_excluded";
    /// <summary>Args: the case.</summary>
    public const string AppealNotInBulk = "appeal_not_in_bulk";
    /// <summary>Args: the verdict given.</summary>
    public const string InvalidVerdict = "invalid_verdict";
    public const string QaNotEscalated = "qa_not_escalated";
    public const string EscalateToRequired = "escalate_to_required";
    /// <summary>Args: the queue.</summary>
    public const string AlreadyInQueue = "already_in_queue";
    /// <summary>Args: the queue.</summary>
    public const string NotAnEscalationTarget = "not_an_escalation_target";
    /// <summary>Args: the queue.</summary>
    public const string QueueRetired = "queue_retired";
    public const string NoteRequired = "note_required";
    public const string PolicyRequired = "policy_required";
    /// <summary>Args: the policy, the policies in force.</summary>
    public const string UnknownPolicy = "unknown_policy";
    /// <summary>Args: the measures given.</summary>
    public const string ActionsOnlyForViolation = "actions_only_for_violation";
    /// <summary>Args: the case, its verdict, who decided it.</summary>
    public const string CaseAlreadyDecided = "case_already_decided";
    /// <summary>Args: the case, who holds it.</summary>
    public const string CaseClaimedByOther = "case_claimed_by_other";
    /// <summary>Args: the case.</summary>
    public const string CaseTakenMeanwhile = "case_taken_meanwhile";
    /// <summary>Args: the case, when the claim ran out (UTC).</summary>
    public const string ClaimExpired = "claim_expired";
    /// <summary>Args: the case.</summary>
    public const string NoClaim = "no_claim";
    /// <summary>Args: the verdict given.</summary>
    public const string InvalidAppealVerdict = "invalid_appeal_verdict";
    public const string AppealNoteRequired = "appeal_note_required";
    /// <summary>The appeal service refused; args: its English message (passed through, like the writer's <c>review_case_refused</c>).</summary>
    public const string AppealRefused = "appeal_refused";
    public const string BulkNoCases = "bulk_no_cases";
    /// <summary>Args: the cases selected, the maximum.</summary>
    public const string BulkTooMany = "bulk_too_many";
    /// <summary>Args: the verdict.</summary>
    public const string BulkVerdictNotAllowed = "bulk_verdict_not_allowed";
    public const string BulkSummaryUnconfirmed = "bulk_summary_unconfirmed";
    public const string BulkSummaryChanged = "bulk_summary_changed";
    /// <summary>Args: the maximum length.</summary>
    public const string ContentIdInvalid = "content_id_invalid";
    /// <summary>Args: the maximum length.</summary>
    public const string DeletionReasonTooLong = "deletion_reason_too_long";
    /// <summary>Args: the content id.</summary>
    public const string ContentNotFound = "content_not_found";

    public static readonly IReadOnlyList<string> All =
    [
        CaseNotFound, ClaimTokenRequired, SubmissionIdRequired, NoteTooLong, UnknownException, QueueNotPermitted, CaseNotVisible, AppealDeciderExcluded,
        DisagreementReviewerExcluded, QaReviewerExcluded, AppealNotInBulk, InvalidVerdict, QaNotEscalated, EscalateToRequired, AlreadyInQueue,
        NotAnEscalationTarget, QueueRetired, NoteRequired, PolicyRequired, UnknownPolicy, ActionsOnlyForViolation, CaseAlreadyDecided, CaseClaimedByOther,
        CaseTakenMeanwhile, ClaimExpired, NoClaim, InvalidAppealVerdict, AppealNoteRequired, AppealRefused, BulkNoCases, BulkTooMany, BulkVerdictNotAllowed,
        BulkSummaryUnconfirmed, BulkSummaryChanged, ContentIdInvalid, DeletionReasonTooLong, ContentNotFound,
    ];

    private static readonly HashSet<string> Known = [.. All];

    /// <summary>Whether <paramref name="code"/> is one of these (the console then words it from <c>Review_Refusal_{code}</c>).</summary>
    public static bool IsReviewCode(string? code) => code is not null && Known.Contains(code);

    internal static Restrictions.RestrictionMessage Of(string code, FormattableString english) => Restrictions.RestrictionMessage.Of(code, english);
}
