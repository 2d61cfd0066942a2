using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Notices;

/// <summary>
/// Every <see cref="NoticeOptions.PollSeconds"/>: matches waiting notices (content that has arrived), answers notices whose
/// case is decided, and sends the outbox. Each step is idempotent, so a crash between them only delays the next.
/// </summary>
public sealed class NoticeWorker(NoticeService notices, NotifierDelivery delivery, NoticeOptions options, Pipeline.PipelineOptions pipeline, TimeProvider clock, ILogger<NoticeWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off with the pipeline's workers (tests and one-off hosts drive the passes themselves through RunOnceAsync).
        if (!pipeline.WorkersEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogError(ex, "Notice pass failed; retrying in {Seconds} s", options.PollSeconds); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass: match, relay, send.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await notices.MatchPendingAsync(ct);
        await notices.RelayDecisionsAsync(ct);
        await delivery.SendPendingAsync(ct);
    }
}
