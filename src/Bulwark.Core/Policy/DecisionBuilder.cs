using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;

namespace Bulwark.Core.Policy;

/// <summary>
/// Combines the rules that fired into one decision: the most severe outcome wins (escalate, remove, review, restrict), every
/// enforced action is listed once, strikes are weighted by the catalogue and may cross the suspension or ban threshold,
/// exceptions replace a restriction by the exception's label, and shadow rules are recorded without effect.
/// Pure: the same inputs always give the same decision, which is what backtests rely on.
/// </summary>
public static class DecisionBuilder
{
    public static Decision Build(RuleSet set, IReadOnlyList<RuleHit> hits, RuleInput input, string contentId, string? accountId, EnforcementOptions options)
    {
        var actions = new List<DecisionAction>();
        var fired = new List<FiredRule>();
        var shadow = new List<ShadowOutcome>();
        var enforcedRules = new List<CompiledRule>();
        string outcome = Outcomes.NoAction, queue = null!, priority = null!;
        string? policy = null, exception = null;
        var notes = new List<string>();
        double newStrikes = 0;

        foreach (var hit in hits)
        {
            var rule = hit.Rule;
            var names = rule.OutcomeNames;
            var inputs = Inputs(rule, input);
            fired.Add(new FiredRule(rule.Name, rule.Policy, rule.ModeName, names, hit.Exception?.Id, inputs));
            if (rule.Mode == RuleMode.Shadow)
            {
                shadow.Add(new ShadowOutcome(rule.Name, rule.Policy, names, hit.Exception?.Id));
                continue;
            }
            enforcedRules.Add(rule);
            if (hit.Exception is { } x)
            {
                exception ??= x.Id;
                notes.Add($"Exception '{x.Id}' applies to rule {rule.Name} ({rule.Policy}); nothing is restricted by it.");
                if (set.Catalogue.FindException(x.Id)?.Label is { } label)
                    Add(actions, new DecisionAction("content.label", "content", contentId, rule.Policy, new Dictionary<string, string> { ["text"] = label }));
                policy ??= rule.PolicyOrNull;
                continue;
            }
            foreach (var a in rule.Definition.Then)
            {
                var (rank, action) = Map(a, rule, set, contentId, accountId, notes);
                if (action is not null)
                {
                    if (action.Kind == "account.strike" && Add(actions, action)) newStrikes += double.Parse(action.Details!["weight"], CultureInfo.InvariantCulture);
                    else if (action.Kind != "account.strike") Add(actions, action);
                }
                var routes = a.Kind is "review" or "review_account" or "escalate";
                var asked = routes ? a.Priority ?? (a.Kind == "escalate" ? "high" : "normal") : null;
                // The most severe outcome wins; between two routings of the same outcome, the higher priority (a notice's
                // low-priority review never takes an item from a detector's queue); on a tie, the earlier rule.
                if (Outcomes.Rank(rank) > Outcomes.Rank(outcome)
                    || (routes && rank == outcome && queue is not null && PriorityRank(asked) > PriorityRank(priority)))
                {
                    outcome = rank;
                    // A rule with 'policy none' (a notice) names no policy: the reviewer chooses one, or none.
                    policy = rule.PolicyOrNull;
                    if (routes)
                    {
                        queue = a.Argument!;
                        priority = asked!;
                    }
                }
                else if (policy is null) policy = rule.PolicyOrNull;
            }
        }

        // A projection from the weight read before deciding; the commit settles it again under a per-account lock (StrikeSettlement).
        IReadOnlyList<DecisionAction> enforcedActions = newStrikes > 0 && accountId is not null
            ? StrikeThresholds.Settle(actions, accountId, input.Account.Strikes, options, out _)
            : actions;
        if (outcome == Outcomes.NoAction && actions.Count > 0) outcome = Outcomes.Restrict;

        return new Decision(outcome, queue, Explain(outcome, policy, queue, enforcedRules, fired, shadow, notes, input), enforcedRules.Select(r => r.Name).ToList(), Automated: true)
        {
            Policy = policy,
            Priority = priority,
            Actions = enforcedActions,
            Fired = fired,
            Exception = exception,
            Shadow = shadow,
            RuleSet = set.Hash,
        };
    }

    private static int PriorityRank(string? priority) => priority switch { "high" => 3, "normal" => 2, "low" => 1, _ => 0 };

    private static bool Add(List<DecisionAction> actions, DecisionAction a)
    {
        if (actions.Any(x => x.Kind == a.Kind && x.TargetId == a.TargetId && (a.Kind != "account.strike" || x.Policy == a.Policy))) return false;
        actions.Add(a);
        return true;
    }

