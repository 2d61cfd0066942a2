using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Signals.Exchange;

public static class ExchangeStatus
{
    public const string Active = "active";
    /// <summary>Paused by an administrator: not fetched; its entries keep matching as before.</summary>
    public const string Paused = "paused";
    /// <summary>Paused by the flood guard: not fetched, and its matches go to review instead of acting.</summary>
    public const string FloodPaused = "flood-paused";
}

/// <summary>
/// A partner's synchronisation state: the last good checkpoint (a fetch resumes from it), when it last ran and how, its
/// status (paused by a person or by the flood guard) and the flood guard's current window.
/// </summary>
public sealed class ExchangeStateRow
{
    public required string Name { get; set; }
    public string? Checkpoint { get; set; }
    /// <summary>When the checkpoint was first taken (a full refetch resets it): how stale it is.</summary>
    public DateTimeOffset? CheckpointAt { get; set; }
    public string Status { get; set; } = ExchangeStatus.Active;
    public string? StatusReason { get; set; }
    public string? StatusBy { get; set; }
    public DateTimeOffset? StatusAt { get; set; }
    public DateTimeOffset? LastFetchAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? FloodWindowStart { get; set; }
    public int FloodWindowMatches { get; set; }
}

/// <summary>One signal of one partner item and the bank entry it became; a delete keeps the row (<see cref="Deleted"/>) as provenance.</summary>
public sealed class ExchangeItemRow
{
    public long Id { get; set; }
    public required string Exchange { get; set; }
    public required string ItemId { get; set; }
    public required string SignalType { get; set; }
    public required string Value { get; set; }
    public long BankEntryId { get; set; }
    public bool Deleted { get; set; }
    public bool Disputed { get; set; }
    /// <summary>The partner's references for opinions (ThreatExchange descriptor ids; TCAP record id), JSON list.</summary>
    public string ReferencesJson { get; set; } = "[]";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A partner alert (content found on this platform) and the review item it became.</summary>
public sealed class ExchangeAlertRow
{
    public long Id { get; set; }
    public required string Exchange { get; set; }
    public required string AlertId { get; set; }
    public required string Url { get; set; }
    public string? Group { get; set; }
    public required string Tier { get; set; }
    public DateTimeOffset? FoundAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>The content id the alert was ingested under.</summary>
    public string? ContentId { get; set; }
}

/// <summary>Every fetch, successful or not: what it read and changed, and why it stopped.</summary>
public sealed class ExchangeFetchRow
{
    public long Id { get; set; }
    public required string Exchange { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    /// <summary><c>ok</c>, <c>failed</c> (nothing after the last good page applied) or <c>skipped</c> (paused).</summary>
    public required string Outcome { get; set; }
    public bool FullRefetch { get; set; }
    public int Pages { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    /// <summary>Deletes of items the partner never sent (or already deleted): recorded, nothing changed.</summary>
    public int UnknownDeletes { get; set; }
    /// <summary>Signals not banked (a type Bulwark does not match, an invalid value, an ideology filtered out).</summary>
    public int Skipped { get; set; }
    public int Alerts { get; set; }
    public string? CheckpointBefore { get; set; }
    public string? CheckpointAfter { get; set; }
    public string? Error { get; set; }
    public string? Notes { get; set; }
}

public static class FeedbackStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>
/// An opinion owed to a partner about one of its items, from a human decision; sent in batches with retries. A sender claims
/// a batch (<see cref="LeaseOwner"/>, <see cref="LeaseUntil"/>) before it calls the partner, so two processes never send the
/// same opinion at once.
/// </summary>
public sealed class ExchangeFeedbackRow
{
    public long Id { get; set; }
    public required string Exchange { get; set; }
    public required string ItemId { get; set; }
    public required string Opinion { get; set; }
    public long? ReviewCaseId { get; set; }
    public string? DecidedBy { get; set; }
    public string Status { get; set; } = FeedbackStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>The sender that claimed this opinion for one batch, and until when: another process skips it meanwhile.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}

/// <summary>A bank published as a signed, labelled exchange that other Bulwark instances pull.</summary>
public sealed class ExchangePublicationRow
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Bank { get; set; }
    public string LabelsJson { get; set; } = "[]";
    public string? Description { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
}

internal sealed class ExchangeStateConfiguration : IEntityTypeConfiguration<ExchangeStateRow>
{
    public void Configure(EntityTypeBuilder<ExchangeStateRow> e)
    {
        e.ToTable("exchange_states");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Checkpoint).HasMaxLength(4000);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.StatusReason).HasMaxLength(1000);
        e.Property(x => x.StatusBy).HasMaxLength(200);
        e.Property(x => x.LastError).HasMaxLength(2000);
    }
}

internal sealed class ExchangeItemConfiguration : IEntityTypeConfiguration<ExchangeItemRow>
{
    public void Configure(EntityTypeBuilder<ExchangeItemRow> e)
    {
        e.ToTable("exchange_items");
        // One row per (partner, item, signal type): a repeated page or checkpoint updates, never duplicates.
        e.HasIndex(x => new { x.Exchange, x.ItemId, x.SignalType }).IsUnique();
        e.HasIndex(x => x.BankEntryId);
        e.Property(x => x.Exchange).HasMaxLength(64);
        e.Property(x => x.ItemId).HasMaxLength(200);
        e.Property(x => x.SignalType).HasMaxLength(32);
    }
}

internal sealed class ExchangeAlertConfiguration : IEntityTypeConfiguration<ExchangeAlertRow>
{
    public void Configure(EntityTypeBuilder<ExchangeAlertRow> e)
    {
        e.ToTable("exchange_alerts");
        e.HasIndex(x => new { x.Exchange, x.AlertId }).IsUnique();
        e.HasIndex(x => x.ContentId);
        e.Property(x => x.Exchange).HasMaxLength(64);
        e.Property(x => x.AlertId).HasMaxLength(200);
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.Group).HasMaxLength(500);
        e.Property(x => x.Tier).HasMaxLength(32);
        e.Property(x => x.ContentId).HasMaxLength(128);
    }
}

