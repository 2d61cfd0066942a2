using System.ComponentModel.DataAnnotations;
using Bulwark.Core.Security;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// <c>Bulwark:Review</c>: claims, QA sampling, bulk limits, wellness defaults and the queues. A queue named by a rule but not
/// configured still works, with <see cref="DefaultSlaMinutes"/> and the ordinary deciders.
/// </summary>
public sealed class ReviewOptions : IValidatableObject
{
    public const string Section = "Bulwark:Review";

    /// <summary>How long a claim lasts unless renewed; an expired claim frees the case for others.</summary>
    [Range(1, 480)] public int ClaimMinutes { get; set; } = 15;
    /// <summary>Share of decided cases that get a blind second review in queue <c>qa</c>.</summary>
    [Range(0.0, 1.0)] public double QaSampleRate { get; set; } = 0.05;
    /// <summary>SLA of a queue without its own setting.</summary>
    [Range(1, 100_000)] public int DefaultSlaMinutes { get; set; } = 24 * 60;
    /// <summary>Most cases one bulk decision may cover.</summary>
    [Range(1, 10_000)] public int MaxBulkCases { get; set; } = 1000;
    /// <summary>Organisation defaults for media: blurred and greyscale until revealed.</summary>
    public bool BlurMedia { get; set; } = true;
    public bool GreyscaleMedia { get; set; } = true;
    /// <summary>Remind a reviewer to take a break after this much continuous review.</summary>
    [Range(5, 24 * 60)] public int BreakReminderMinutes { get; set; } = 90;
    /// <summary>A gap in activity at least this long counts as a break (ends the continuous stretch).</summary>
    [Range(1, 24 * 60)] public int PauseMinutes { get; set; } = 10;
    /// <summary>Per-queue settings, by queue name; each field overrides the built-in default of that queue.</summary>
    public Dictionary<string, ReviewQueueOptions> Queues { get; set; } = new(StringComparer.Ordinal);

    private static readonly string[] Everyone = [ConsoleRoles.Moderator, ConsoleRoles.SeniorModerator, ConsoleRoles.LegalOfficer];
    private static readonly string[] Senior = [ConsoleRoles.SeniorModerator, ConsoleRoles.LegalOfficer];

    /// <summary>The built-in queues: SLA minutes, who may work them, display order.</summary>
    public static readonly IReadOnlyDictionary<string, QueueSettings> BuiltIn = new Dictionary<string, QueueSettings>(StringComparer.Ordinal)
    {
        ["threat-to-life"] = new("threat-to-life", 15, Senior, 10, RestrictOnEscalation: true),
        // Authority orders: Reg. 2021/784 Art. 3(3) gives one hour from receipt of a removal order.
        ["authority-orders"] = new("authority-orders", 60, Senior, 15),
        ["threat"] = new("threat", 60, Everyone, 20),
        ["doi"] = new("doi", 4 * 60, Everyone, 30),
        ["known-content"] = new("known-content", 4 * 60, Everyone, 40),
        ["glorification"] = new("glorification", 24 * 60, Everyone, 50),
        ["ban-evasion"] = new("ban-evasion", 24 * 60, Everyone, 60),
        // User reports, trusted flaggers' notices and partner alerts that no detector flagged.
        ["notices"] = new("notices", 24 * 60, Everyone, 65),
        ["account-ban"] = new("account-ban", 4 * 60, Senior, 70),
        [ReviewQueues.Appeals] = new(ReviewQueues.Appeals, 24 * 60, Everyone, 80),
        [ReviewQueues.Qa] = new(ReviewQueues.Qa, 72 * 60, Everyone, 90),
        [ReviewQueues.QaDisagreement] = new(ReviewQueues.QaDisagreement, 72 * 60, [ConsoleRoles.SeniorModerator], 100),
    };

    // Queues managed in the console (Routing.QueueRoutingService): the newest stored version, swapped whole when it changes.
    // Not a bindable property, so configuration cannot set it.
    private volatile IReadOnlyDictionary<string, QueueSettings> _managed = new Dictionary<string, QueueSettings>(StringComparer.Ordinal);

    /// <summary>Puts the console's queue settings in force (every queue defined there, whole); called when a version is stored or read.</summary>
    public void UseManagedQueues(IReadOnlyDictionary<string, QueueSettings> managed) => _managed = managed;

    /// <summary>The queues defined in the console, as in force now.</summary>
    public IReadOnlyDictionary<string, QueueSettings> ManagedQueues => _managed;

    /// <summary>
    /// The settings in force for <paramref name="queue"/>: the console's definition (whole) over configuration over the built-in
    /// default over the general default.
    /// </summary>
    public QueueSettings Queue(string queue)
    {
        if (_managed.TryGetValue(queue, out var managed)) return managed;
        return Configured(queue);
    }

    /// <summary>The settings <paramref name="queue"/> would have without the console's definition (configuration and built-in).</summary>
    public QueueSettings Configured(string queue)
    {
        var builtIn = BuiltIn.TryGetValue(queue, out var b) ? b : new QueueSettings(queue, DefaultSlaMinutes, Everyone, 1000);
        if (!Queues.TryGetValue(queue, out var c)) return builtIn;
        return new QueueSettings(queue, c.SlaMinutes ?? builtIn.SlaMinutes, c.Roles is { Length: > 0 } r ? r : builtIn.Roles, c.Order ?? builtIn.Order,
            c.RestrictOnEscalation ?? builtIn.RestrictOnEscalation);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, q) in Queues)
        {
            if (q.SlaMinutes is <= 0 or > 100_000)
                yield return new ValidationResult($"Bulwark:Review:Queues:{name}:SlaMinutes must be between 1 and 100000 minutes.");
            foreach (var role in q.Roles ?? [])
                if (!ConsoleRoles.Deciders.Contains(role, StringComparer.Ordinal))
                    yield return new ValidationResult($"Bulwark:Review:Queues:{name}:Roles names '{role}', which may not decide cases; use {string.Join(", ", ConsoleRoles.Deciders)}.");
        }
    }
}

/// <summary>One queue's configuration; unset fields keep the built-in default.</summary>
public sealed class ReviewQueueOptions
{
    public int? SlaMinutes { get; set; }
    public string[]? Roles { get; set; }
    public int? Order { get; set; }
    /// <summary>Restrict the content at once when a case is escalated here (default: on for threat-to-life, off elsewhere).</summary>
    public bool? RestrictOnEscalation { get; set; }
}

/// <summary>
/// A queue's settings in force. <see cref="RestrictOnEscalation"/>: a decision escalated here restricts the content at once
/// (<c>content.restrict</c>, through the restriction writer) until the reviewer confirms or lifts it.
/// <see cref="AllowedActions"/>: the only actions a decision in this queue may take (null: whatever the policy allows).
/// <see cref="Retired"/>: hidden from the dashboard and refused as an escalation target (set in the console only).
/// </summary>
public sealed record QueueSettings(string Name, int SlaMinutes, IReadOnlyList<string> Roles, int Order, bool RestrictOnEscalation = false,
    IReadOnlyList<string>? AllowedActions = null, string? DisplayName = null, bool Retired = false)
{
    public string Title => DisplayName ?? Name;
    public TimeSpan Sla => TimeSpan.FromMinutes(SlaMinutes);
    public bool MayWork(IReadOnlySet<string> roles) => Roles.Any(roles.Contains);
}
