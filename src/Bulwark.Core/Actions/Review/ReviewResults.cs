namespace Bulwark.Core.Actions.Review;

/// <summary>Why a review operation was refused; the console maps each to a message (and an HTTP status if exposed).</summary>
public enum ReviewError
{
    None,
    /// <summary>A field is missing or wrong; the message names it.</summary>
    Invalid,
    NotFound,
    /// <summary>The user's roles do not allow it (the queue, or an action).</summary>
    Forbidden,
    /// <summary>The case was decided, or claimed by someone else, since the user's page was made.</summary>
    Stale,
    /// <summary>The user's claim ran out; they must claim the case again.</summary>
    ClaimExpired,
    /// <summary>The user may not work this case (its first reviewer for QA, its original decider for an appeal).</summary>
    Conflict,
    /// <summary>Nothing to claim in the queue.</summary>
    Empty,
}

public sealed record ReviewResult<T>(T? Value, ReviewError Error, string? Message)
{
    public bool Ok => Error == ReviewError.None;
    /// <summary>
    /// The refusal with its stable code and values: a refusal of the restriction itself (<see cref="Restrictions.RestrictionCodes"/>: the writer's, or a
    /// measure the policy, queue or role does not allow) or of the review service (<see cref="ReviewCodes"/>). The console words it in the reader's language.
    /// </summary>
    public Restrictions.RestrictionMessage? Why { get; init; }
    public static ReviewResult<T> Success(T value) => new(value, ReviewError.None, null);
    public static ReviewResult<T> Fail(ReviewError error, string message) => new(default, error, message);
    public static ReviewResult<T> Fail(ReviewError error, Restrictions.RestrictionMessage why) => new(default, error, why.English) { Why = why };
    /// <summary>The same refusal (error, message and code) as a result of another type.</summary>
    public ReviewResult<TOther> As<TOther>() => new(default, Error, Message) { Why = Why };
}

/// <summary>A claim held on a case: the token goes into the decision form, so a decision made under a lost claim is refused.</summary>
public sealed record ReviewClaim(long CaseId, string UserName, string Token, DateTimeOffset ClaimedAt, DateTimeOffset ExpiresAt);

/// <summary>One row of a queue page.</summary>
public sealed record ReviewCaseSummary(
    long Id, string Kind, string Queue, string ContentId, string? AccountId, string? Policy, int Severity, double Confidence, long Reach,
    string Source, DateTimeOffset CreatedAt, DateTimeOffset DueAt, bool Breached, TimeSpan TimeLeft, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt,
    string Cursor);

public sealed record ReviewPage(string Queue, IReadOnlyList<ReviewCaseSummary> Items, string? NextCursor);

/// <summary>One queue on the dashboard.</summary>
public sealed record QueueDashboardRow(
    string Queue, int Order, int SlaMinutes, bool MayWork, int Depth, DateTimeOffset? OldestOpenAt, TimeSpan? OldestAge, int Breached, int Claimed);