internal sealed class ExchangeFetchConfiguration : IEntityTypeConfiguration<ExchangeFetchRow>
{
    public void Configure(EntityTypeBuilder<ExchangeFetchRow> e)
    {
        e.ToTable("exchange_fetches");
        e.HasIndex(x => new { x.Exchange, x.Id });
        e.Property(x => x.Exchange).HasMaxLength(64);
        e.Property(x => x.Outcome).HasMaxLength(16);
        e.Property(x => x.CheckpointBefore).HasMaxLength(4000);
        e.Property(x => x.CheckpointAfter).HasMaxLength(4000);
        e.Property(x => x.Error).HasMaxLength(2000);
        e.Property(x => x.Notes).HasMaxLength(4000);
    }
}

internal sealed class ExchangeFeedbackConfiguration : IEntityTypeConfiguration<ExchangeFeedbackRow>
{
    public void Configure(EntityTypeBuilder<ExchangeFeedbackRow> e)
    {
        e.ToTable("exchange_feedback");
        // One opinion per item per case: deciding the same case again (a replay) records nothing new.
        e.HasIndex(x => new { x.Exchange, x.ItemId, x.ReviewCaseId }).IsUnique();
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.Property(x => x.Exchange).HasMaxLength(64);
        e.Property(x => x.ItemId).HasMaxLength(200);
        e.Property(x => x.Opinion).HasMaxLength(32);
        e.Property(x => x.DecidedBy).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.LastError).HasMaxLength(2000);
        e.Property(x => x.LeaseOwner).HasMaxLength(64);
    }
}

internal sealed class ExchangePublicationConfiguration : IEntityTypeConfiguration<ExchangePublicationRow>
{
    public void Configure(EntityTypeBuilder<ExchangePublicationRow> e)
    {
        e.ToTable("exchange_publications");
        e.HasIndex(x => x.Name).IsUnique();
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Bank).HasMaxLength(128);
        e.Property(x => x.Description).HasMaxLength(1000);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
    }
}
