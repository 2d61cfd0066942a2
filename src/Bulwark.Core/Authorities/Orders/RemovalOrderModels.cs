using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Authorities.Orders;

/// <summary><c>Bulwark:Authorities:Orders</c>: how removal orders (Reg. 2021/784 Art. 3) are executed and timed.</summary>
public sealed class RemovalOrderOptions
{
    public const string Section = "Bulwark:Authorities:Orders";

    /// <summary><c>true</c> (default): the named content is disabled at receipt. <c>false</c>: a legal officer confirms within the hour.</summary>
    public bool ExecuteOnReceipt { get; set; } = true;
    /// <summary>Art. 3(3): one hour from receipt.</summary>
    [Range(1, 1440)] public int DeadlineMinutes { get; set; } = 60;
    /// <summary>When legal officers are alerted (console banner, <c>authority.removal_order.due_soon</c> webhook event).</summary>
    [Range(1, 1440)] public int AlertAfterMinutes { get; set; } = 45;
    /// <summary>Art. 4(7): content found to infringe is reinstated within 24 hours of the scrutiny decision.</summary>
    [Range(1, 168)] public int ReinstateWithinHours { get; set; } = 24;
    /// <summary>How often the clock job runs (alerts, breaches, deferred notices, matching content that arrived, sending forms).</summary>
    [Range(1, 3600)] public int TickSeconds { get; set; } = 5;
    /// <summary>How long an executor holds a pending item it claimed; after that (it crashed) another process may execute it.</summary>
    [Range(5, 3600)] public int ClaimSeconds { get; set; } = 120;
    /// <summary>Platform URL templates with <c>{id}</c> for the content id, e.g. <c>https://video.example/watch/{id}</c>: an order's URL is matched to content through them.</summary>
    public List<string> ContentUrlTemplates { get; set; } = [];
    /// <summary>The policy an order's Art. 2(7) ground is recorded under (the statement of reasons names it).</summary>
    public Dictionary<string, string> PolicyByGround { get; set; } = new(StringComparer.Ordinal)
    {
        [Grounds.Incitement] = "VE-GLORIFY", [Grounds.Solicitation] = "VE-DOI", [Grounds.Participation] = "VE-DOI",
        [Grounds.Instruction] = "VE-INSTRUCT", [Grounds.Threat] = "VE-THREAT",
    };
    [Range(1, 10000)] public int MaxItems { get; set; } = 1000;
    /// <summary>The hosting service provider's name on the Annex II and III forms.</summary>
    [Required, MinLength(1)] public string ServiceProviderName { get; set; } = "the hosting service provider (set Bulwark:Authorities:Orders:ServiceProviderName)";
}

/// <summary>The grounds of Art. 2(7) of Reg. 2021/784 (what makes the material terrorist content).</summary>
public static class Grounds
{
    /// <summary>(a) incites the commission of a terrorist offence, e.g. by glorifying terrorist acts.</summary>
    public const string Incitement = "incitement";
    /// <summary>(b) solicits a person or group to commit or contribute to a terrorist offence.</summary>
    public const string Solicitation = "solicitation";
    /// <summary>(c) solicits a person or group to participate in the activities of a terrorist group.</summary>
    public const string Participation = "participation";
    /// <summary>(d) provides instruction on making or using explosives, weapons or other methods for a terrorist offence.</summary>
    public const string Instruction = "instruction";
    /// <summary>(e) constitutes a threat to commit a terrorist offence.</summary>
    public const string Threat = "threat";
    public static readonly IReadOnlyList<string> All = [Incitement, Solicitation, Participation, Instruction, Threat];
    public static string Letter(string ground) => ground switch
    {
        Incitement => "a", Solicitation => "b", Participation => "c", Instruction => "d", Threat => "e", _ => "?",
    };
}

/// <summary>Annex III grounds for not executing an order (Art. 3(7) and 3(8)).</summary>
public static class ImpossibilityGrounds
{
    public const string ForceMajeure = "force_majeure";
    public const string DeFactoImpossibility = "de_facto_impossibility";
    public const string ManifestErrors = "manifest_errors";
    public const string InsufficientInformation = "insufficient_information";
    public static readonly IReadOnlyList<string> All = [ForceMajeure, DeFactoImpossibility, ManifestErrors, InsufficientInformation];
}

