using System.CommandLine;
using Bulwark.Core.Policy.Enforcement;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>decisions confirm ID --by NAME [--violation KIND] [--reason TEXT]</c>: a person confirms a decision's violation.</summary>
public static class DecisionCommands
{
    public static Command Create(Option<string?> config)
    {
        var id = new Argument<long>("id") { Description = "The decision id (GET /api/v1/content/{id} shows it as decision.id)." };
        var by = new Option<string>("--by") { Description = "The person confirming; recorded on the decision and in the audit log, and barred from deciding its appeal.", Required = true };
        var violation = new Option<string?>("--violation") { Description = "The kind of violation, e.g. support or credible-threat (zero-tolerance policies ban for the kinds their catalogue entry names)." };
        var reason = new Option<string?>("--reason") { Description = "Why (at most 1,000 characters; audited, not shown to the user)." };
        var confirm = new Command("confirm", "Confirm that a decision's content violates its policy: the policy's content action, a strike (which may suspend or ban), or a zero-tolerance ban; prints every action sent to the platform.") { id, by, violation, reason };
        confirm.SetAction(async (parse, ct) =>
        {
            var person = parse.GetValue(by)!.Trim();
            if (person.Length == 0 || person.Length > 200) throw new CliException("--by: name the person confirming (1–200 characters)");
            if (ProcessNames.Contains(person)) throw new CliException($"--by: '{person}' names a process, not a person; a confirmation needs the person who took it");
            using var sp = CliHost.Build(parse.GetValue(config));
            var result = await sp.GetRequiredService<ConfirmationService>().ConfirmAsync(parse.GetValue(id), parse.GetValue(violation), parse.GetValue(reason), person, ct);
            if (!result.Applied) throw new CliException(result.Error!);
            Console.WriteLine($"Decision {parse.GetValue(id)} confirmed by {person}: {result.Actions.Count} action(s).");
            foreach (var a in result.Actions) Console.WriteLine($"  {a.Kind} {a.TargetType} {a.TargetId} ({a.Policy})");
            return 0;
        });
        return new Command("decisions", "Decisions the pipeline took.") { confirm };
    }

    private static readonly HashSet<string> ProcessNames = new(StringComparer.OrdinalIgnoreCase) { "cli", "pipeline", "system", "demo", "api" };
}
