using System.CommandLine;
using Bulwark.Core.Policy.Appeals;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary><c>appeals list [--status open|decided]</c>, <c>appeals decide ID --outcome upheld|reversed --by NAME --statement TEXT</c>.</summary>
public static class AppealCommands
{
    public static Command Create(Option<string?> config)
    {
        var status = new Option<string?>("--status") { Description = "Only appeals with this status: open or decided." };
        status.AcceptOnlyFromAmong(AppealStatus.Open, AppealStatus.Decided);
        var list = new Command("list", "List appeals, oldest first.") { status };
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var appeals = sp.GetRequiredService<AppealService>();
            var table = new Table().AddColumns("id", "decision", "content", "account", "policy", "received", "status", "outcome", "decided by");
            long cursor = 0;
            var count = 0;
            while (true)
            {
                var page = await appeals.ListAsync(parse.GetValue(status), cursor, 500, ct);
                foreach (var a in page)
                    table.AddRow(a.Id.ToString(), a.DecisionId.ToString(), Markup.Escape(a.ContentId), Markup.Escape(a.AccountId ?? ""), a.Policy ?? "",
                        a.ReceivedAt.ToString("u"), a.Status, a.Outcome ?? "", Markup.Escape(a.DecidedBy ?? ""));
                count += page.Count;
                if (page.Count < 500) break;
                cursor = page[^1].Id;
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"{count} appeal(s).");
            return 0;
        });

        var id = new Argument<long>("id") { Description = "The appeal id." };
        var outcome = new Option<string>("--outcome") { Description = "upheld (the decision stands) or reversed (it is undone).", Required = true };
        outcome.AcceptOnlyFromAmong(AppealOutcome.Upheld, AppealOutcome.Reversed);
        var by = new Option<string>("--by") { Description = "The person deciding; must not be the original decision's reviewer.", Required = true };
        var statement = new Option<string>("--statement") { Description = "The reasons given to the user.", Required = true };
        var decide = new Command("decide", "Decide an open appeal; a reversal restores content, removes strikes and lifts account measures.") { id, outcome, by, statement };
        decide.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var result = await sp.GetRequiredService<AppealService>().DecideAsync(parse.GetValue(id),
                new AppealDecisionRequest(parse.GetValue(outcome), parse.GetValue(statement), parse.GetValue(by)), null, ct);
            if (result.Appeal is not { } a)
                throw new CliException(result.Message ?? string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
            Console.WriteLine($"Appeal {a.Id} {a.Outcome} by {a.DecidedBy}." + (a.Effects is null ? "" : $" {a.Effects}."));
            return 0;
        });
        return new Command("appeals", "Appeals against decisions (DSA Art. 20).") { list, decide };
    }
}
