using System.Text.Json;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions;

/// <summary>
/// A platform action waiting for, or done with, delivery. <see cref="Id"/> is the pull feed's cursor order; the unique
/// <see cref="IdempotencyKey"/> keeps one row per cause, however often the cause is replayed.
/// </summary>
public sealed class ActionRow
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public string? Policy { get; set; }
    public long? DecisionId { get; set; }
    public required string IdempotencyKey { get; set; }
    public string DetailsJson { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ActionRowConfiguration : IEntityTypeConfiguration<ActionRow>
{
    public void Configure(EntityTypeBuilder<ActionRow> e)
    {
        e.ToTable("actions");
        e.HasIndex(x => x.IdempotencyKey).IsUnique();
        e.HasIndex(x => new { x.TargetType, x.TargetId });
        e.Property(x => x.Kind).HasMaxLength(64);
        e.Property(x => x.TargetType).HasMaxLength(16);
        e.Property(x => x.TargetId).HasMaxLength(128);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.IdempotencyKey).HasMaxLength(200);
    }
}

/// <summary>
/// The database outbox: an action is a row added to the caller's unit of work, so it commits with the decision that caused
/// it. A key already pending in the same unit of work is not added twice; a key already committed makes the unique index
/// reject the transaction, which the caller treats as "already done" (the pipeline settles such conflicts item by item).
/// </summary>
public sealed class ActionOutbox(TimeProvider time) : IActionOutbox
{
    public const int MaxKeyLength = 200;
    /// <summary>Events about a removal order (due soon, breached; issue 18): not a measure, delivered so legal officers' tools hear of them.</summary>
    public const string RemovalOrderTarget = "removal_order";

    public void Enqueue(BulwarkDbContext db, PlatformAction action)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(action);
        if (string.IsNullOrWhiteSpace(action.IdempotencyKey) || action.IdempotencyKey.Length > MaxKeyLength)
            throw new ArgumentException($"An action's idempotency key must be 1–{MaxKeyLength} characters.", nameof(action));
        if (action.TargetType is not ("content" or "account" or RemovalOrderTarget))
            throw new ArgumentException($"Unknown action target type '{action.TargetType}': expected 'content', 'account' or '{RemovalOrderTarget}'.", nameof(action));
        if (db.ChangeTracker.Entries<ActionRow>().Any(r => r.Entity.IdempotencyKey == action.IdempotencyKey)) return;
        db.Set<ActionRow>().Add(new ActionRow
        {
            Kind = action.Kind,
            TargetType = action.TargetType,
            TargetId = action.TargetId,
            Policy = action.Policy,
            DecisionId = action.DecisionId,
            IdempotencyKey = action.IdempotencyKey,
            DetailsJson = JsonSerializer.Serialize(action.Details ?? new Dictionary<string, string>()),
            CreatedAt = time.GetUtcNow(),
        });
    }
}
