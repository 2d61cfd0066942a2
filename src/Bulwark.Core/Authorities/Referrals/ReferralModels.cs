using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// A referral's states. <c>draft</c> (created by a rule or started by a person; no package yet) → <c>sending</c> (package
/// built and signed, delivery due or in progress) → <c>delivered</c>; after the last automatic attempt <c>failed</c>, from
/// which a person sends it again (→ <c>sending</c>) or records a delivery by phone (→ <c>delivered</c>). A recipient reached
/// only by phone goes from <c>draft</c> to <c>awaiting_manual</c>. Any other transition is refused.
/// </summary>
public static class ReferralStatus
{
    public const string Draft = "draft";
    public const string Sending = "sending";
    public const string AwaitingManual = "awaiting_manual";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public static readonly IReadOnlyList<string> All = [Draft, Sending, AwaitingManual, Delivered, Failed];
}

public static class ReferralUrgency
{
    /// <summary>Life or safety at risk now (Art. 18: "promptly").</summary>
    public const string Immediate = "immediate";
    public const string High = "high";
    public const string Normal = "normal";
    public static readonly IReadOnlyList<string> All = [Immediate, High, Normal];
}

/// <summary>What the delivery log records: attempts and their outcomes, a phone delivery, a follow-up request from the authority.</summary>
public static class ReferralEventKind
{
    public const string Drafted = "drafted";
    public const string Submitted = "submitted";
    public const string Attempt = "attempt";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Resent = "resent";
    public const string Phone = "phone";
    public const string FollowUp = "follow_up";
}

public sealed class ReferralRow
{
    public long Id { get; set; }
    /// <summary>The referral's reference (<c>REF-…</c>): the idempotency key of every delivery, and the legal hold's reference.</summary>
    public required string Reference { get; set; }
    public required string Status { get; set; }
    public long CaseId { get; set; }
    public long? DecisionId { get; set; }
    public required string ContentId { get; set; }
    public long ContentVersionId { get; set; }
    public string? AccountId { get; set; }
    public string? MemberState { get; set; }
    /// <summary>Why this Member State: <c>given</c> by the legal officer, <c>location-signal</c>, <c>account-country</c>, or <c>unclear</c> (fallback).</summary>
    public required string MemberStateBasis { get; set; }
    public string? RecipientName { get; set; }
    public string? RecipientMemberState { get; set; }
    public string? RecipientChannel { get; set; }
    public string? RecipientAddress { get; set; }
    public bool RecipientExample { get; set; }
    public string? Assessment { get; set; }
    public string? Urgency { get; set; }
    /// <summary>A user name, or <c>rule:NAME</c> for a draft made by the rule path.</summary>
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the case reached the threat-to-life queue: the clock's start.</summary>
    public DateTimeOffset EscalatedAt { get; set; }
    /// <summary>When a person sent the referral (the package was signed): the clock's end.</summary>
    public DateTimeOffset? ReferredAt { get; set; }
    public string? ReferredBy { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public string? Receipt { get; set; }
    /// <summary>The signed manifest, byte for byte (UTF-8).</summary>
    public string? ManifestJson { get; set; }
    public string? ManifestSha256 { get; set; }
    public string? SummaryHtml { get; set; }
    public string? Signature { get; set; }
    public string? KeyId { get; set; }
    /// <summary>The signer's public key (base64, raw 32 bytes) at signing time, written into the package beside the signature.</summary>
    public string? SignerPublicKey { get; set; }
    public long? PreservedItemId { get; set; }
    public long? HoldId { get; set; }
}

public sealed class ReferralEventRow
{
    public long Id { get; set; }
    public long ReferralId { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public required string By { get; set; }
    public string? Channel { get; set; }
    public int? Attempt { get; set; }
    public int? StatusCode { get; set; }
    public string? Detail { get; set; }
}

internal sealed class ReferralRowConfiguration : IEntityTypeConfiguration<ReferralRow>
{
    public void Configure(EntityTypeBuilder<ReferralRow> e)
    {
        e.ToTable("authority_referrals");
        e.HasIndex(x => x.Reference).IsUnique();
        // One referral per case: a rule's draft and a person's "Refer" meet on the same row, so nothing is sent twice.
        e.HasIndex(x => x.CaseId).IsUnique();
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.HasIndex(x => x.ReferredAt);
        e.Property(x => x.Reference).HasMaxLength(64);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.MemberState).HasMaxLength(2);
        e.Property(x => x.MemberStateBasis).HasMaxLength(32);
        e.Property(x => x.RecipientName).HasMaxLength(200);
        e.Property(x => x.RecipientMemberState).HasMaxLength(2);
        e.Property(x => x.RecipientChannel).HasMaxLength(16);
        e.Property(x => x.RecipientAddress).HasMaxLength(500);
        e.Property(x => x.Urgency).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
        e.Property(x => x.ReferredBy).HasMaxLength(200);
        e.Property(x => x.LeaseOwner).HasMaxLength(100);
        e.Property(x => x.ManifestSha256).HasMaxLength(64);
        e.Property(x => x.KeyId).HasMaxLength(64);
        e.Property(x => x.SignerPublicKey).HasMaxLength(64);
    }
}

internal sealed class ReferralEventRowConfiguration : IEntityTypeConfiguration<ReferralEventRow>
{
    public void Configure(EntityTypeBuilder<ReferralEventRow> e)
    {
        e.ToTable("authority_referral_events");
        e.HasIndex(x => new { x.ReferralId, x.Id });
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.By).HasMaxLength(200);
        e.Property(x => x.Channel).HasMaxLength(16);
    }
}

