using Bulwark.Core.Security;
using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Signals.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>lists import un-sc|eu|csv</c>, <c>entities list|approve|revoke</c> and <c>screen</c>.</summary>
public static class EntityCommands
{
    private const string CliActor = "cli";

    public static Command Lists(Option<string?> config)
    {
        var import = new Command("import", "Import a designated-entity list: prints the diff (added +, changed ~, delisted -); all or nothing.")
        {
            ImportCommand(config, ListFormats.UnSc, "UN Security Council Consolidated List XML (the ISIL/Al-Qaida list is auto-approved)."),
            ImportCommand(config, ListFormats.Eu, "EU consolidated financial sanctions XML (entries enter as proposed)."),
            ImportCommand(config, ListFormats.Csv, "An expert or civil-society CSV (Title,City,State,Group,Ideology,Headquarters,Statewide,Year); entries enter as proposed."),
        };
        return new Command("lists", "Designated-entity list imports.") { import };
    }

    private static Command ImportCommand(Option<string?> config, string format, string description)
    {
        var file = new Argument<string>("file");
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show the diff; change nothing." };
        var force = new Option<bool>("--force") { Description = "Accept a list that shrank by more than the allowed fraction." };
        var source = new Option<string?>("--source") { Description = "The list's source name (required for csv, e.g. splc).", Required = format == ListFormats.Csv };
        var command = new Command(format, description) { file, dryRun, force };
        if (format == ListFormats.Csv) command.Add(source);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new CliException($"{path}: no such file");
            var name = format == ListFormats.Csv ? parse.GetValue(source)! : format;
            if (format == ListFormats.Csv && name is ListFormats.UnSc or ListFormats.Eu)
                throw new CliException($"--source {name} is an XML list; use `bulwark lists import {name} FILE`.");
            using var sp = CliHost.Build(parse.GetValue(config));
            if (format == ListFormats.Csv && sp.GetRequiredService<EntityOptions>().Source(name).Format != ListFormats.Csv)
                throw new CliException($"Source '{name}' is configured as {sp.GetRequiredService<EntityOptions>().Source(name).Format}, not csv.");
            CliFiles.Check(path, sp.GetRequiredService<EntityOptions>().MaxImportBytes, "the list file");
            ImportRunView run;
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                run = await sp.GetRequiredService<ListImportService>().ImportAsync(name, stream, Path.GetFileName(path),
                    new ImportRequest(parse.GetValue(dryRun), parse.GetValue(force)), CliActor, ct);
            }
            catch (ArgumentException ex) { throw new CliException(ex.Message.Split(" (Parameter")[0]); }
            foreach (var issue in run.Diff.Issues) Console.Error.WriteLine($"{path}: {issue}");
            if (run.Status == ImportRunStatuses.Refused)
                throw new CliException($"{path}: import run {run.Id} refused ({run.Refusal}): {run.Problem}");
            PrintDiff(run);
            return 0;
        });
        return command;
    }

    internal static void PrintDiff(ImportRunView run)
    {
        var o = Console.Out;
        o.Write(string.Create(CultureInfo.InvariantCulture,
            $"Import run {run.Id} of {run.Source} ({run.Status}): {run.Records} records; added {run.Added}, changed {run.Changed}, delisted {run.Delisted}, unchanged {run.Unchanged}\n"));
        foreach (var r in run.Diff.Added) o.Write($"+ {r.Key} {r.ReferenceNumber ?? "-"} {r.Name}\n");
        foreach (var r in run.Diff.Changed) o.Write($"~ {r.Key} {r.ReferenceNumber ?? "-"} {r.Name} ({string.Join(",", r.Fields ?? [])})\n");
        foreach (var r in run.Diff.Delisted) o.Write($"- {r.Key} {r.ReferenceNumber ?? "-"} {r.Name}\n");
        if (run.Status == ImportRunStatuses.DryRun) o.Write("Dry run: nothing was changed.\n");
    }

    public static Command Entities(Option<string?> config)
    {
        var status = new Option<string?>("--status") { Description = "proposed, approved or revoked." };
        var tier = new Option<string?>("--tier");
        var source = new Option<string?>("--source") { Description = "Only entries listed by this source (un-sc, eu, a CSV source)." };
        var query = new Option<string?>("--query") { Description = "Only entries with a name containing this text." };
        var list = new Command("list", "List entries as CSV: id,status,tier,kind,name,source,reference_number.") { status, tier, source, query };
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var registry = sp.GetRequiredService<EntityRegistry>();
            var filter = new EntityFilter(parse.GetValue(status), parse.GetValue(tier), null, parse.GetValue(source), parse.GetValue(query));
            Console.Out.Write("id,status,tier,kind,name,source,reference_number\n");
            long cursor = 0;
            while (true)
            {
                EntityPage page;
                try { page = await registry.ListAsync(filter, cursor, 1000, ct); }
                catch (EntityValidationException ex) { throw new CliException(ex.Message); }
                foreach (var e in page.Entities)
                {
                    var listing = e.Listings.FirstOrDefault(l => l.Active) ?? e.Listings.FirstOrDefault();
                    Console.Out.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{e.Id},{e.Status},{e.Tier},{e.Kind},{CsvCells.Field(e.PrimaryName)},{CsvCells.Field(listing?.Source)},{CsvCells.Field(listing?.ReferenceNumber ?? "")}\n"));
                }
                if (page.NextCursor is not { } next) break;
                cursor = next;
            }
            return 0;
        });
        return new Command("entities", "The designated-entity registry.") { list, Transition(config, "approve", "proposed → approved"), Transition(config, "revoke", "proposed or approved → revoked") };
    }

    private static Command Transition(Option<string?> config, string verb, string description)
    {
        var id = new Argument<long>("id");
        var reason = new Option<string>("--reason") { Description = "Why (audited).", Required = true };
        var command = new Command(verb, $"{description}; the reason is recorded in the audit log.") { id, reason };
        command.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var registry = sp.GetRequiredService<EntityRegistry>();
            EntityView view;
            try
            {
                view = verb == "approve"
                    ? await registry.ApproveAsync(parse.GetValue(id), parse.GetValue(reason)!, CliActor, ct)
                    : await registry.RevokeAsync(parse.GetValue(id), parse.GetValue(reason)!, CliActor, ct);
            }
            catch (Exception ex) when (ex is EntityValidationException or EntityTransitionException or KeyNotFoundException) { throw new CliException(ex.Message); }
            Console.WriteLine($"Entity {view.Id} ({view.PrimaryName}) is now {view.Status}.");
            return 0;
        });
        return command;
    }

    public static Command Screen(Option<string?> config)
    {
        var text = new Argument<string?>("text") { Arity = ArgumentArity.ZeroOrOne, Description = "A text to screen for every mention of an approved entity." };
        var names = new Option<string?>("--names") { Description = "A file of names, one per line, to screen with the name matcher." };
        var threshold = new Option<double?>("--threshold") { Description = "Smallest name score reported (default: Bulwark:Entities:NameThreshold)." };
        var command = new Command("screen", "Screen a text (CSV start,end,matched,entity_id,entity,tier,term_type,term,steps,score) or a file of names (CSV input,entity_id,reference_number,matched_name,score).")
            { text, names, threshold };
        command.SetAction(async (parse, ct) =>
        {
            var value = parse.GetValue(text);
            var file = parse.GetValue(names);
            if ((value is null) == (file is null)) throw new CliException("Give either a TEXT to screen or --names FILE.");
            if (parse.GetValue(threshold) is { } t && (t < 0.5 || t > 1)) throw new CliException("--threshold must be between 0.5 and 1.");
            if (file is not null) CliFiles.Check(file, CliFiles.NamesBytes, "the names file");
            using var sp = CliHost.Build(parse.GetValue(config));
            var screening = sp.GetRequiredService<EntityScreeningService>();
            await screening.EnsureLoadedAsync(ct);
            var o = Console.Out;
            if (value is not null)
            {
                if (EntityRegistry.HasLoneSurrogate(value)) throw new CliException("The text contains a lone UTF-16 surrogate; pass valid Unicode text.");
                o.Write("start,end,matched,entity_id,entity,tier,term_type,term,steps,score\n");
                foreach (var m in screening.ScreenText(value))
                    o.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{m.Start},{m.End},{CsvCells.Field(m.Matched)},{m.Entity.Id},{CsvCells.Field(m.Entity.Name)},{CsvCells.Field(m.Entity.Tier.ToString())},{CsvCells.Field(m.TermType.ToString())},{CsvCells.Field(m.Term)},{string.Join('|', m.Steps)},{m.Score:0.####}\n"));
                return 0;
            }
            o.Write("input,entity_id,reference_number,matched_name,score\n");
            foreach (var line in File.ReadLines(file!))
            {
                var name = line.Trim();
                if (name.Length == 0) continue;
                foreach (var m in screening.ScreenName(name, parse.GetValue(threshold)))
                    o.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{CsvCells.Field(name)},{m.Entity.Id},{CsvCells.Field(m.Entity.ReferenceNumber ?? "")},{CsvCells.Field(m.MatchedName)},{m.Score:0.####}\n"));
            }
            return 0;
        });
        return command;
    }
}