/// <summary>
/// An order's state. <c>received → executed</c> (every item disabled or already gone), <c>received → partially_executed</c>
/// (some items wait for their content), <c>received|partially_executed → not_executed</c> (Annex III filed),
/// <c>executed|partially_executed → reinstated</c> (scrutiny found the order infringing, Art. 4(7)). Anything else is refused.
/// </summary>
public static class OrderStatus
{
    public const string Received = "received";
    public const string PartiallyExecuted = "partially_executed";
    public const string Executed = "executed";
    public const string NotExecuted = "not_executed";
    public const string Reinstated = "reinstated";
    public static bool IsOpen(string s) => s is Received or PartiallyExecuted;
}

public static class ItemStatus
{
    /// <summary>No content of the platform matches yet; matched when it arrives or a legal officer names it.</summary>
    public const string Unmatched = "unmatched";
    /// <summary>Matched; waits for execution (or a legal officer's confirmation).</summary>
    public const string Pending = "pending";
    public const string Executed = "executed";
    /// <summary>The content was already removed by an earlier decision: nothing is done twice.</summary>
    public const string AlreadyRemoved = "already_removed";
    public const string NotExecuted = "not_executed";
    public const string Reinstated = "reinstated";
}

/// <summary>A removal order as received (Annex I fields), its clock and its answers.</summary>
public sealed class RemovalOrderRow
{
    public long Id { get; set; }
    public required string Reference { get; set; }
    public required string AuthorityId { get; set; }
    public required string MemberState { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    /// <summary>Recorded from the server's clock; starts the one-hour clock.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public required string ReceivedBy { get; set; }
    public required string Ground { get; set; }
    public string? LegalBasis { get; set; }
    public required string Reasons { get; set; }
    public DateTimeOffset? DeferInformingUntil { get; set; }
    public bool CrossBorder { get; set; }
    public string? FeedbackContact { get; set; }
    /// <summary>Whether execution waits for a legal officer (copied from the options at receipt).</summary>
    public bool NeedsConfirmation { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset? ExecutedAt { get; set; }
    public string? ConfirmedBy { get; set; }
    public DateTimeOffset? AlertedAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }
    public string? BreachCause { get; set; }
    /// <summary>Annex II as JSON, once every item is executed (or the order reinstated).</summary>
    public string? FeedbackJson { get; set; }
    public DateTimeOffset? FeedbackSentAt { get; set; }
    public string? FeedbackDelivery { get; set; }
    public string? ImpossibleGround { get; set; }
    public string? ImpossibleReasons { get; set; }
    /// <summary>Annex III as JSON.</summary>
    public string? AnnexIIIJson { get; set; }
    public DateTimeOffset? AnnexIIISentAt { get; set; }
    public string? AnnexIIIDelivery { get; set; }
    public DateTimeOffset? ProviderInformedAt { get; set; }
    /// <summary>Art. 4 scrutiny: <c>upheld</c> or <c>infringes</c>.</summary>
    public string? ScrutinyOutcome { get; set; }
    public string? ScrutinyBy { get; set; }
    public string? ScrutinyNote { get; set; }
    public DateTimeOffset? ScrutinyAt { get; set; }
    public DateTimeOffset? ReinstateDueAt { get; set; }
    public DateTimeOffset? ReinstatedAt { get; set; }
    public DateTimeOffset? AuthorityInformedOfReinstatementAt { get; set; }
}

/// <summary>One item an order names: a content id or a URL, matched to the platform's content.</summary>
public sealed class RemovalOrderItemRow
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    /// <summary><c>content</c> (a content id) or <c>url</c>.</summary>
    public required string Kind { get; set; }
    public required string Value { get; set; }
    public string? ContentId { get; set; }
    public required string Status { get; set; }
    public long? DecisionId { get; set; }
    public DateTimeOffset? MatchedAt { get; set; }
    public DateTimeOffset? ExecutedAt { get; set; }
    public DateTimeOffset? ReinstatedAt { get; set; }
    public string? Note { get; set; }
    /// <summary>The executor (process) that claimed the pending item to execute it, until <see cref="ClaimedUntil"/>: one execution across processes.</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
}