    private static (string Outcome, DecisionAction? Action) Map(RuleAction a, CompiledRule rule, RuleSet set, string contentId, string? accountId, List<string> notes)
    {
        Dictionary<string, string>? details = null;
        string kind;
        switch (a.Kind)
        {
            case "review": return (Outcomes.Review, null);
            case "escalate": return (Outcomes.Escalate, null);
            case "review_account":
                if (accountId is null) { notes.Add($"Rule {rule.Name} asks for an account review, but the event names no account."); return (Outcomes.Review, null); }
                return (Outcomes.Review, null);
            case "remove": return (Outcomes.Remove, new DecisionAction("content.remove", "content", contentId, rule.Policy));
            case "age_restrict": kind = "content.age_restrict"; break;
            case "exclude_recommendations": kind = "content.exclude_recommendations"; break;
            case "label": kind = "content.label"; details = new() { ["text"] = a.Argument! }; break;
            case "restrict_regions": kind = "content.restrict_regions"; details = new() { ["regions"] = a.Argument! }; break;
            default:
                if (accountId is null) { notes.Add($"Rule {rule.Name} names '{a.Kind}', but the event names no account."); return (Outcomes.Restrict, null); }
                details = a.Kind switch
                {
                    "strike" => new() { ["weight"] = (set.Catalogue.Find(rule.Policy)?.StrikeWeight ?? 1).ToString(CultureInfo.InvariantCulture) },
                    "restrict_feature" => new() { ["feature"] = a.Argument! },
                    "ban" => new() { ["permanent"] = "true" },
                    _ => null,
                };
                return (Outcomes.Restrict, new DecisionAction("account." + a.Kind, "account", accountId, rule.Policy, details));
        }
        return (Outcomes.Restrict, new DecisionAction(kind, "content", contentId, rule.Policy, details));
    }

    public static string Describe(RuleAction a) =>
        a.Argument is null ? a.Kind : $"{a.Kind} \"{a.Argument}\"" + (a.Priority is null ? "" : $" priority {a.Priority}");

    /// <summary>The values a rule read: each signal of the types it queries (with its explanation) and the account and content facts.</summary>
    private static List<string> Inputs(CompiledRule rule, RuleInput input)
    {
        var list = new List<string>();
        foreach (var read in rule.Reads)
        {
            // "account.ban_evasion" is a signal type that shares the prefix: only the schema's account fields are facts.
            if (read.StartsWith("account.", StringComparison.Ordinal) && SignalSchema.AccountFields.ContainsKey(read["account.".Length..]))
            {
                var f = read["account.".Length..];
                list.Add(f switch
                {
                    "known" => $"{read} = {input.Account.Known}",
                    "strikes" => Fmt($"{read} = {input.Account.Strikes}"),
                    "policy_strikes" => Fmt($"{read} = {input.Account.StrikesFor(rule.Policy)}"),
                    "findings" => $"{read} = {input.Account.Findings}",
                    _ => $"{read} = {input.Account.LinkedFindings}",
                });
            }
            else if (read.StartsWith("content.", StringComparison.Ordinal))
            {
                var f = read["content.".Length..];
                list.Add(f == "views" ? Fmt($"{read} = {input.Views}") : $"{read} = {RuleRuntime.ContentText(input, f) ?? "(none)"}");
            }
            else
                foreach (var s in input.Signals)
                    if (s.Type == read) list.Add($"{s.Type}: {s.Explanation}");
        }
        return list;
    }

    private static string Explain(string outcome, string? policy, string? queue, List<CompiledRule> enforced, List<FiredRule> fired, List<ShadowOutcome> shadow, List<string> notes, RuleInput input)
    {
        var parts = new List<string>();
        if (enforced.Count == 0)
        {
            var unavailable = input.Signals.Count(s => s.Type == Signals.SignalTypes.MediaUnavailable);
            parts.Add(unavailable > 0 ? $"No rule fired; {unavailable} media file(s) could not be checked." : "No rule fired.");
        }
        else
        {
            var routed = $"{outcome}{(queue is null ? "" : $" ({queue})")} by rule(s) {string.Join(", ", enforced.Select(r => r.Name))}";
            parts.Add(policy is null ? $"No policy named before review: {routed}." : $"{policy}: {routed}.");
            foreach (var r in enforced)
                if (r.Definition.Explain is { } text) parts.Add(text.TrimEnd('.') + ".");
            var evidence = fired.Where(f => f.Mode == "enforce").SelectMany(f => f.Inputs).Distinct().ToList();
            if (evidence.Count > 0) parts.Add("Evidence: " + string.Join(" ", evidence.Select(e => e.TrimEnd('.') + ".")));
        }
        parts.AddRange(notes);
        if (shadow.Count > 0)
            parts.Add("Shadow (not acted on): " + string.Join("; ", shadow.Select(s => $"{s.Rule} would {string.Join(", ", s.Outcomes)}")) + ".");
        return string.Join(" ", parts);
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
