using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Policy;

/// <summary>
/// The decision mapping until the rules engine exists: an exact match against a hash list sends the item to human review;
/// no signal means no action. Nothing is removed automatically by this mapping.
/// </summary>
public sealed class DefaultDecisionPolicy : IPolicyDecider
{
    public const string KnownContentQueue = "known-content";

    public ValueTask<Decision> DecideAsync(PipelineContext context, CancellationToken ct)
    {
        var matches = context.Signals.Where(s => s.Type == SignalTypes.HashMatch).ToList();
        if (matches.Count > 0)
            return ValueTask.FromResult(new Decision(
                Outcomes.Review, KnownContentQueue,
                $"Sent to review: {matches.Count} hash-list match(es). " + string.Join(" ", matches.Select(m => m.Explanation + ".")),
                ["default.exact-match-review"], Automated: true));
        var unavailable = context.Signals.Count(s => s.Type == SignalTypes.MediaUnavailable);
        return ValueTask.FromResult(new Decision(
            Outcomes.NoAction, null,
            unavailable > 0 ? $"No match found; {unavailable} media file(s) could not be checked." : "No signal found.",
            ["default.no-signal"], Automated: true));
    }
}
