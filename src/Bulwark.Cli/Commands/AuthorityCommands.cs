using System.CommandLine;
using System.Text.Json;
using Bulwark.Core.Authorities.Orders;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Bulwark.Core.Security;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>authorities orders list [--status S]</c>, <c>authorities orders show ID</c>, <c>authorities orders feedback ID</c>.
/// The referrals half adds its <c>referrals</c> command to <see cref="Create"/>'s list.
/// </summary>
public static class AuthorityCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Option<string?> config) =>
        new("authorities", "Competent authorities: removal orders (Reg. 2021/784) and referrals (DSA Art. 18).") { Orders(config), AuthoritiesReferralCommands.Referrals(config) };

    public static Command Orders(Option<string?> config)
    {
        var status = new Option<string?>("--status") { Description = "open, received, partially_executed, executed, not_executed or reinstated." };
        status.AcceptOnlyFromAmong("open", OrderStatus.Received, OrderStatus.PartiallyExecuted, OrderStatus.Executed, OrderStatus.NotExecuted, OrderStatus.Reinstated);
        var list = new Command("list", "Removal orders, newest first, as CSV: id,reference,authority,member_state,received_at,status,minutes_left (negative when overdue; empty once closed),executed_at,items,breach.") { status };
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var orders = sp.GetRequiredService<RemovalOrderService>();
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            Console.WriteLine("id,reference,authority,member_state,received_at,status,minutes_left,executed_at,items,breach");
            long? before = null;
            var count = 0;
            while (true)
            {
                var page = await orders.ListAsync(parse.GetValue(status), before, 500, ct);
                foreach (var o in page)
                    Console.WriteLine(CsvCells.Row(o.Id.ToString(CultureInfo.InvariantCulture), o.Reference, o.Authority, o.MemberState, o.ReceivedAt.ToString("O", CultureInfo.InvariantCulture), o.Status,
                        o.SecondsLeft(now) is { } s ? ((int)Math.Floor(s / 60)).ToString(CultureInfo.InvariantCulture) : "", o.ExecutedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                        o.Items.Count.ToString(CultureInfo.InvariantCulture), o.BreachCause ?? ""));
                count += page.Count;
                if (page.Count < 500) break;
                before = page[^1].Id;
            }
            Console.Error.WriteLine($"{count} order(s).");
            return 0;
        });

        var id = new Argument<long>("id") { Description = "The order id." };
        var show = new Command("show", "One order as JSON: its Annex I fields, status, clock, items and answers.") { id };
        show.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var o = await sp.GetRequiredService<RemovalOrderService>().GetAsync(parse.GetValue(id), ct) ?? throw new CliException($"There is no removal order {parse.GetValue(id)}.");
            Console.WriteLine(JsonSerializer.Serialize(o, Json));
            return 0;
        });

        var feedbackId = new Argument<long>("id") { Description = "The order id." };
        var feedback = new Command("feedback", "The order's Annex II feedback as JSON (exit 1 while the order is not executed).") { feedbackId };
        feedback.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var o = await sp.GetRequiredService<RemovalOrderService>().GetAsync(parse.GetValue(feedbackId), ct) ?? throw new CliException($"There is no removal order {parse.GetValue(feedbackId)}.");
            if (o.Feedback is not { } f) throw new CliException($"Order {o.Id} is {o.Status}: it has no Annex II feedback yet.");
            Console.WriteLine(JsonSerializer.Serialize(f, Json));
            return 0;
        });
        return new Command("orders", "Removal orders (Reg. 2021/784 Art. 3).") { list, show, feedback };
    }
}
