using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Policy.Appeals;

/// <summary><c>Bulwark:Appeals</c>: how long after a decision (its notice) the user may appeal it.</summary>
public sealed class AppealOptions
{
    public const string Section = "Bulwark:Appeals";

    /// <summary>DSA Art. 20(1): at least six months from the notice of the decision.</summary>
    [Range(6, 120)] public int DeadlineMonths { get; set; } = 6;
    [Range(1, 20000)] public int MaxReasonLength { get; set; } = 5000;
    [Range(1, 20000)] public int MaxStatementLength { get; set; } = 5000;
    /// <summary>Where users file an appeal, named in the user notice when the caller gives none (an http(s) URL).</summary>
    [Url] public string? NoticeAppealUrl { get; set; }
}

public static class AppealStatus
{
    public const string Open = "open";
    public const string Decided = "decided";
}

public static class AppealOutcome
{
    public const string Upheld = "upheld";
    public const string Reversed = "reversed";
}

/// <summary>
/// An appeal against a decision (DSA Art. 20). One per decision: a decided appeal is final here (further redress is
/// out-of-court dispute settlement, Art. 21). Received and decided times, outcome and policy are what transparency
/// reports count.
/// </summary>
public sealed class AppealRow
{
    public long Id { get; set; }
    public long DecisionId { get; set; }
    public required string ContentId { get; set; }
    public long ContentVersionId { get; set; }
    public string? AccountId { get; set; }
    public string? Policy { get; set; }
    public required string Reason { get; set; }
    /// <summary>Who relayed the appeal (the platform's API key, or the CLI).</summary>
    public required string SubmittedBy { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>Whether the appealed decision was taken without a person (then any person may decide the appeal).</summary>
    public bool DecisionAutomated { get; set; }
    public string? Outcome { get; set; }
    public string? DecidedBy { get; set; }
    public string? Statement { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>What a reversal did: restored content, removed strikes, lifted or kept account measures.</summary>
    public string? Effects { get; set; }
}

internal sealed class AppealRowConfiguration : IEntityTypeConfiguration<AppealRow>
{
    public void Configure(EntityTypeBuilder<AppealRow> e)
    {
        e.ToTable("appeals");
        // One appeal per decision: a duplicate is refused, and two concurrent submissions cannot both commit.
        e.HasIndex(x => x.DecisionId).IsUnique();
        e.HasIndex(x => new { x.Status, x.Id });
        e.HasIndex(x => x.ReceivedAt);
        e.HasIndex(x => x.ContentId);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.SubmittedBy).HasMaxLength(200);
        // Deciding updates WHERE status = 'open': of two deciders racing, the second fails instead of overwriting the first.
        e.Property(x => x.Status).HasMaxLength(16).IsConcurrencyToken();
        e.Property(x => x.Outcome).HasMaxLength(16);
        e.Property(x => x.DecidedBy).HasMaxLength(200);
    }
}

// [Required] marks what the service refuses a request without (naming the field); the OpenAPI schema reads it.
/// <summary>An appeal: exactly one of <see cref="DecisionId"/> and <see cref="ContentId"/>, and the user's reason.</summary>
public sealed record NewAppeal(long? DecisionId, string? ContentId, [property: Required] string? Reason);

/// <summary>An appeal's decision; <see cref="DecidedBy"/> defaults to the caller.</summary>
public sealed record AppealDecisionRequest([property: Required] string? Outcome, [property: Required] string? Statement, string? DecidedBy);

public sealed record AppealView(
    long Id, long DecisionId, string ContentId, string? AccountId, string? Policy, string Reason, string Status,
    DateTimeOffset ReceivedAt, bool DecisionAutomated, string? Outcome, string? DecidedBy,
    string? Statement, DateTimeOffset? DecidedAt, string? Effects);

/// <summary>Why an appeal operation was refused; the API maps each to its own problem type.</summary>
public enum AppealError
{
    None,
    Invalid,
    UnknownDecision,
    NothingRestricted,
    Duplicate,
    DeadlinePassed,
    NotFound,
    AlreadyDecided,
    DeciderConflict,
    /// <summary>The caller's review roles may not work a queue the appealed decision went through.</summary>
    Forbidden,
}

public sealed record AppealResult(AppealView? Appeal, AppealError Error, string? Message, IReadOnlyList<Ingest.FieldError> Errors)
{
    public static AppealResult Ok(AppealView v) => new(v, AppealError.None, null, []);
    public static AppealResult Fail(AppealError e, string message) => new(null, e, message, []);
    public static AppealResult Invalid(IReadOnlyList<Ingest.FieldError> errors) => new(null, AppealError.Invalid, null, errors);
}

/// <summary>Counts for transparency reports (DSA Art. 15(1)(d), 24): appeals received, decided and reversed, per policy.</summary>
public sealed record AppealStatistics(DateTimeOffset Since, DateTimeOffset Until, int Received, int Decided, int Upheld, int Reversed,
    double? MedianDaysToDecide, IReadOnlyList<PolicyAppealCount> ByPolicy);

public sealed record PolicyAppealCount(string Policy, int Received, int Upheld, int Reversed);
