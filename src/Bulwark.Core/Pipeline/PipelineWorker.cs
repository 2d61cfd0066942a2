using Bulwark.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Pipeline;

/// <summary>What readiness checks read about the workers.</summary>
public sealed class WorkerStatus
{
    private long _heartbeat;
    public bool Enabled { get; set; }
    public int Running;
    public string? LastError { get; set; }
    public DateTimeOffset LastHeartbeat => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _heartbeat));
    public void Beat(DateTimeOffset now) => Interlocked.Exchange(ref _heartbeat, now.ToUnixTimeMilliseconds());
}

/// <summary>
/// The queue listener: claims batches, hands them to the processor, acknowledges or schedules retries. It owns retries and
/// dead-lettering; when the database is unreachable it backs off and keeps trying rather than stopping.
/// </summary>
public sealed class PipelineWorker(
    IWorkQueue queue,
    PipelineProcessor processor,
    PipelineOptions options,
    WorkSignal signal,
    WorkerStatus status,
    BulwarkMetrics metrics,
    Backoff backoff,
    PipelineStatus contentStatus,
    TimeProvider clock,
    ILogger<PipelineWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        status.Enabled = options.WorkersEnabled;
        if (!options.WorkersEnabled) return Task.CompletedTask;
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var loops = Enumerable.Range(0, options.Workers).Select(i => Task.Run(() => LoopAsync($"{owner}:{i}", stoppingToken), stoppingToken));
        return Task.WhenAll(loops.Append(Task.Run(() => DepthLoopAsync(stoppingToken), stoppingToken)));
    }

    private async Task LoopAsync(string owner, CancellationToken ct)
    {
        Interlocked.Increment(ref status.Running);
        var consecutiveErrors = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                status.Beat(clock.GetUtcNow());
                try
                {
                    var batch = await queue.ClaimAsync(owner, options.BatchSize, ct);
                    if (batch.Count == 0)
                    {
                        if (!queue.ClaimWaits) await signal.WaitAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), ct);
                        consecutiveErrors = 0;
                        continue;
                    }
                    BatchOutcome outcome;
                    using (var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        var renewing = RenewLeasesAsync(owner, batch, renewal.Token);
                        try { outcome = await processor.ProcessAsync(batch, ct); }
                        finally
                        {
                            await renewal.CancelAsync();
                            await renewing;
                        }
                    }
                    await queue.CompleteAsync(outcome.Completed, ct);
                    // The status first: were the worker to stop between the two, the item comes back and is dead-lettered again.
                    await contentStatus.MarkFailedAsync(outcome.Failed.Where(f => f.IsFinal(options.MaxAttempts)).ToList(), ct);
                    var dead = await queue.FailAsync(outcome.Failed, ct);
                    if (dead.Count > 0)
                    {
                        metrics.EventsDeadLettered.Add(dead.Count);
                        log.LogWarning("{Count} work items dead-lettered", dead.Count);
                    }
                    consecutiveErrors = 0;
                    status.LastError = null;
                    if (batch.Count < options.BatchSize && options.LingerMilliseconds > 0)
                        await Task.Delay(TimeSpan.FromMilliseconds(options.LingerMilliseconds), clock, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    // Typically the database is unreachable. Leased items return to the queue when their lease expires.
                    consecutiveErrors++;
                    status.LastError = ex.Message;
                    var delay = backoff.Delay(Math.Min(consecutiveErrors, 6));
                    log.LogError(ex, "Worker {Owner} failed (attempt {Count}); retrying in {Delay}", owner, consecutiveErrors, delay);
                    try { await Task.Delay(delay, clock, ct); } catch (OperationCanceledException) { break; }
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref status.Running);
        }
    }

    /// <summary>
    /// Keeps a batch's leases alive while it is processed (every third of a lease), so a long video or OCR stage does not
    /// let the lease run out and the same items go to a second worker. Ends when <paramref name="ct"/> is cancelled.
    /// </summary>
    private async Task RenewLeasesAsync(string owner, IReadOnlyList<ClaimedWork> batch, CancellationToken ct)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(1000, options.LeaseSeconds * 1000L / 3));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, ct);
                var renewed = await queue.RenewAsync(batch, ct);
                if (renewed < batch.Count)
                    log.LogWarning("Worker {Owner} kept {Renewed} of {Count} leases; the others expired or were completed", owner, renewed, batch.Count);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next tick tries again while the lease still runs.
                log.LogWarning(ex, "Worker {Owner} could not renew its leases", owner);
            }
        }
    }

    private async Task DepthLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { metrics.SetQueueDepth(await queue.DepthAsync(ct)); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex) { log.LogDebug(ex, "Queue depth unavailable"); }
            try { await Task.Delay(TimeSpan.FromSeconds(5), clock, ct); } catch (OperationCanceledException) { break; }
        }
    }
}
