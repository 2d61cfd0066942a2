using Bulwark.Core.Security;
using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Records.StatementsOfReasons;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>webhooks list|create|delete</c>, <c>webhooks deadletters list|retry</c>, <c>sor export|submit</c>.</summary>
public static class DeliveryCommands
{
    private const string CliActor = "cli";

    public static Command Webhooks(Option<string?> config)
    {
        var list = new Command("list", "List subscriptions as CSV: id,name,url,kinds,enabled,cursor.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Console.Out.Write("id,name,url,kinds,enabled,cursor\n");
            foreach (var w in await sp.GetRequiredService<WebhookService>().ListAsync(ct))
                Console.Out.Write($"{w.Id},{CsvCells.Field(w.Name)},{CsvCells.Field(w.Url)},{CsvCells.Field(string.Join(';', w.Kinds))},{w.Enabled},{w.Cursor}\n");
            return 0;
        });

        var name = new Option<string>("--name") { Description = "A unique name for the receiver.", Required = true };
        var url = new Option<string>("--url") { Description = "Where actions are POSTed (http or https; internal addresses only if allow-listed).", Required = true };
        var kinds = new Option<string?>("--kinds") { Description = "Comma-separated action kinds or prefixes (content.remove,account.*); all kinds when omitted." };
        var secret = new Option<string?>("--secret") { Description = $"The signing secret ({WebhookService.MinSecretLength}+ characters); generated and printed once when omitted." };
        var history = new Option<bool>("--include-history") { Description = "Also deliver every action that already exists." };
        var disabled = new Option<bool>("--disabled") { Description = "Create it paused." };
        var create = new Command("create", "Subscribe a receiver; prints its id and secret (the secret is never shown again).") { name, url, kinds, secret, history, disabled };
        create.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            try
            {
                var created = await sp.GetRequiredService<WebhookService>().CreateAsync(new NewWebhook(parse.GetValue(name), parse.GetValue(url), parse.GetValue(secret),
                    parse.GetValue(kinds)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), !parse.GetValue(disabled), parse.GetValue(history)), CliActor, ct);
                Console.WriteLine($"Created webhook {created.Webhook.Id} ({created.Webhook.Name}).");
                Console.WriteLine($"Secret (shown once; verify signatures with it): {created.Secret}");
                return 0;
            }
            catch (WebhookValidationException ex) { throw new CliException(string.Join("\n", ex.Errors.Select(e => $"--{e.Field.Split('[')[0]}: {e.Message}"))); }
            catch (InvalidOperationException ex) { throw new CliException(ex.Message); }
        });

        var id = new Argument<long>("id");
        var delete = new Command("delete", "Delete a subscription and its pending deliveries.") { id };
        delete.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            if (!await sp.GetRequiredService<WebhookService>().DeleteAsync(parse.GetValue(id), CliActor, ct)) throw new CliException($"No webhook with id {parse.GetValue(id)}.");
            Console.WriteLine($"Deleted webhook {parse.GetValue(id)}.");
            return 0;
        });

        var deadList = new Command("list", "List dead deliveries as CSV: id,webhook,action,kind,idempotency_key,attempts,last_status,dead_at,last_error.");
        deadList.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var service = sp.GetRequiredService<WebhookService>();
            Console.Out.Write("id,webhook,action,kind,idempotency_key,attempts,last_status,dead_at,last_error\n");
            long after = 0;
            while (true)
            {
                var page = await service.ListDeadAsync(after, 500, ct);
                foreach (var d in page)
                    Console.Out.Write($"{d.Id},{CsvCells.Field(d.Subscription)},{d.ActionId},{CsvCells.Field(d.Kind)},{CsvCells.Field(d.IdempotencyKey)},{d.Attempts},{d.LastStatusCode},{d.DeadAt?.ToString("u", CultureInfo.InvariantCulture)},{CsvCells.Field(d.LastError ?? "")}\n");
                if (page.Count < 500) break;
                after = page[^1].Id;
            }
            return 0;
        });
        var ids = new Argument<long[]>("ids") { Description = "Delivery ids to retry.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Retry every dead delivery." };
        var deadRetry = new Command("retry", "Send dead deliveries again with fresh attempts.") { ids, all };
        deadRetry.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(ids) ?? [];
            if (chosen.Length == 0 && !parse.GetValue(all)) throw new CliException("Name the delivery ids to retry, or pass --all.");
            if (chosen.Length > 0 && parse.GetValue(all)) throw new CliException("Pass either delivery ids or --all, not both.");
            using var sp = CliHost.Build(parse.GetValue(config));
            var retried = await sp.GetRequiredService<WebhookService>().RetryDeadAsync(chosen.Length == 0 ? null : chosen, CliActor, ct);
            Console.WriteLine($"Requeued {retried} delivery(ies).");
            return 0;
        });
        var dead = new Command("deadletters", "Deliveries that failed every attempt.") { deadList, deadRetry };
        return new Command("webhooks", "Signed webhook subscriptions for platform actions.") { list, create, delete, dead };
    }

    public static Command Sor(Option<string?> config)
    {
        var since = new Option<string>("--since") { Description = "Export statements recorded on or after this date (YYYY-MM-DD, UTC) or time (ISO 8601).", Required = true };
        var output = new Option<string>("--out") { Description = "Directory for statements-0001.json, … (created if missing).", Required = true };
        var export = new Command("export", "Write statements of reasons as {\"statements\":[…]} files of at most 100, after validating each; invalid ones are listed, not written (exit 2).") { since, output };
        export.SetAction(async (parse, ct) =>
        {
            if (!DateTimeOffset.TryParse(parse.GetValue(since), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
                throw new CliException($"--since: '{parse.GetValue(since)}' is not a date (YYYY-MM-DD) or ISO 8601 time.");
            using var sp = CliHost.Build(parse.GetValue(config));
            var report = await sp.GetRequiredService<StatementOfReasonsService>().ExportAsync(from, parse.GetValue(output)!, ct);
            foreach (var f in report.Files) Console.WriteLine(f);
            Console.WriteLine($"Exported {report.Exported} statement(s) in {report.Files.Count} file(s).");
            foreach (var bad in report.Invalid)
                foreach (var e in bad.Errors) Console.Error.WriteLine($"{bad.Puid}: {e.Field} {e.Message}");
            if (report.Invalid.Count == 0) return 0;
            Console.Error.WriteLine($"{report.Invalid.Count} statement(s) would fail the database's validation and were not exported.");
            return 2;
        });

        var baseUrl = new Option<string>("--url") { Description = "The Transparency Database (or its sandbox) base URL.", DefaultValueFactory = _ => "https://transparency.dsa.ec.europa.eu/" };
        var token = new Option<string?>("--token") { Description = "The API token; defaults to the BULWARK_DSA_TOKEN environment variable (keeps it out of shell history)." };
        var attempts = new Option<int>("--attempts") { Description = "Attempts per statement on 429, 5xx or no answer.", DefaultValueFactory = _ => 5 };
        var submit = new Command("submit", "Submit pending statements (201 stored; 422 for a known puid counts as stored; 429/5xx retried; other 4xx reported, exit 2).") { baseUrl, token, attempts };
        submit.SetAction(async (parse, ct) =>
        {
            var bearer = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("BULWARK_DSA_TOKEN");
            if (string.IsNullOrWhiteSpace(bearer)) throw new CliException("No API token: pass --token or set BULWARK_DSA_TOKEN.");
            if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new CliException($"--url: '{parse.GetValue(baseUrl)}' is not an http(s) URL.");
            if (parse.GetValue(attempts) is < 1 or > 20) throw new CliException("--attempts must be between 1 and 20.");
            if (!uri.AbsoluteUri.EndsWith('/')) uri = new Uri(uri.AbsoluteUri + "/");
            using var sp = CliHost.Build(parse.GetValue(config));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var client = new SorSubmissionClient(http, uri, bearer, new SorSubmissionRetry(parse.GetValue(attempts)), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Random>());
            var report = await sp.GetRequiredService<StatementOfReasonsService>().SubmitPendingAsync(client, ct);
            foreach (var p in report.Problems) Console.Error.WriteLine(p);
            Console.WriteLine($"Stored {report.Stored}, already stored {report.AlreadyStored}, rejected {report.Rejected}, failed (still pending) {report.Failed}.");
            return report.Rejected + report.Failed == 0 ? 0 : 2;
        });
        return new Command("sor", "DSA statements of reasons.") { export, submit };
    }
}
