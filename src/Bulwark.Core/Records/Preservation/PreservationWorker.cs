using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Records.Preservation;

/// <summary>
/// The preservation job: every <see cref="PreservationOptions.CopyIntervalSeconds"/> it copies pending items, and every
/// <see cref="PreservationOptions.PurgeIntervalMinutes"/> it purges expired items without an active hold. Time comes from
/// the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
public sealed class PreservationWorker(
    PreservationService service, PreservationOptions options, Pipeline.PipelineOptions pipeline, TimeProvider clock, ILogger<PreservationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // API-only nodes (Bulwark:Pipeline:WorkersEnabled=false) leave background work to the worker nodes.
        if (!pipeline.WorkersEnabled) return;
        var nextPurge = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await service.CopyPendingAsync(stoppingToken);
                var now = clock.GetUtcNow();
                if (now >= nextPurge)
                {
                    // Scheduled from the round's start, so a slow purge does not push the next one further out.
                    nextPurge = now.AddMinutes(options.PurgeIntervalMinutes);
                    var purged = await service.PurgeExpiredAsync(stoppingToken);
                    if (purged > 0) log.LogInformation("Purged {Count} expired preservation item(s)", purged);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                // The job must outlive a failing database or disk; it tries again on the next round.
                log.LogError(ex, "Preservation job round failed");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(options.CopyIntervalSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
