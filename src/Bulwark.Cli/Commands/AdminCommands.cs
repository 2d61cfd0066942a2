using System.CommandLine;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Anchoring;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary><c>db migrate</c>, <c>apikey create|list|revoke</c>, <c>deadletters list|retry</c>, <c>audit verify [--anchor]</c>, <c>audit public-key</c>.</summary>
public static class AdminCommands
{
    private const string CliActor = "cli";

    public static Command Db(Option<string?> config)
    {
        var migrate = new Command("migrate", "Create the database or bring it up to date.");
        migrate.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var applied = await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var provider = sp.GetRequiredService<IBulwarkDbFactory>().Provider;
            Console.WriteLine(applied.Count == 0 ? $"{provider}: already up to date." : $"{provider}: applied {string.Join(", ", applied)}.");
            return 0;
        });
        return new Command("db", "Database maintenance.") { migrate };
    }

    public static Command ApiKey(Option<string?> config)
    {
        var name = new Option<string>("--name") { Description = "A label for the key (who or what uses it).", Required = true };
        var scopes = new Option<string>("--scopes") { Description = $"Comma-separated scopes: {string.Join(", ", Scopes.All)}.", Required = true };
        var create = new Command("create", "Create a key; it is printed once and cannot be shown again.") { name, scopes };
        create.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var list = parse.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                var (info, key) = await sp.GetRequiredService<ApiKeyService>().CreateAsync(parse.GetValue(name)!, list, CliActor, ct);
                Console.Error.WriteLine($"Created key {info.Id} ({info.Name}; scopes {string.Join(",", info.Scopes)}). Store it now; it is not shown again:");
                Console.WriteLine(key);
                return 0;
            }
            catch (ArgumentException ex) { throw new CliException(ex.Message.Split(" (Parameter")[0]); }
        });

        var listCmd = new Command("list", "List keys (never their secrets).");
        listCmd.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var keys = await sp.GetRequiredService<ApiKeyService>().ListAsync(ct);
            var table = new Table().AddColumns("id", "name", "scopes", "created", "revoked");
            foreach (var k in keys)
                table.AddRow(k.Id, Markup.Escape(k.Name), string.Join(",", k.Scopes), k.CreatedAt.ToString("u"), k.RevokedAt?.ToString("u") ?? "");
            AnsiConsole.Write(table);
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key id (the part after bwk_ and before the next _)." };
        var revoke = new Command("revoke", "Revoke a key; requests with it fail within seconds.") { id };
        revoke.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            if (!await sp.GetRequiredService<ApiKeyService>().RevokeAsync(parse.GetValue(id)!, CliActor, ct))
                throw new CliException($"No API key with id '{parse.GetValue(id)}'.");
            Console.WriteLine($"Revoked {parse.GetValue(id)}.");
            return 0;
        });
        return new Command("apikey", "Manage API keys.") { create, listCmd, revoke };
    }

    public static Command DeadLetters(Option<string?> config)
    {
        var list = new Command("list", "List dead-lettered work items with their last error.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var queue = sp.GetRequiredService<IWorkQueue>();
            var table = new Table().AddColumns("work item", "content", "version", "attempts", "dead-lettered", "last error");
            long cursor = 0;
            var count = 0;
            while (true)
            {
                var page = await queue.ListDeadLettersAsync(cursor, 500, ct);
                foreach (var d in page)
                    table.AddRow(d.WorkItemId.ToString(), Markup.Escape(d.ContentId), d.Version.ToString(), d.Attempts.ToString(),
                        d.DeadLetteredAt?.ToString("u") ?? "", Markup.Escape(d.LastError ?? ""));
                count += page.Count;
                if (page.Count < 500) break;
                cursor = page[^1].WorkItemId;
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"{count} dead letter(s).");
            return 0;
        });

        var ids = new Argument<long[]>("ids") { Description = "Work item ids to retry.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Retry every dead letter." };
        var retry = new Command("retry", "Put dead letters back in the queue with fresh attempts.") { ids, all };
        retry.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            if (chosen.Length == 0 && !parse.GetValue(all)) throw new CliException("Name the work item ids to retry, or pass --all.");
            using var sp = CliHost.Build(parse.GetValue(config));
            var retried = await sp.GetRequiredService<DeadLetterRetry>().RetryAsync(chosen.Length == 0 ? null : chosen, ct);
            if (retried > 0)
                await sp.GetRequiredService<AuditLog>().RecordAsync(sp.GetRequiredService<IBulwarkDbFactory>(),
                    new AuditRecord(CliActor, "deadletters.retried", "queue:dead-letters", After: $"{retried} item(s) requeued"), ct);
            Console.WriteLine($"Requeued {retried} item(s).");
            return 0;
        });
        return new Command("deadletters", "Inspect and retry dead-lettered work.") { list, retry };
    }

    public static Command Audit(Option<string?> config)
    {
        var anchor = new Option<string?>("--anchor")
        {
            Description = "Also check the chain against heads kept outside the database: a checkpoint file the server wrote (Bulwark:Audit:Anchor:File) or a head hash printed earlier (HASH or SEQ:HASH).",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "The Ed25519 key that must have signed the checkpoints (base64, or a file holding it; from 'bulwark audit public-key'). Default: this node's key ring.",
        };
        var verify = new Command("verify", "Recompute the audit chain; exit 1 and name the first broken entry if it was tampered with.") { anchor, publicKey };
        verify.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            if (parse.GetValue(anchor) is { } a) return await VerifyAnchoredAsync(sp, a, parse.GetValue(publicKey), ct);
            var result = await sp.GetRequiredService<AuditVerifier>().VerifyAsync(ct);
            if (result.Intact)
            {
                Console.WriteLine($"Audit log intact: {result.EntriesChecked} entries. Head: entry {result.HeadSeq}, hash {result.HeadHash}");
                Console.WriteLine("Keep the head hash elsewhere (or let the server write signed checkpoints, Bulwark:Audit:Anchor): a chain rewritten from some entry on, or cut at the end, verifies on its own; check it with --anchor.");
                return 0;
            }
            Console.WriteLine($"Audit log BROKEN at entry {result.FirstBroken}: {result.Problem}");
            return 1;
        });

        var showKey = new Command("public-key", "Print the Ed25519 public key that signs audit checkpoints (creates the key in the key ring if there is none yet).");
        showKey.SetAction(parse =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var key = sp.GetRequiredService<AuditSigningKey>();
            try
            {
                var k = key.PublicKey;
                Console.WriteLine($"Ed25519 key {k.Id}: {k.Base64}");
                return 0;
            }
            catch (InvalidDataException ex) { throw new CliException(ex.Message); }
        });
        return new Command("audit", "The hash-chained audit log.") { verify, showKey };
    }

    private static async Task<int> VerifyAnchoredAsync(IServiceProvider sp, string anchor, string? publicKey, CancellationToken ct)
    {
        var verifier = sp.GetRequiredService<AuditAnchorVerifier>();
        AnchorVerification result;
        if (File.Exists(anchor))
        {
            AuditPublicKey? trusted = null;
            if (publicKey is not null)
            {
                var text = File.Exists(publicKey) ? File.ReadLines(publicKey).FirstOrDefault(l => l.Trim().Length > 0)?.Split(':')[^1] ?? "" : publicKey;
                if (!AuditPublicKey.TryParse(text, out trusted, out var error)) throw new CliException($"--public-key: {error}");
            }
            else
            {
                try { trusted = sp.GetRequiredService<AuditSigningKey>().PublicKeyIfExists(); }
                catch (InvalidDataException ex) { Console.Error.WriteLine($"warning: {ex.Message}"); }
            }
            result = await verifier.VerifyFileAsync(anchor, trusted, ct);
        }
        else if (AuditAnchorVerifier.IsHeadAnchor(anchor)) result = await verifier.VerifyHeadAsync(anchor, ct);
        else throw new CliException($"--anchor: '{anchor}' is neither an existing checkpoint file nor a head hash (64 hex digits, or SEQ:HASH)");

        var chain = result.Chain;
        Console.WriteLine(chain.Intact
            ? $"Audit chain consistent: {chain.EntriesChecked} entries. Head: entry {chain.HeadSeq}, hash {chain.HeadHash}"
            : $"Audit log BROKEN at entry {chain.FirstBroken}: {chain.Problem}");
        if (result.Warning is { } w) Console.WriteLine($"warning: {w}");
        foreach (var p in result.Problems) Console.WriteLine($"ANCHOR: {p}");
        if (result.Ok)
        {
            Console.WriteLine($"Anchored: {result.Checkpoints} checkpoint(s) agree; entries 1 to {result.AnchoredUpTo} are as they were when checkpointed"
                + (chain.HeadSeq > result.AnchoredUpTo ? $", entries after {result.AnchoredUpTo} are not covered by a checkpoint yet." : "."));
            return 0;
        }
        if (result.FirstDisagreement is { } first)
            Console.WriteLine($"Audit log does NOT match its anchor: first disagreement at entry {first}" + (result.AgreesUpTo > 0 ? $"; entries up to {result.AgreesUpTo} agree." : "."));
        return 1;
    }
}