internal sealed class RemovalOrderRowConfiguration : IEntityTypeConfiguration<RemovalOrderRow>
{
    public void Configure(EntityTypeBuilder<RemovalOrderRow> e)
    {
        e.ToTable("removal_orders");
        // The same reference from the same authority is one order, however often it is sent.
        e.HasIndex(x => new { x.AuthorityId, x.Reference }).IsUnique();
        e.HasIndex(x => new { x.Status, x.DueAt });
        e.HasIndex(x => x.ReceivedAt);
        e.Property(x => x.Reference).HasMaxLength(200);
        e.Property(x => x.AuthorityId).HasMaxLength(64);
        e.Property(x => x.MemberState).HasMaxLength(2);
        e.Property(x => x.ReceivedBy).HasMaxLength(200);
        e.Property(x => x.Ground).HasMaxLength(32);
        e.Property(x => x.LegalBasis).HasMaxLength(1000);
        e.Property(x => x.FeedbackContact).HasMaxLength(500);
        e.Property(x => x.Status).HasMaxLength(32);
        e.Property(x => x.ConfirmedBy).HasMaxLength(200);
        e.Property(x => x.BreachCause).HasMaxLength(1000);
        e.Property(x => x.FeedbackDelivery).HasMaxLength(1000);
        e.Property(x => x.ImpossibleGround).HasMaxLength(32);
        e.Property(x => x.AnnexIIIDelivery).HasMaxLength(1000);
        e.Property(x => x.ScrutinyOutcome).HasMaxLength(16);
        e.Property(x => x.ScrutinyBy).HasMaxLength(200);
    }
}

internal sealed class RemovalOrderItemRowConfiguration : IEntityTypeConfiguration<RemovalOrderItemRow>
{
    public void Configure(EntityTypeBuilder<RemovalOrderItemRow> e)
    {
        e.ToTable("removal_order_items");
        e.HasIndex(x => x.OrderId);
        e.HasIndex(x => new { x.Status, x.ContentId });
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Value).HasMaxLength(2048);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.Status).HasMaxLength(32);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.ClaimedBy).HasMaxLength(100);
    }
}

/// <summary>An order as received: the Annex I fields the API and the console form take.</summary>
public sealed record RemovalOrderInput
{
    public string? Reference { get; init; }
    /// <summary>The registry id of the issuing authority.</summary>
    public string? Authority { get; init; }
    public string? MemberState { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public IReadOnlyList<string>? ContentIds { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    /// <summary>One of <see cref="Grounds.All"/> (Art. 2(7)).</summary>
    public string? Ground { get; init; }
    public string? LegalBasis { get; init; }
    public string? Reasons { get; init; }
    public DateTimeOffset? DeferInformingUntil { get; init; }
    public bool? CrossBorder { get; init; }
    /// <summary>The authority's contact point for feedback (Annex I section on contact details).</summary>
    public string? FeedbackContact { get; init; }
}

public sealed record RemovalOrderItemView(long Id, string Kind, string Value, string? ContentId, string Status, long? DecisionId,
    DateTimeOffset? ExecutedAt, DateTimeOffset? ReinstatedAt, string? Note);

/// <summary>An order as the API, CLI and console show it. <see cref="Feedback"/> is the Annex II content once executed.</summary>
public sealed record RemovalOrderView(
    long Id, string Reference, string Authority, string AuthorityName, string MemberState, DateTimeOffset IssuedAt, DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt, string Status, DateTimeOffset? ExecutedAt, string Ground, string? LegalBasis, string Reasons,
    DateTimeOffset? DeferInformingUntil, bool CrossBorder, string? FeedbackContact, bool NeedsConfirmation, string? ConfirmedBy,
    DateTimeOffset? AlertedAt, DateTimeOffset? BreachedAt, string? BreachCause, System.Text.Json.JsonElement? Feedback,
    DateTimeOffset? FeedbackSentAt, string? FeedbackDelivery, System.Text.Json.JsonElement? AnnexIII, DateTimeOffset? AnnexIIISentAt,
    string? AnnexIIIDelivery, DateTimeOffset? ProviderInformedAt, string? ScrutinyOutcome, DateTimeOffset? ScrutinyAt,
    DateTimeOffset? ReinstateDueAt, DateTimeOffset? ReinstatedAt, string ReceivedBy, IReadOnlyList<RemovalOrderItemView> Items)
{
    /// <summary>Seconds left on the one-hour clock at <paramref name="now"/> (negative once due); null once the order is closed.</summary>
    public double? SecondsLeft(DateTimeOffset now) => OrderStatus.IsOpen(Status) ? (DueAt - now).TotalSeconds : null;
}

public enum OrderError { None, Invalid, NotFound, Duplicate, Conflict }

/// <summary>A result: the order, or why not (field errors for <see cref="OrderError.Invalid"/>, a message otherwise).</summary>
public sealed record OrderResult(RemovalOrderView? Value, OrderError Error, string? Message, IReadOnlyList<Ingest.FieldError> Errors)
{
    public static OrderResult Ok(RemovalOrderView v) => new(v, OrderError.None, null, []);
    public static OrderResult Fail(OrderError e, string message, RemovalOrderView? existing = null) => new(existing, e, message, []);
    public static OrderResult Invalid(IReadOnlyList<Ingest.FieldError> errors) => new(null, OrderError.Invalid, null, errors);
}