public sealed record ReferralEventView(long Id, string Kind, DateTimeOffset At, string By, string? Channel, int? Attempt, int? StatusCode, string? Detail);

public sealed record ReferralRecipientView(string? Name, string? MemberState, string? Channel, string? Address, bool Example);

/// <summary>The escalation-to-referral clock: <see cref="Minutes"/> so far (open) or until the referral; over target when beyond <see cref="TargetMinutes"/>.</summary>
public sealed record ReferralClock(DateTimeOffset EscalatedAt, DateTimeOffset? ReferredAt, double Minutes, int TargetMinutes, bool OverTarget);

public sealed record ReferralSummary(long Id, string Reference, string Status, long CaseId, string ContentId, string? AccountId, string? Urgency,
    ReferralRecipientView Recipient, DateTimeOffset CreatedAt, string CreatedBy, ReferralClock Clock, DateTimeOffset? DeliveredAt, int Attempts, string? LastError);

public sealed record ReferralView(long Id, string Reference, string Status, long CaseId, long? DecisionId, string ContentId, string? AccountId,
    string? MemberState, string MemberStateBasis, ReferralRecipientView Recipient, string? Assessment, string? Urgency, string CreatedBy, DateTimeOffset CreatedAt,
    string? ReferredBy, ReferralClock Clock, DateTimeOffset? DeliveredAt, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, string? Receipt,
    string? ManifestSha256, string? KeyId, long? PreservedItemId, long? HoldId, IReadOnlyList<ReferralEventView> Events);

public enum ReferralError { None, NotFound, Invalid, WrongQueue, WrongState, NoRecipient, CaseNotFound }

public sealed record ReferralFieldError(string Field, string Message);

public sealed record ReferralResult<T>(T? Value, ReferralError Error, string? Message, IReadOnlyList<ReferralFieldError> Errors)
{
    public bool Ok => Error == ReferralError.None;
    public static ReferralResult<T> Success(T value) => new(value, ReferralError.None, null, []);
    public static ReferralResult<T> Fail(ReferralError error, string message) => new(default, error, message, []);
    public static ReferralResult<T> Invalid(params ReferralFieldError[] errors) =>
        new(default, ReferralError.Invalid, string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")), errors);
}
