using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions.Review;

public static class ReviewCaseKind
{
    public const string Content = "content";
    /// <summary>A <c>review_account</c> rule (e.g. ban evasion): the account, not one item, is judged.</summary>
    public const string Account = "account";
}

public static class ReviewCaseStatus
{
    public const string Open = "open";
    public const string Decided = "decided";
}

public static class ReviewVerdict
{
    public const string Violation = "violation";
    public const string NoViolation = "no-violation";
    public const string Escalate = "escalate";
    /// <summary>Appeals queue only: the appealed decision stands.</summary>
    public const string Uphold = "uphold";
    /// <summary>Appeals queue only: the appealed decision is undone.</summary>
    public const string Reverse = "reverse";
}

/// <summary>Queues the review domain itself creates (rules name the others).</summary>
public static class ReviewQueues
{
    public const string Appeals = "appeals";
    public const string Qa = "qa";
    public const string QaDisagreement = "qa-disagreement";
}

/// <summary>
/// One item of human work: a pipeline decision to review (content or account), an appeal, a blind QA re-review or a QA
/// disagreement. State machine: <c>open</c> → <c>decided</c>; an open case may carry a claim (user, token, expiry).
/// <see cref="SortKey"/> is computed once at creation from source, severity, confidence, reach and age, so a queue page is
/// one range scan of the index (queue, status, sort_key).
/// </summary>
public sealed class ReviewCaseRow
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string Queue { get; set; }
    public required string Status { get; set; }
    public long? DecisionId { get; set; }
    public required string ContentId { get; set; }
    public long ContentVersionId { get; set; }
    public string? AccountId { get; set; }
    /// <summary>Appeals queue: the appeal this case decides.</summary>
    public long? AppealId { get; set; }
    /// <summary>QA and QA-disagreement cases: the case whose decision is checked.</summary>
    public long? SubjectCaseId { get; set; }
    public string? Policy { get; set; }
    /// <summary>4 escalation, 3 high, 2 normal, 1 low priority.</summary>
    public int Severity { get; set; }
    /// <summary>0..1: the strongest classifier or entity score, or the closeness of the best hash match.</summary>
    public double Confidence { get; set; }
    /// <summary>The event's view count when it was decided.</summary>
    public long Reach { get; set; }
    /// <summary>The event's <c>source.type</c> (authority_order, trusted_flagger, partner_alert, user_report, upload).</summary>
    public required string Source { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public required string SortKey { get; set; }
    /// <summary>
    /// Who may not work this case: the first reviewer of a QA case, the original decider of an appeal, both reviewers of a QA
    /// disagreement (names joined by a comma, see <see cref="ReviewCases.Exclude"/>).
    /// </summary>
    public string? ExcludedReviewer { get; set; }
    public string? ClaimedBy { get; set; }
    public string? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public string? Verdict { get; set; }
    public string? VerdictPolicy { get; set; }
    /// <summary>The actions the reviewer chose (kinds, JSON list).</summary>
    public string ActionsJson { get; set; } = "[]";
    public string? ExceptionApplied { get; set; }
    public string? Note { get; set; }
    public string? EscalatedTo { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>The form nonce of the decision: the same submission again returns this result instead of deciding twice.</summary>
    public string? SubmissionId { get; set; }
    /// <summary>What the decision did (actions, reversal, QA comparison), for the result page and the audit trail.</summary>
    public string? Outcome { get; set; }
    /// <summary>QA cases: whether the blind verdict agreed with the first (same verdict and policy).</summary>
    public bool? QaAgrees { get; set; }
}

/// <summary>A moderator looked at a blurred media file for a while; the sum is their exposure.</summary>
public sealed class MediaRevealRow
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public long CaseId { get; set; }
    public int MediaIndex { get; set; }
    public long Milliseconds { get; set; }
    public DateTimeOffset RevealedAt { get; set; }
}

/// <summary>A user's own wellness settings; null means the organisation default.</summary>
public sealed class ReviewPreferenceRow
{
    public required string UserName { get; set; }
    public bool? Blur { get; set; }
    public bool? Greyscale { get; set; }
    public int? BreakReminderMinutes { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The platform reported that a content item no longer exists there (deleted by its author or the platform).</summary>
public sealed class UpstreamDeletionRow
{
    public required string ContentId { get; set; }
    public DateTimeOffset DeletedAt { get; set; }
    public string? Reason { get; set; }
    public required string RecordedBy { get; set; }
}

internal sealed class ReviewCaseRowConfiguration : IEntityTypeConfiguration<ReviewCaseRow>
{
    public void Configure(EntityTypeBuilder<ReviewCaseRow> e)
    {
        e.ToTable("review_cases");
        // A queue page is a range scan of this index; see ReviewQueueService.ListAsync.
        e.HasIndex(x => new { x.Queue, x.Status, x.SortKey });
        // The dashboard: per queue, open depth, oldest, due times and claims.
        e.HasIndex(x => new { x.Status, x.Queue, x.DueAt });
        e.HasIndex(x => x.DecisionId);
        e.HasIndex(x => x.SubjectCaseId);
        e.HasIndex(x => new { x.DecidedBy, x.DecidedAt });
        // The break reminder's stretch reads a moderator's recent claims on every case page (WellnessService.StretchAsync);
        // without it that read scanned every case (40-70 ms at 100,000 cases on PostgreSQL, the case page's slow tail).
        e.HasIndex(x => new { x.ClaimedBy, x.ClaimedAt });
        e.HasIndex(x => new { x.AccountId, x.Status });
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Queue).HasMaxLength(64);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.Source).HasMaxLength(32);
        e.Property(x => x.SortKey).HasMaxLength(64);
        e.Property(x => x.ExcludedReviewer).HasMaxLength(520); // up to two user names (256 each) and a comma
        e.Property(x => x.ClaimedBy).HasMaxLength(200);
        e.Property(x => x.ClaimToken).HasMaxLength(64);
        e.Property(x => x.Verdict).HasMaxLength(16);
        e.Property(x => x.VerdictPolicy).HasMaxLength(32);
        e.Property(x => x.ExceptionApplied).HasMaxLength(64);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.EscalatedTo).HasMaxLength(64);
        e.Property(x => x.DecidedBy).HasMaxLength(200);
        e.Property(x => x.SubmissionId).HasMaxLength(100);
    }
}

internal sealed class MediaRevealRowConfiguration : IEntityTypeConfiguration<MediaRevealRow>
{
    public void Configure(EntityTypeBuilder<MediaRevealRow> e)
    {
        e.ToTable("review_media_reveals");
        e.HasIndex(x => new { x.UserName, x.RevealedAt });
        e.Property(x => x.UserName).HasMaxLength(200);
    }
}

internal sealed class ReviewPreferenceRowConfiguration : IEntityTypeConfiguration<ReviewPreferenceRow>
{
    public void Configure(EntityTypeBuilder<ReviewPreferenceRow> e)
    {
        e.ToTable("review_preferences");
        e.HasKey(x => x.UserName);
        e.Property(x => x.UserName).HasMaxLength(200);
    }
}

internal sealed class UpstreamDeletionRowConfiguration : IEntityTypeConfiguration<UpstreamDeletionRow>
{
    public void Configure(EntityTypeBuilder<UpstreamDeletionRow> e)
    {
        e.ToTable("upstream_deletions");
        e.HasKey(x => x.ContentId);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.RecordedBy).HasMaxLength(200);
    }
}
