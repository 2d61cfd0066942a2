using Bulwark.Core.Security;
using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>rules validate|activate|backtest DIR</c>, <c>policies list|show|set</c>.</summary>
public static class PolicyCommands
{
    private const string CliActor = "cli";

    public static Command Rules(Option<string?> config)
    {
        var dir = new Argument<string>("dir") { Description = "A directory of *.rules files." };
        var validate = new Command("validate", "Parse and type-check a rule set against the policy catalogue in force; prints file:line:column: message per error and exits 1 if there is any.") { dir };
        validate.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var (set, errors) = await sp.GetRequiredService<PolicyStore>().CompileAsync(Read(parse.GetValue(dir)!), ct);
            if (set is null) return Fail(errors);
            Console.WriteLine(Summary(set));
            return 0;
        });

        var activate = new Command("activate", "Validate and activate a rule set (audited). A set with errors is refused and the active one stays.") { dir };
        activate.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var result = await sp.GetRequiredService<PolicyStore>().ActivateAsync(Read(parse.GetValue(dir)!), CliActor, ct);
            if (!result.Applied)
            {
                foreach (var e in result.Errors) Console.Error.WriteLine(e);
                Console.Error.WriteLine($"{result.Errors.Count} error(s); the active rule set is unchanged.");
                return 1;
            }
            Console.WriteLine($"Activated rule set {result.After} (was {result.Before}).");
            return 0;
        });

        var since = new Option<string>("--since") { Description = "Re-evaluate content received since this date or time (ISO 8601, UTC unless it says otherwise).", Required = true };
        var backtest = new Command("backtest", "Re-evaluate stored signals since a date with the candidate rules and the active ones; prints how many outcomes would change, by policy and action.") { dir, since };
        backtest.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(since)!;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
                throw new CliException($"--since: '{text}' is not a date (expected e.g. 2026-01-31 or 2026-01-31T12:00:00Z)");
            using var sp = CliHost.Build(parse.GetValue(config));
            var (set, errors) = await sp.GetRequiredService<PolicyStore>().CompileAsync(Read(parse.GetValue(dir)!), ct);
            if (set is null) return Fail(errors);
            var report = await sp.GetRequiredService<Backtester>().RunAsync(set, from, ct);
            Console.WriteLine($"active {report.ActiveHash[..12]} vs candidate {report.CandidateHash[..12]}: {report.Changed} of {report.Evaluated} decision(s) since {from:u} would change.");
            Console.WriteLine("policy,action,added,removed");
            foreach (var d in report.Deltas) Console.WriteLine($"{CsvCells.Field(d.Policy)},{CsvCells.Field(d.Action)},{d.Added},{d.Removed}");
            return 0;
        });
        var outDir = new Argument<string>("dir") { Description = "Where to write the active rule set's files (created if missing; existing files of the same name are replaced)." };
        var export = new Command("export", "Write the active rule set's files, as a starting point for the next change.") { outDir };
        export.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var set = await sp.GetRequiredService<PolicyStore>().GetActiveRulesAsync(ct);
            var target = Directory.CreateDirectory(parse.GetValue(outDir)!).FullName;
            foreach (var f in set.Files)
            {
                var name = Path.GetFileName(f.Name);
                if (name != f.Name || !name.EndsWith(".rules", StringComparison.Ordinal)) throw new CliException($"stored file name '{f.Name}' is not a plain *.rules name; not written");
                await File.WriteAllTextAsync(Path.Combine(target, name), f.Text, ct);
            }
            Console.WriteLine($"Wrote {set.Files.Count} file(s) of rule set {set.Hash} to {target}.");
            return 0;
        });
        return new Command("rules", "The policy rules: validate, activate, backtest, export (docs/rules.md).") { validate, activate, backtest, export };
    }

    public static Command Policies(Option<string?> config)
    {
        var list = new Command("list", "List the policies in force as CSV: id,dsa_category,dsa_keywords,grounds,content_action,account_action,strike_weight,zero_tolerance,escalation,title.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var catalogue = await sp.GetRequiredService<PolicyStore>().GetCatalogueAsync(ct);
            Console.Out.Write($"# catalogue {catalogue.Version}\n");
            Console.Out.Write("id,dsa_category,dsa_keywords,grounds,content_action,account_action,strike_weight,zero_tolerance,escalation,title\n");
            foreach (var p in catalogue.Policies!)
                Console.Out.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{CsvCells.Row(p.Id, p.DsaCategory, string.Join(' ', p.DsaKeywords ?? []), string.Join(' ', (p.TerroristContentGrounds ?? []).Select(g => $"2(7)({g})")), p.DefaultContentAction, p.DefaultAccountAction)},{p.StrikeWeight},{p.ZeroTolerance.ToString().ToLowerInvariant()},{CsvCells.Row(p.Escalation, p.Title)}\n"));
            return 0;
        });

        var show = new Command("show", "Print the catalogue in force as JSON (the format 'policies set' reads).");
        show.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Console.WriteLine((await sp.GetRequiredService<PolicyStore>().GetCatalogueAsync(ct)).ToJson());
            return 0;
        });

        var file = new Argument<string>("file") { Description = "A catalogue JSON file." };
        var set = new Command("set", "Store a new catalogue version (audited) if it is valid and the active rules still compile against it.") { file };
        set.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            CliFiles.Check(path, CliFiles.CatalogueBytes, "the catalogue");
            using var sp = CliHost.Build(parse.GetValue(config));
            var result = await sp.GetRequiredService<PolicyStore>().UpdateCatalogueAsync(await File.ReadAllTextAsync(path, ct), CliActor, ct);
            if (!result.Applied)
            {
                foreach (var e in result.Errors) Console.Error.WriteLine($"{path}: {e}");
                return 1;
            }
            Console.WriteLine($"Catalogue {result.After} is in force (was {result.Before}).");
            return 0;
        });
        return new Command("policies", "The policy catalogue.") { list, show, set };
    }

    private static IReadOnlyList<RuleFile> Read(string dir)
    {
        if (Directory.Exists(dir))
            foreach (var f in Directory.EnumerateFiles(dir, "*.rules", SearchOption.TopDirectoryOnly))
                CliFiles.Check(f, CliFiles.RulesFileBytes, "the rules file");
        try { return RuleSet.ReadDirectory(dir); }
        catch (DirectoryNotFoundException ex) { throw new CliException(ex.Message); }
    }

    private static int Fail(IReadOnlyList<RuleError> errors)
    {
        foreach (var e in errors) Console.Error.WriteLine(e);
        Console.Error.WriteLine($"{errors.Count} error(s).");
        return 1;
    }

    private static string Summary(RuleSet set) =>
        $"OK: {set.Rules.Count} rules in {set.Files.Count} file(s) ({set.Rules.Count(r => r.Mode == RuleMode.Enforce)} enforce, {set.Rules.Count(r => r.Mode == RuleMode.Shadow)} shadow, {set.Rules.Count(r => r.Mode == RuleMode.Disabled)} disabled); hash {set.Hash}.";
}
