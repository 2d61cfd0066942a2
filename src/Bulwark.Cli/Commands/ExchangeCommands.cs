using System.CommandLine;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Exchange;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>exchanges list|sync|pause|resume|feedback|publish</c>: partner exchanges (docs/exchanges.md).</summary>
public static class ExchangeCommands
{
    private const string CliActor = "cli";

    public static Command Create(Option<string?> config)
    {
        var list = new Command("list", "List partners as CSV: name,kind,bank,status,entries,deleted,alerts,feedback_sent,feedback_pending,feedback_failed,last_fetch,last_success,last_error.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Console.Out.Write("name,kind,bank,status,entries,deleted,alerts,feedback_sent,feedback_pending,feedback_failed,last_fetch,last_success,last_error\n");
            foreach (var e in await sp.GetRequiredService<ExchangeAdmin>().ListAsync(ct))
                Console.Out.Write(CsvCells.Row(e.Name, e.Kind, e.Bank, e.Status, $"{e.Entries}", $"{e.DeletedEntries}", $"{e.Alerts}", $"{e.FeedbackSent}", $"{e.FeedbackPending}",
                    $"{e.FeedbackFailed}", e.LastFetchAt?.ToString("u"), e.LastSuccessAt?.ToString("u"), e.LastError) + "\n");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "The partner's name (Bulwark:Exchanges:Partners)." };
        var sync = new Command("sync", "Fetch from a partner now, from its last good checkpoint (also while paused); prints the fetch record.") { name };
        sync.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            SyncResult result;
            try { result = await sp.GetRequiredService<ExchangeSyncService>().SyncAsync(parse.GetValue(name)!, CliActor, ct, force: true); }
            catch (KeyNotFoundException ex) { throw new CliException(ex.Message); }
            var f = result.Fetch;
            Console.WriteLine($"{f.Exchange}: {f.Outcome}{(f.FullRefetch ? " (full refetch)" : "")}; {f.Pages} page(s): {f.Created} created, {f.Updated} updated, {f.Deleted} deleted, "
                + $"{f.UnknownDeletes} unknown deletes, {f.Skipped} skipped, {f.Alerts} alerts; checkpoint {f.CheckpointAfter ?? f.CheckpointBefore ?? "(none)"}");
            if (f.Notes is not null) Console.WriteLine($"notes: {f.Notes}");
            if (f.Error is null) return 0;
            Console.Error.WriteLine($"error: {f.Error}");
            return 1;
        });

        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)." };
        Command Status(string verb, bool pause)
        {
            var cmd = new Command(verb, pause ? "Stop fetching a partner; its entries keep matching." : "Resume a partner paused by a person or by the flood guard.") { name, reason };
            cmd.SetAction(async (parse, ct) =>
            {
                using var sp = CliHost.Build(parse.GetValue(config));
                var admin = sp.GetRequiredService<ExchangeAdmin>();
                try
                {
                    var v = pause ? await admin.PauseAsync(parse.GetValue(name)!, parse.GetValue(reason), CliActor, ct) : await admin.ResumeAsync(parse.GetValue(name)!, parse.GetValue(reason), CliActor, ct);
                    Console.WriteLine($"{v.Name}: {v.Status}");
                }
                catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException) { throw new CliException(ex.Message.Split(" (Parameter")[0]); }
                return 0;
            });
            return cmd;
        }

        var feedback = new Command("feedback", "Opinions recorded for partners as CSV: id,exchange,item,opinion,case,decided_by,status,attempts,created,sent,last_error.");
        feedback.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            Console.Out.Write("id,exchange,item,opinion,case,decided_by,status,attempts,created,sent,last_error\n");
            foreach (var f in await sp.GetRequiredService<ExchangeFeedback>().ListAsync(null, 1000, ct))
                Console.Out.Write(CsvCells.Row($"{f.Id}", f.Exchange, f.ItemId, f.Opinion, f.ReviewCaseId?.ToString(), f.DecidedBy, f.Status, $"{f.Attempts}", f.CreatedAt.ToString("u"), f.SentAt?.ToString("u"), f.LastError) + "\n");
            return 0;
        });

        var bank = new Option<string>("--bank") { Description = "The bank to publish.", Required = true };
        var labels = new Option<string[]>("--label") { Description = "A label every entry of the exchange carries (repeatable).", AllowMultipleArgumentsPerToken = false };
        var publish = new Command("publish", "Publish a bank as a signed exchange other Bulwark instances pull (GET /api/v1/exchange-feeds/NAME, scope exchanges:pull).") { name, bank, labels };
        publish.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var publisher = sp.GetRequiredService<ExchangePublisher>();
            try
            {
                var v = await publisher.PublishAsync(parse.GetValue(name)!, parse.GetValue(bank)!, parse.GetValue(labels), null, CliActor, ct);
                Console.WriteLine($"Published bank {v.Bank} as exchange {v.Name}. Partners verify its pages with this public key:");
                Console.Write(publisher.PublicKeyPem());
            }
            catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException or InvalidOperationException) { throw new CliException(ex.Message.Split(" (Parameter")[0]); }
            return 0;
        });

        return new Command("exchanges", "Partner exchanges: status, synchronisation, pause and resume, feedback sent, publication.")
        {
            list, sync, Status("pause", pause: true), Status("resume", pause: false), feedback, publish,
        };
    }
}
