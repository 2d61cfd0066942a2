using Bulwark.Core.Actions;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;

namespace Bulwark.Core.Policy.Enforcement;

/// <summary>
/// Carries a decision's enforced actions into the outbox and records its strikes, in the decision's own transaction.
/// Idempotency keys and strike cause keys derive from the content version, so a redelivered event cannot act or strike
/// twice (the unique decision per version stops it first; the unique keys stop it even if that changed).
/// Shadow outcomes never reach here: they are only recorded on the decision.
/// </summary>
public sealed class EnforcementEffect(IActionOutbox outbox, EnforcementService enforcement) : IDecisionEffect
{
    public void Apply(BulwarkDbContext db, PipelineContext context, Decision decision, long decisionId)
    {
        if (decision.Actions.Count == 0) return;
        foreach (var a in decision.Actions)
        {
            var details = new Dictionary<string, string>(a.Details ?? new Dictionary<string, string>())
            {
                ["contentId"] = context.ContentId,
                ["contentVersion"] = context.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            outbox.Enqueue(db, new PlatformAction(a.Kind, a.TargetType, a.TargetId, a.Policy, decisionId, KeyOf(context.VersionId, a), details));
        }
        enforcement.AddStrikes(db, context.VersionId, decisionId, decision.Actions);
    }

    public static string KeyOf(long versionId, DecisionAction a) =>
        a.Kind == "account.strike" ? $"cv{versionId}:{a.Kind}:{a.Policy}" : $"cv{versionId}:{a.Kind}";
}
