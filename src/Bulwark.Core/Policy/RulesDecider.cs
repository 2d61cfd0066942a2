using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Policy;

/// <summary>
/// The pipeline's decider: evaluates the active rule set (compiled once per activation) over the item's signals and its
/// account's state, and builds the decision with <see cref="DecisionBuilder"/>. The account facts of a claimed batch are
/// read once for all its accounts (<see cref="PrepareAsync"/>), not once per item.
/// </summary>
public sealed class RulesDecider(PolicyStore store, EnforcementService enforcement) : IPolicyDecider, IBatchPreparation
{
    public string Name => "decider";

    public async Task PrepareAsync(IReadOnlyList<PipelineContext> batch, CancellationToken ct)
    {
        var facts = await enforcement.FactsAsync(batch.Select(c => c.Event.Account?.Id).OfType<string>().ToList(), ct);
        foreach (var context in batch)
            context.Prepare(context.Event.Account?.Id is { Length: > 0 } id ? facts[id] : AccountFacts.None);
    }

    public async ValueTask<Decision> DecideAsync(PipelineContext context, CancellationToken ct)
    {
        var set = await store.GetActiveRulesAsync(ct);
        var accountId = context.Event.Account?.Id;
        var facts = context.Prepared<AccountFacts>() ?? await enforcement.FactsAsync(accountId, ct);
        var input = InputOf(context.Event, context.Signals, facts);
        var hits = new List<RuleHit>();
        set.Evaluate(input, hits);
        return DecisionBuilder.Build(set, hits, input, context.ContentId, accountId, enforcement.Options);
    }

    public static RuleInput InputOf(Ingest.ContentEvent e, IReadOnlyList<Signal> signals, AccountFacts facts) =>
        new(signals, e.Kind, e.Language, e.Region, e.Source?.Type, e.ViewCount ?? 0, facts);
}
