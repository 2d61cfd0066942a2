using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// Every restriction the pipeline enforces gets a statement of reasons (<c>bulwark-d{decisionId}</c>) in the decision's own
/// transaction, built by <see cref="RestrictionStatements"/> from the catalogue the decision was made with. A statement
/// that cannot be made valid is logged as an error instead of failing the commit: the restriction and its delivery must
/// not wait for a text problem, and the error names the decision so the statement can be recorded once it is fixed.
/// </summary>
public sealed class StatementOfReasonsEffect(
    StatementOfReasonsService statements, PolicyStore store, EnforcementOptions enforcement, TimeProvider clock,
    ILogger<StatementOfReasonsEffect>? logger = null) : IDecisionEffect
{
    private readonly ILogger _log = logger ?? NullLogger<StatementOfReasonsEffect>.Instance;

    public static string PuidOf(long decisionId) => $"bulwark-d{decisionId}";

    public void Apply(BulwarkDbContext db, PipelineContext context, Decision decision, long decisionId)
    {
        if (decision.Actions.Count == 0 || decision.Policy is not { } policy) return;
        var facts = new RestrictionFacts(decisionId, PuidOf(decisionId), policy, decision.Actions, context.Event, decision.Explanation, decision.Rules,
            DecisionPath.Pipeline, clock.GetUtcNow(), []);
        var input = RestrictionStatements.InputFor(facts, store.CatalogueInForce(), clock.GetUtcNow(), enforcement.SuspensionDays);
        if (input is null) return;
        var (_, errors, _) = RestrictionStatements.Record(statements, db, input, facts);
        if (errors.Count > 0)
            _log.LogError("No statement of reasons for decision {DecisionId} ({Policy}): {Errors}", decisionId, policy,
                string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
    }
}
