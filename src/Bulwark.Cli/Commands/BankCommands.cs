using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using System.CommandLine;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bank create|list|add|import|export</c>.</summary>
public static class BankCommands
{
    private const string CliActor = "cli";

    public static Command Create(Option<string?> config)
    {
        var name = new Argument<string>("name");
        var description = new Option<string?>("--description");
        var safe = new Option<bool>("--safe") { Description = "A negative bank: its matches suppress the other banks' (known false positives)." };
        var threshold = new Option<int?>("--pdq-threshold") { Description = "Largest PDQ distance that matches (default 31)." };
        var create = new Command("create", "Create a bank.") { name, description, safe, threshold };
        create.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            try
            {
                await sp.GetRequiredService<BankService>().CreateBankAsync(parse.GetValue(name)!,
                    new BankSettings(parse.GetValue(description), parse.GetValue(safe), parse.GetValue(threshold)), CliActor, ct);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { throw new CliException(ex.Message.Split(" (Parameter")[0]); }
            Console.WriteLine($"Created bank {parse.GetValue(name)}.");
            return 0;
        });

        var list = new Command("list", "List banks as CSV: name,entries,enabled,safe,pdq_threshold,description.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Console.Out.Write("name,entries,enabled,safe,pdq_threshold,description\n");
            foreach (var b in await sp.GetRequiredService<BankService>().ListAsync(ct))
                Console.Out.Write($"{CsvCells.Field(b.Name)},{b.Entries},{b.Enabled},{b.Safe},{b.PdqThreshold},{CsvCells.Field(b.Description)}\n");
            return 0;
        });

        var addBank = new Argument<string>("bank");
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Images or videos, hashed here (PDQ or vPDQ)." };
        var labels = new Option<string[]>("--label") { Description = "A label for every entry (repeatable).", AllowMultipleArgumentsPerToken = false };
        var entity = new Option<string?>("--entity") { Description = "The attributed organisation or individual." };
        var source = new Option<string?>("--source") { Description = "Where the content came from (internal, a partner list…)." };
        var add = new Command("add", "Hash files into a bank.") { addBank, files, labels, entity, source };
        add.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var hasher = sp.GetRequiredService<MediaHasher>();
            var entries = new List<NewEntry>();
            foreach (var file in parse.GetValue(files)!)
            {
                CliFiles.Check(file, sp.GetRequiredService<IngestOptions>().MaxVideoBytes, "the media file");
                var h = await hasher.HashFileAsync(file, HashCommands.MimeOf(file), false, ct);
                if (h.Unhashable is { } why) throw new CliException($"{file}: {why}");
                entries.Add(h.Pdq is { } pdq
                    ? new NewEntry("pdq", pdq.Hash.ToString(), parse.GetValue(labels), parse.GetValue(entity), parse.GetValue(source), pdq.Quality)
                    : new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(h), parse.GetValue(labels), parse.GetValue(entity), parse.GetValue(source)));
            }
            var result = await Apply(sp, parse.GetValue(addBank)!, entries, false, ct);
            foreach (var e in result.Added) Console.WriteLine($"entry {e.Id}: {e.SignalType}");
            return 0;
        });

        var importBank = new Argument<string>("bank");
        var file = new Argument<string>("file");
        var format = new Option<string>("--format") { Description = "csv (python-threatexchange), local (local_file lines) or vpdq (one video's frame list).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "local", "vpdq");
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Add the valid rows even when some are invalid." };
        var import = new Command("import", "Import entries; every bad row is reported as file:line: message, and nothing is added unless --skip-invalid.")
            { importBank, file, format, skipInvalid, labels, entity, source };
        import.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            CliFiles.Check(path, CliFiles.BankImportBytes, "the bank file");
            ParsedEntries parsed;
            using (var reader = File.OpenText(path))
                parsed = parse.GetValue(format) switch
                {
                    "local" => BankInterop.ParseLocalFile(reader),
                    "vpdq" => new ParsedEntries([new NewEntry("vpdq", await reader.ReadToEndAsync(ct), parse.GetValue(labels), parse.GetValue(entity), parse.GetValue(source))], [1], []),
                    _ => BankInterop.ParseCsv(reader),
                };
            using var sp = CliHost.Build(parse.GetValue(config));
            var skip = parse.GetValue(skipInvalid);
            var invalid = BankService.Validate(parsed.Entries);
            var errors = parsed.Errors.Concat(invalid.Select(e => e with { Position = parsed.Lines[e.Position - 1] })).OrderBy(e => e.Position).ToList();
            AddEntriesResult result;
            try
            {
                result = errors.Count > 0 && !skip
                    ? new AddEntriesResult([], [], false)
                    : await sp.GetRequiredService<BankService>().AddEntriesAsync(parse.GetValue(importBank)!, parsed.Entries, skip, CliActor, ct);
            }
            catch (KeyNotFoundException ex) { throw new CliException(ex.Message); }
            foreach (var e in errors) Console.Error.WriteLine($"{path}:{e.Position}: {e.Message}");
            if (!result.Applied)
            {
                Console.Error.WriteLine($"{errors.Count} invalid row(s); nothing imported (use --skip-invalid to import the valid rows).");
                return 1;
            }
            Console.WriteLine($"Imported {result.Added.Count} entr{(result.Added.Count == 1 ? "y" : "ies")}" + (errors.Count > 0 ? $"; skipped {errors.Count} invalid row(s)." : "."));
            return 0;
        });

        var exportBank = new Argument<string>("bank");
        var exportFormat = new Option<string>("--format") { Description = "csv, local, or vpdq (the frame list of the vPDQ entry named by --entry).", DefaultValueFactory = _ => "csv" };
        exportFormat.AcceptOnlyFromAmong("csv", "local", "vpdq");
        var entryId = new Option<long?>("--entry") { Description = "With --format vpdq: the entry to write." };
        var export = new Command("export", "Write a bank's enabled entries to stdout.") { exportBank, exportFormat, entryId };
        export.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var banks = sp.GetRequiredService<BankService>();
            var all = new List<EntryView>();
            long cursor = 0;
            try
            {
                while (true)
                {
                    var page = await banks.ListEntriesAsync(parse.GetValue(exportBank)!, cursor, 1000, ct);
                    all.AddRange(page.Entries.Where(e => e.Enabled));
                    if (page.NextCursor is not { } next) break;
                    cursor = next;
                }
            }
            catch (KeyNotFoundException ex) { throw new CliException(ex.Message); }
            if (parse.GetValue(exportFormat) == "vpdq")
            {
                var id = parse.GetValue(entryId) ?? throw new CliException("--format vpdq writes one video's frames: name the entry with --entry ID.");
                var entry = all.FirstOrDefault(e => e.Id == id) ?? throw new CliException($"Bank '{parse.GetValue(exportBank)}' has no enabled entry {id}.");
                if (entry.Payload is null) throw new CliException($"Entry {id} is a {entry.SignalType} entry, not vpdq.");
                Console.Out.Write(entry.ExportPayload ?? entry.Payload);
            }
            else if (parse.GetValue(exportFormat) == "local") BankInterop.WriteLocalFile(all, Console.Out);
            else BankInterop.WriteCsv(all, Console.Out);
            return 0;
        });
        return new Command("bank", "Hash lists (banks) of known content.") { create, list, add, import, export };
    }

    private static async Task<AddEntriesResult> Apply(IServiceProvider sp, string bank, List<NewEntry> entries, bool skip, CancellationToken ct)
    {
        try
        {
            var result = await sp.GetRequiredService<BankService>().AddEntriesAsync(bank, entries, skip, CliActor, ct);
            if (!result.Applied) throw new CliException(string.Join("; ", result.Errors.Select(e => $"entry {e.Position}: {e.Message}")));
            return result;
        }
        catch (KeyNotFoundException ex) { throw new CliException(ex.Message); }
    }
}
