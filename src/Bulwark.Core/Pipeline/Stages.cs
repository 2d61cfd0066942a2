using Bulwark.Core.Ingest;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Pipeline;

// The seams later detectors, rules and actions plug into. A stage handler must be idempotent: an item can be delivered again
// after a crash, and its results are only kept when the whole item commits.

/// <summary>Adds signals (hash matches, entity mentions, classifier scores…) to the context.</summary>
public interface ISignalExtractor
{
    string Name { get; }
    ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct);
}

/// <summary>Turns the signals into one decision.</summary>
public interface IPolicyDecider
{
    ValueTask<Decision> DecideAsync(PipelineContext context, CancellationToken ct);
}

/// <summary>Carries a decision out (enforcement, review queue, referral). Runs after the decision is made, before it commits.</summary>
public interface IActionStage
{
    string Name { get; }
    ValueTask<StageResult> ActAsync(PipelineContext context, Decision decision, CancellationToken ct);
}

/// <summary>
/// A stage (extractor, decider, action) that reads the database for what it needs about every item of a claimed batch at
/// once, before any item runs: one query per kind of fact for the whole batch instead of one per item. It stores what it
/// read on each item's context (<see cref="PipelineContext.Prepare{T}"/>); the stage then reads it from there and falls
/// back to its own per-item query when an item was not prepared (a stage called outside the processor).
/// Reads the committed state as the per-item query would have at the batch's start; what the batch itself will write is
/// not visible to it, exactly as with per-item reads (the restriction writer's commit corrects for that: <c>RestrictionWriter.WritePipelineBatchAsync</c>).
/// </summary>
public interface IBatchPreparation
{
    string Name { get; }
    Task PrepareAsync(IReadOnlyList<PipelineContext> batch, CancellationToken ct);
}

/// <summary>A stage's result: failures say whether they may be retried; the queue listener owns the retries and dead letters.</summary>
public readonly record struct StageResult(bool Ok, bool Retryable, string? Error)
{
    public static StageResult Success => new(true, false, null);
    public static StageResult Transient(string error) => new(false, true, error);
    public static StageResult Permanent(string error) => new(false, false, error);
}

public sealed class PipelineContext(long versionId, string contentId, int version, ContentEvent contentEvent)
{
    public long VersionId { get; } = versionId;
    public string ContentId { get; } = contentId;
    public int Version { get; } = version;
    public ContentEvent Event { get; } = contentEvent;
    public List<Signal> Signals { get; } = [];

    // Written by batch preparations before any stage runs on the item, only read afterwards.
    private Dictionary<Type, object>? _prepared;

    /// <summary>Stores what a batch preparation read for this item (one value per type).</summary>
    public void Prepare<T>(T value) where T : class => (_prepared ??= [])[typeof(T)] = value;

    /// <summary>What a batch preparation stored for this item, or null when the item was not prepared.</summary>
    public T? Prepared<T>() where T : class => _prepared is not null && _prepared.TryGetValue(typeof(T), out var v) ? (T)v : null;
}

/// <summary>
/// What should happen to a content version, with the reasons: the policy, the enforced actions, the rules that fired with
/// the inputs they read, the exception applied if any, and what shadow rules would have done (recorded, never acted on).
/// </summary>
public sealed record Decision(string Outcome, string? Queue, string Explanation, IReadOnlyList<string> Rules, bool Automated)
{
    public string? Policy { get; init; }
    /// <summary>Review or escalation priority: <c>high</c>, <c>normal</c> or <c>low</c>.</summary>
    public string? Priority { get; init; }
    public IReadOnlyList<DecisionAction> Actions { get; init; } = [];
    public IReadOnlyList<FiredRule> Fired { get; init; } = [];
    /// <summary>The exception (Art. 1(3) Reg. 2021/784) that stopped a restriction, e.g. <c>news-documentary</c>.</summary>
    public string? Exception { get; init; }
    public IReadOnlyList<ShadowOutcome> Shadow { get; init; } = [];
    /// <summary>The SHA-256 of the rule set that decided (see <c>RuleSet.Hash</c>).</summary>
    public string? RuleSet { get; init; }
}

/// <summary>An action the decision enforces: a <c>PlatformAction</c> kind (<c>content.remove</c>, <c>account.strike</c>…) and its parameters.</summary>
public sealed record DecisionAction(string Kind, string TargetType, string TargetId, string? Policy, IReadOnlyDictionary<string, string>? Details = null);

/// <summary>A rule whose condition held: its mode, the outcomes it named, the exception that applied, and the inputs it read.</summary>
public sealed record FiredRule(string Rule, string Policy, string Mode, IReadOnlyList<string> Outcomes, string? Exception, IReadOnlyList<string> Inputs);

/// <summary>What a shadow rule would have done.</summary>
public sealed record ShadowOutcome(string Rule, string Policy, IReadOnlyList<string> Outcomes, string? Exception);

public static class Outcomes
{
    public const string NoAction = "no_action";
    /// <summary>Only account-level or soft content measures (label, age restriction, exclusion from recommendations, regions).</summary>
    public const string Restrict = "restrict";
    public const string Review = "review";
    public const string Remove = "remove";
    /// <summary>Urgent human escalation, e.g. a credible threat to life.</summary>
    public const string Escalate = "escalate";

    /// <summary>Severity order used to pick a decision's outcome when several rules fire.</summary>
    public static int Rank(string outcome) => outcome switch
    {
        Escalate => 4, Remove => 3, Review => 2, Restrict => 1, _ => 0,
    };
}
