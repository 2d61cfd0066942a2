using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Notices;

/// <summary>Where a notice is in its life: received → in_review → decided, or waiting for the content it names.</summary>
public static class NoticeStatus
{
    /// <summary>Kept: the content it names is not known yet (an unknown URL or id), or not decided by the pipeline yet.</summary>
    public const string AwaitingContent = "awaiting_content";
    /// <summary>Joined or opened a review case; waits for the case's decision.</summary>
    public const string InReview = "in_review";
    /// <summary>The decision is recorded and sent (or queued) to the notifier.</summary>
    public const string Decided = "decided";
    /// <summary>The notifier's notices are suspended (DSA Art. 23(2)): kept, not processed.</summary>
    public const string NotProcessed = "not_processed";
}

/// <summary>What the decision on a notice was, in words the notifier receives.</summary>
public static class NoticeOutcome
{
    public const string ActionTaken = "action_taken";
    public const string NoAction = "no_action";
}

/// <summary>The notice types, as the ingestion contract and review cases name sources.</summary>
public static class NoticeSources
{
    public const string UserReport = "user_report";
    public const string TrustedFlagger = "trusted_flagger";
}

/// <summary>
/// One notice (DSA Art. 16): the exact location (a content id, or a URL kept until it resolves to one), the explanation,
/// the notifier's name and e-mail (optional), the good-faith statement, and where it is in its life. A trusted flagger's
/// notice names the registry entry. <see cref="OpenKey"/> deduplicates per content and notifier while the notice is open.
/// </summary>
public sealed class NoticeRow
{
    public long Id { get; set; }
    /// <summary><see cref="NoticeSources"/>.</summary>
    public required string Source { get; set; }
    public long? TrustedFlaggerId { get; set; }
    /// <summary>The platform's content id, as given or resolved from <see cref="Url"/>.</summary>
    public string? ContentId { get; set; }
    public string? Url { get; set; }
    public required string Explanation { get; set; }
    public string? NotifierName { get; set; }
    public string? NotifierEmail { get; set; }
    /// <summary>The notifier's identity for dedupe and Art. 23(2): <c>flagger:{id}</c>, <c>email:{lowercase}</c>, or null (anonymous).</summary>
    public string? NotifierKey { get; set; }
    public bool GoodFaith { get; set; }
    /// <summary><c>api</c> (the platform's own reporting UI) or <c>form</c> (the public /report page).</summary>
    public required string Channel { get; set; }
    /// <summary>en or it: the language of the acknowledgement and the decision sent back.</summary>
    public required string Language { get; set; }
    public required string Status { get; set; }
    /// <summary>SHA-256 of location and notifier while the notice is open (unique); null once decided, so a later notice is new.</summary>
    public string? OpenKey { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public long? CaseId { get; set; }
    public long? DecisionId { get; set; }
    public DateTimeOffset? MatchedAt { get; set; }
    public string? Outcome { get; set; }
    /// <summary>The policy the reviewer found broken (null for no action).</summary>
    public string? Policy { get; set; }
    /// <summary>What was done, as the case recorded it.</summary>
    public string? DecisionSummary { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>A person found the notice manifestly unfounded (DSA Art. 23(2)); counts towards a warning and a suspension.</summary>
    public bool ManifestlyUnfounded { get; set; }
    public string? UnfoundedBy { get; set; }
    public DateTimeOffset? UnfoundedAt { get; set; }
    /// <summary>How many times the same notice arrived again while it was open.</summary>
    public int Repeats { get; set; }
}

/// <summary>A trusted flagger (DSA Art. 22): awarded the status by a Digital Services Coordinator; administered by policy admins.</summary>
public sealed class TrustedFlaggerRow
{
    public long Id { get; set; }
    public required string Organisation { get; set; }
    public required string Expertise { get; set; }
    /// <summary>The Digital Services Coordinator that awarded the status (e.g. "AGCOM (IT)").</summary>
    public required string AwardingCoordinator { get; set; }
    public required string Status { get; set; }
    public string? ContactEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

public static class TrustedFlaggerStatus
{
    public const string Active = "active";
    /// <summary>The coordinator suspended the status: their notices are handled as ordinary notices.</summary>
    public const string Suspended = "suspended";
    public const string Revoked = "revoked";
    public static readonly IReadOnlyList<string> All = [Active, Suspended, Revoked];
}

/// <summary>
/// A message to a notifier (Art. 16(4) acknowledgement, 16(5) decision, 23(2) warning or suspension), written in the same
/// transaction as the change it reports (an outbox) and then sent through <see cref="INotifierChannel"/>.
/// </summary>
public sealed class NotifierDeliveryRow
{
    public long Id { get; set; }
    public long NoticeId { get; set; }
    /// <summary><see cref="NotifierMessageKind"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>The e-mail address, or null when the notifier gave none (the message is kept, marked <c>no_address</c>).</summary>
    public string? Recipient { get; set; }
    public required string Language { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>pending, sent, failed (retried), no_address.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Channel { get; set; }
}

public static class NotifierMessageKind
{
    public const string Acknowledgement = "acknowledgement";
    public const string Decision = "decision";
    public const string Warning = "warning";
    public const string Suspension = "suspension";
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string NoAddress = "no_address";
    public const string Failed = "failed";
}

/// <summary>A measure against a notifier who often sends manifestly unfounded notices (DSA Art. 23(2)): a warning, then a time-limited suspension.</summary>
public sealed class NotifierMeasureRow
{
    public long Id { get; set; }
    public required string NotifierKey { get; set; }
    /// <summary>warning or suspension.</summary>
    public required string Kind { get; set; }
    public DateTimeOffset ImposedAt { get; set; }
    public DateTimeOffset? Until { get; set; }
    public required string Reason { get; set; }
    public required string ImposedBy { get; set; }
    public DateTimeOffset? AppealedAt { get; set; }
    public string? AppealReason { get; set; }
    /// <summary>upheld or lifted, once the appeal is decided.</summary>
    public string? AppealOutcome { get; set; }
    public string? AppealDecidedBy { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
}

public static class NotifierMeasureKind
{
    public const string Warning = "warning";
    public const string Suspension = "suspension";
}

internal sealed class NoticeRowConfiguration : IEntityTypeConfiguration<NoticeRow>
{
    public void Configure(EntityTypeBuilder<NoticeRow> e)
    {
        e.ToTable("notices");
        e.HasIndex(x => x.OpenKey).IsUnique();
        e.HasIndex(x => new { x.Status, x.Id });
        e.HasIndex(x => x.CaseId);
        e.HasIndex(x => x.DecisionId);
        e.HasIndex(x => x.ReceivedAt);
        e.HasIndex(x => new { x.NotifierKey, x.ManifestlyUnfounded });
        e.HasIndex(x => x.TrustedFlaggerId);
        e.Property(x => x.Source).HasMaxLength(32);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.Explanation).HasMaxLength(NoticeOptions.MaxExplanation);
        e.Property(x => x.NotifierName).HasMaxLength(200);
        e.Property(x => x.NotifierEmail).HasMaxLength(320);
        e.Property(x => x.NotifierKey).HasMaxLength(340);
        e.Property(x => x.Channel).HasMaxLength(16);
        e.Property(x => x.Language).HasMaxLength(8);
        e.Property(x => x.Status).HasMaxLength(32);
        e.Property(x => x.OpenKey).HasMaxLength(64);
        e.Property(x => x.Outcome).HasMaxLength(32);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.DecisionSummary).HasMaxLength(2000);
        e.Property(x => x.UnfoundedBy).HasMaxLength(200);
    }
}

internal sealed class TrustedFlaggerRowConfiguration : IEntityTypeConfiguration<TrustedFlaggerRow>
{
    public void Configure(EntityTypeBuilder<TrustedFlaggerRow> e)
    {
        e.ToTable("trusted_flaggers");
        e.HasIndex(x => x.Organisation).IsUnique();
        e.Property(x => x.Organisation).HasMaxLength(200);
        e.Property(x => x.Expertise).HasMaxLength(500);
        e.Property(x => x.AwardingCoordinator).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.ContactEmail).HasMaxLength(320);
        e.Property(x => x.UpdatedBy).HasMaxLength(200);
    }
}

internal sealed class NotifierDeliveryRowConfiguration : IEntityTypeConfiguration<NotifierDeliveryRow>
{
    public void Configure(EntityTypeBuilder<NotifierDeliveryRow> e)
    {
        e.ToTable("notifier_deliveries");
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.HasIndex(x => x.NoticeId);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Recipient).HasMaxLength(320);
        e.Property(x => x.Language).HasMaxLength(8);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.Body).HasMaxLength(8000);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.LastError).HasMaxLength(1000);
        e.Property(x => x.Channel).HasMaxLength(32);
    }
}

internal sealed class NotifierMeasureRowConfiguration : IEntityTypeConfiguration<NotifierMeasureRow>
{
    public void Configure(EntityTypeBuilder<NotifierMeasureRow> e)
    {
        e.ToTable("notifier_measures");
        e.HasIndex(x => new { x.NotifierKey, x.ImposedAt });
        e.Property(x => x.NotifierKey).HasMaxLength(340);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.Property(x => x.ImposedBy).HasMaxLength(200);
        e.Property(x => x.AppealReason).HasMaxLength(2000);
        e.Property(x => x.AppealOutcome).HasMaxLength(16);
        e.Property(x => x.AppealDecidedBy).HasMaxLength(200);
    }
}
