using System.CommandLine;
using Bulwark.Core.Actions.Restrictions;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>decisions confirm ID --by NAME (--content KIND | --account KIND)… [--violation KIND] [--reason TEXT] [--preview]</c>:
/// a person confirms a decision's violation with the measures to take, through the restriction writer.
/// </summary>
public static class DecisionCommands
{
    public static Command Create(Option<string?> config)
    {
        var id = new Argument<long>("id") { Description = "The decision id (GET /api/v1/content/{id} shows it as decision.id)." };
        var by = new Option<string>("--by") { Description = "The person confirming; recorded on the decision and in the audit log, and barred from deciding its appeal.", Required = true };
        var content = new Option<string[]>("--content") { Description = $"A content measure to take (repeat for several): {string.Join(", ", Measures.ConfirmableContent)}.", AllowMultipleArgumentsPerToken = false };
        var account = new Option<string[]>("--account") { Description = $"An account measure to take (repeat for several): {string.Join(", ", Measures.ConfirmableAccount)}. A suspension or ban a strike threshold or zero tolerance causes must be named too.", AllowMultipleArgumentsPerToken = false };
        var none = new Option<bool>("--no-measures") { Description = "Confirm the violation and take no measure at all." };
        var violation = new Option<string?>("--violation") { Description = "The kind of violation, e.g. support or credible-threat (zero-tolerance policies ban for the kinds their catalogue entry names)." };
        var reason = new Option<string?>("--reason") { Description = "Why (at most 1,000 characters; audited, not shown to the user)." };
        var preview = new Option<bool>("--preview") { Description = "Print what the confirmation would do (actions, strikes, threshold consequences) and record nothing." };
        var confirm = new Command("confirm", "Confirm that a decision's content violates its policy, taking exactly the measures named; prints every action sent to the platform.")
            { id, by, content, account, none, violation, reason, preview };
        confirm.SetAction(async (parse, ct) =>
        {
            var person = parse.GetValue(by)!.Trim();
            if (person.Length == 0 || person.Length > 200) throw new CliException("--by: name the person confirming (1–200 characters)");
            if (ProcessNames.Contains(person)) throw new CliException($"--by: '{person}' names a process, not a person; a confirmation needs the person who took it");
            var measures = (parse.GetValue(content) ?? []).Concat(parse.GetValue(account) ?? []).ToList();
            if (measures.Count == 0 && !parse.GetValue(none) && !parse.GetValue(preview))
                throw new CliException("name the measures to take: --content content.remove and/or --account account.strike (repeatable), or --no-measures; --preview shows what they would do");
            foreach (var m in parse.GetValue(content) ?? [])
                if (!Measures.ConfirmableContent.Contains(m)) throw new CliException($"--content: '{m}' is not a content measure ({string.Join(", ", Measures.ConfirmableContent)})");
            foreach (var m in parse.GetValue(account) ?? [])
                if (!Measures.ConfirmableAccount.Contains(m)) throw new CliException($"--account: '{m}' is not an account measure ({string.Join(", ", Measures.ConfirmableAccount)})");
            using var sp = CliHost.Build(parse.GetValue(config));
            var writer = sp.GetRequiredService<RestrictionWriter>();
            // The operator of the CLI runs the server's own database: every measure is theirs to take, and each is named.
            var request = new RestrictionRequest
            {
                DecisionId = parse.GetValue(id), Source = RestrictionSource.Person, Actor = RestrictionActor.Unrestricted(person),
                Measures = measures, Violation = parse.GetValue(violation), Reason = parse.GetValue(reason),
            };
            if (parse.GetValue(preview))
            {
                var plan = await writer.PreviewAsync(request, ct);
                if (plan.NotFound) throw new CliException(plan.Refusal!);
                Console.WriteLine($"Decision {request.DecisionId} would be confirmed under {plan.Policy}: {plan.Actions.Count} action(s).");
                Print(plan);
                if (plan.Refusal is not null) Console.WriteLine($"Refused as asked: {plan.Refusal}");
                return 0;
            }
            var result = await writer.CommitAsync(request, ct);
            if (!result.Applied) throw new CliException(result.Error!);
            Console.WriteLine($"Decision {request.DecisionId} confirmed by {person}: {result.Actions.Count} action(s).");
            Print(result.Plan);
            return 0;
        });
        return new Command("decisions", "Decisions the pipeline took.") { confirm };
    }

    private static void Print(RestrictionPlan plan)
    {
        foreach (var a in plan.Actions) Console.WriteLine($"  {a.Kind} {a.TargetType} {a.TargetId} ({a.Policy})");
        foreach (var n in plan.Notes) Console.WriteLine($"  · {n}");
    }

    private static readonly HashSet<string> ProcessNames = new(StringComparer.OrdinalIgnoreCase) { "cli", "pipeline", "system", "demo", "api" };
}
