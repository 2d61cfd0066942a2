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
}

/// <summary>What should happen to a content version, with the reasons.</summary>
public sealed record Decision(string Outcome, string? Queue, string Explanation, IReadOnlyList<string> Rules, bool Automated);

public static class Outcomes
{
    public const string NoAction = "no_action";
    public const string Review = "review";
    public const string Remove = "remove";
}
