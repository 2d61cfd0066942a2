using System.Diagnostics.Metrics;
using Bulwark.Core.Storage;
using Bulwark.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// The queue as an operator watches it, the same five numbers for every queue provider:
/// <see cref="Depth"/> items not finished (waiting, retrying or in flight; for JetStream the outbox rows plus the stream's messages),
/// <see cref="Lag"/> items waiting that no worker holds yet (JetStream: the consumer's pending count),
/// <see cref="InFlight"/> items a worker holds now, <see cref="Redelivered"/> unfinished items delivered more than once,
/// <see cref="DeadLetters"/> items given up on (for both providers the dead-letter rows of <c>work_items</c>).
/// </summary>
public sealed record QueueSnapshot(long Depth, long Lag, long InFlight, long Redelivered, long DeadLetters);

/// <summary>Reads a <see cref="QueueSnapshot"/>; each queue provider registers its own (the database's is the default).</summary>
public interface IQueueGauges
{
    Task<QueueSnapshot> ReadAsync(CancellationToken ct);
}

/// <summary>The database queue's numbers, from <c>work_items</c>.</summary>
public sealed class DbQueueGauges(IBulwarkDbFactory dbs, TimeProvider clock) : IQueueGauges
{
    public async Task<QueueSnapshot> ReadAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var live = db.WorkItems.AsNoTracking().Where(w => !w.DeadLettered);
        var depth = await live.LongCountAsync(ct);
        var inFlight = await live.LongCountAsync(w => w.LeaseUntil != null && w.LeaseUntil > now, ct);
        var lag = await live.LongCountAsync(w => (w.LeaseUntil == null || w.LeaseUntil <= now) && w.AvailableAt <= now, ct);
        var redelivered = await live.LongCountAsync(w => w.Attempts > 1, ct);
        var dead = await db.WorkItems.AsNoTracking().LongCountAsync(w => w.DeadLettered, ct);
        return new QueueSnapshot(depth, lag, inFlight, redelivered, dead);
    }
}

/// <summary>
/// Samples <see cref="IQueueGauges"/> every few seconds (never inside a scrape: a slow database must not stall /metrics) and
/// exposes the last sample as gauges on the <c>Bulwark</c> meter: <c>bulwark.queue.lag</c>, <c>bulwark.queue.in_flight</c>,
/// <c>bulwark.queue.redelivered</c>, <c>bulwark.queue.dead_letters</c> (the depth is <c>bulwark.queue.depth</c>, which the
/// workers also report). Every process reports the same shared queue, so aggregate with max, not sum.
/// </summary>
public sealed class QueueGaugeSampler : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly IQueueGauges _gauges;
    private readonly BulwarkMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueGaugeSampler> _log;
    private QueueSnapshot? _last;

    public QueueGaugeSampler(IQueueGauges gauges, BulwarkMetrics metrics, TimeProvider clock, ILogger<QueueGaugeSampler> log, IMeterFactory? meters = null)
    {
        _gauges = gauges;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        var meter = meters?.Create(BulwarkMetrics.MeterName) ?? new Meter(BulwarkMetrics.MeterName);
        meter.CreateObservableGauge("bulwark.queue.lag", () => Observe(s => s.Lag), "{item}", "Items waiting that no worker holds yet.");
        meter.CreateObservableGauge("bulwark.queue.in_flight", () => Observe(s => s.InFlight), "{item}", "Items a worker holds now.");
        meter.CreateObservableGauge("bulwark.queue.redelivered", () => Observe(s => s.Redelivered), "{item}", "Unfinished items delivered more than once.");
        meter.CreateObservableGauge("bulwark.queue.dead_letters", () => Observe(s => s.DeadLetters), "{item}", "Items given up on (dead-lettered).");
    }

    /// <summary>The last sample, or null before the first one.</summary>
    public QueueSnapshot? Last => Volatile.Read(ref _last);

    private IEnumerable<Measurement<long>> Observe(Func<QueueSnapshot, long> pick) =>
        Last is { } s ? [new Measurement<long>(pick(s))] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var s = await _gauges.ReadAsync(stoppingToken);
                Volatile.Write(ref _last, s);
                _metrics.SetQueueDepth(s.Depth);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { _log.LogDebug(ex, "Queue gauges not sampled"); } // the broker or database may be away; /health/ready says so
            try { await Task.Delay(Interval, _clock, stoppingToken); } catch (OperationCanceledException) { return; }
        }
    }
}

public static class QueueGaugeRegistration
{
    /// <summary>The database queue's gauges (a broker queue replaces <see cref="IQueueGauges"/>) and their sampler.</summary>
    public static IServiceCollection AddQueueGauges(this IServiceCollection services)
    {
        services.AddSingleton<IQueueGauges, DbQueueGauges>();
        services.AddSingleton<QueueGaugeSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueGaugeSampler>());
        return services;
    }
}
