using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// A receiver of actions. <see cref="Cursor"/> is the last action id already fanned out to it: actions after the cursor get a
/// delivery row, so a subscription created later receives only what happens after it (unless created with history).
/// </summary>
public sealed class WebhookSubscriptionRow
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    /// <summary>The HMAC secret, encrypted with the Data Protection key ring (a database dump alone does not reveal it).</summary>
    public required string SecretProtected { get; set; }
    /// <summary>Comma-separated action kinds (<c>content.remove</c>) or prefixes (<c>account.*</c>); empty means every kind.</summary>
    public string Kinds { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public long Cursor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>One action for one subscription, with its attempts. Claimed with a lease so a crashed sender's work comes back.</summary>
public sealed class WebhookDeliveryRow
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public long ActionId { get; set; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    /// <summary>Every attempt since the delivery was created; a re-send from the dead letters continues the count.</summary>
    public int Attempts { get; set; }
    /// <summary>
    /// <see cref="Attempts"/> when the delivery was last re-sent from the dead letters (0 before): the current round's
    /// attempts are <c>Attempts - RoundStartedAt</c>, which is what <see cref="WebhookOptions.MaxAttempts"/> limits.
    /// </summary>
    public int RoundStartedAt { get; set; }
    /// <summary>How many times a person re-sent the delivery from the dead letters.</summary>
    public int Retries { get; set; }
    /// <summary>Unix milliseconds; compared in hand-written SQL on both providers.</summary>
    public long NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? DeadAt { get; set; }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscriptionRow>
{
    public void Configure(EntityTypeBuilder<WebhookSubscriptionRow> e)
    {
        e.ToTable("webhook_subscriptions");
        e.HasIndex(x => x.Name).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Url).HasMaxLength(2000);
        e.Property(x => x.Kinds).HasMaxLength(2000);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryRow>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryRow> e)
    {
        e.ToTable("webhook_deliveries");
        // One delivery per (subscription, action): a fan-out that runs twice cannot send an action twice on its own.
        e.HasIndex(x => new { x.SubscriptionId, x.ActionId }).IsUnique();
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.LeaseOwner).HasMaxLength(200);
        e.HasOne<WebhookSubscriptionRow>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ActionRow>().WithMany().HasForeignKey(x => x.ActionId).OnDelete(DeleteBehavior.Restrict);
    }
}
