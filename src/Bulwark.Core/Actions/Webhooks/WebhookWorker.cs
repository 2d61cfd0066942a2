using Bulwark.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// Runs <see cref="WebhookDispatcher.RunOnceAsync"/> in a loop. With nothing to send it waits for this process's next commit
/// of actions (<see cref="ActionCommitSignal"/>) or a poll interval, whichever comes first: an action committed here goes out
/// at once, one committed by another process at the next poll.
/// </summary>
public sealed class WebhookWorker(WebhookDispatcher dispatcher, WebhookOptions options, ActionCommitSignal committed, TimeProvider clock, ILogger<WebhookWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.WorkerEnabled) return;
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var errors = 0;
        var nextPurge = clock.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() >= nextPurge)
                {
                    // Hourly, in slices: delivered rows past their retention (the actions themselves are kept).
                    int purged;
                    do purged = await dispatcher.PurgeDeliveredAsync(5_000, ct); while (purged == 5_000 && !ct.IsCancellationRequested);
                    nextPurge = clock.GetUtcNow().AddHours(1);
                }
                DispatchRound round;
                // Short bookkeeping transactions, bound by delivery latency: on SQLite they pass the pipeline's waiting batches.
                using (WritePriority.Urgent()) round = await dispatcher.RunOnceAsync(owner, ct);
                errors = 0;
                if (round.Claimed < options.BatchSize && !round.MoreToFanOut)
                    await committed.WaitAsync(TimeSpan.FromMilliseconds(round.Claimed == 0 ? options.PollMilliseconds : 10), clock, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                // Typically the database is unreachable; claimed deliveries come back when their lease runs out.
                errors++;
                log.LogError(ex, "Webhook dispatch failed ({Count} in a row)", errors);
                await Task.Delay(dispatcher.Delay(Math.Min(errors, 6)), clock, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
