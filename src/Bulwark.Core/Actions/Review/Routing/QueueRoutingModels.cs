using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions.Review.Routing;

/// <summary>
/// A stored version of the queues defined in the console: every such queue, whole, as JSON. The newest row is in force; older
/// rows are the history (who changed what, when and why).
/// </summary>
public sealed class QueueVersionRow
{
    public long Id { get; set; }
    /// <summary>Every console-defined queue at this version (<see cref="QueueDefinition"/>[]).</summary>
    public required string Json { get; set; }
    /// <summary>The queue this version changed.</summary>
    public required string Queue { get; set; }
    /// <summary>What changed, in words (<c>sla 60 → 30 min; roles …</c>).</summary>
    public required string Change { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class QueueVersionRowConfiguration : IEntityTypeConfiguration<QueueVersionRow>
{
    public void Configure(EntityTypeBuilder<QueueVersionRow> e)
    {
        e.ToTable("review_queue_versions");
        e.Property(x => x.Queue).HasMaxLength(40);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
    }
}

/// <summary>One queue as a policy admin defines it in the console; every field set (the form starts from the settings in force).</summary>
public sealed record QueueDefinition(
    string Name, string? DisplayName, int SlaMinutes, IReadOnlyList<string> Roles, int Order, IReadOnlyList<string>? AllowedActions,
    bool RestrictOnEscalation, bool Retired)
{
    public QueueSettings ToSettings() => new(Name, SlaMinutes, Roles, Order, RestrictOnEscalation, AllowedActions, DisplayName, Retired);

    public static QueueDefinition From(QueueSettings s) =>
        new(s.Name, s.DisplayName, s.SlaMinutes, s.Roles, s.Order, s.AllowedActions, s.RestrictOnEscalation, s.Retired);
}

/// <summary>What a change does, shown before it is saved: each field before and after, and its effect on open cases and rules.</summary>
public sealed record QueueChangePreview(
    string Queue, bool Creates, IReadOnlyList<QueueFieldChange> Fields, int OpenCases, int OpenCasesLosingWorkers,
    IReadOnlyList<string> RoutingRules, IReadOnlyList<string> Notes)
{
    public bool Changes => Creates || Fields.Count > 0;
}

public sealed record QueueFieldChange(string Field, string Before, string After);

/// <summary>A rule that sends items to review, and the queue it names.</summary>
public sealed record RoutingRule(string Rule, string File, string Policy, string Mode, string Queue, string? Priority);

/// <summary>What a routing change does: the rule's queue before and after, and the open cases that stay where they are.</summary>
/// <param name="RuleSet">The hash of the rule set the preview was made on; saving with it refuses if the rules changed since.</param>
public sealed record RouteChangePreview(string Rule, string Before, string After, string Mode, int OpenCasesInBefore, bool TargetIsKnown, string? RuleSet = null);

/// <summary>
/// What restoring a stored queue version does: the queues it puts back (each as a queue change: fields before and after),
/// and the queues defined since, which are kept as they are. <see cref="BasedOn"/> is the version in force when previewed.
/// </summary>
public sealed record QueueRestorePreview(long Version, string VersionBy, DateTimeOffset VersionAt, long BasedOn,
    IReadOnlyList<QueueChangePreview> Changes, IReadOnlyList<string> Kept);

/// <summary>One stored version, for the history list.</summary>
public sealed record QueueVersion(long Id, string Queue, string Change, string Reason, string CreatedBy, DateTimeOffset CreatedAt);
