using System.CommandLine;
using Bulwark.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>queue reenqueue</c>: put undecided versions that have lost their queue entry back in the inbox (docs/scale-out.md).</summary>
public static class QueueCommands
{
    public static Command Create(Option<string?> config)
    {
        var olderThan = new Option<int>("--older-than-minutes")
        {
            Description = "Only versions accepted at least this long ago (so work still on its way through the broker is left alone).",
            DefaultValueFactory = _ => 60,
        };
        var limit = new Option<int>("--limit") { Description = "At most this many versions.", DefaultValueFactory = _ => 100_000 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count them." };
        var reenqueue = new Command("reenqueue",
            "Re-enqueue versions still queued or processing, with no work item, accepted before the bound (e.g. after a JetStream stream was lost).")
            { olderThan, limit, dryRun };
        reenqueue.SetAction(async (parse, ct) =>
        {
            var minutes = parse.GetValue(olderThan);
            var max = parse.GetValue(limit);
            if (minutes < 0) throw new CliException("--older-than-minutes must be 0 or more.");
            if (max < 1) throw new CliException("--limit must be at least 1.");
            using var sp = CliHost.Build(parse.GetValue(config));
            var repair = sp.GetRequiredService<QueueRepair>();
            if (parse.GetValue(dryRun))
            {
                var found = await repair.FindStrandedAsync(TimeSpan.FromMinutes(minutes), max, ct);
                Console.WriteLine($"{found.Count} version(s) would be re-enqueued.");
                return 0;
            }
            var count = await repair.ReenqueueAsync(TimeSpan.FromMinutes(minutes), max, "cli", ct);
            Console.WriteLine($"Re-enqueued {count} version(s).");
            return 0;
        });
        return new Command("queue", "The work queue.") { reenqueue };
    }
}
