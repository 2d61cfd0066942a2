using System.Threading.Channels;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Signals.KnownContent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Bulwark.Queue.JetStream;

/// <summary>
/// Bank and registry change notices between processes, on the NATS connection the work queue uses: a process that changed
/// banks or the registry publishes <c>{ChangesSubject}.banks</c> or <c>.registry</c>; every other process refreshes its PDQ
/// index or entity matcher when one arrives. Notices are core NATS messages (at most once, not kept in a stream): one missed
/// while a process was disconnected is made up for by the database polling every process keeps as its fallback.
/// Publishing never blocks the change that caused it (a bounded queue drained here; while the broker is down, the oldest
/// pending notice is dropped — they all say the same thing).
/// </summary>
public sealed class ReferenceChangeRelay(
    NatsReferenceChangeNotices notices, JetStreamBroker broker, PdqIndexService pdq, EntityScreeningService screening, ILogger<ReferenceChangeRelay> log)
    : BackgroundService
{
    private long _received;

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Notices from other processes acted on so far (for tests and diagnostics).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Completes once the server has registered this process's subscription (notices sent before are not seen).</summary>
    public Task Subscribed => _subscribed.Task;

    public static string SubjectOf(JetStreamOptions options, ReferenceData what) =>
        $"{options.ChangesSubject}.{(what == ReferenceData.Banks ? "banks" : "registry")}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PublishLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));

    private async Task PublishLoopAsync(CancellationToken ct)
    {
        var headers = new NatsHeaders { [NatsReferenceChangeNotices.OriginHeader] = notices.Origin };
        try
        {
            await foreach (var what in notices.Pending.ReadAllAsync(ct))
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await broker.Connection.ConnectAsync();
                        await broker.Connection.PublishAsync(SubjectOf(broker.Options, what), what.ToString(), headers: headers, cancellationToken: ct);
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Best effort: the other processes' polling picks the change up anyway.
                        if (attempt >= 2) { log.LogWarning("A {What} change notice was not published ({Reason}); other processes will see the change at their next poll", what, ex.Message); break; }
                        await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await broker.Connection.ConnectAsync();
                // The client re-subscribes by itself after a reconnect; this loop only starts over if the subscription ends.
                await using var sub = await broker.Connection.SubscribeCoreAsync<string>($"{broker.Options.ChangesSubject}.>", cancellationToken: ct);
                await broker.Connection.PingAsync(ct); // the server has seen the subscription once it answers
                _subscribed.TrySetResult();
                delay = TimeSpan.FromSeconds(1);
                await foreach (var msg in sub.Msgs.ReadAllAsync(ct))
                {
                    if (msg.Headers is { } h && h.TryGetValue(NatsReferenceChangeNotices.OriginHeader, out var origin) && origin == notices.Origin) continue; // our own
                    await ApplyAsync(msg.Subject.EndsWith(".banks", StringComparison.Ordinal) ? ReferenceData.Banks : ReferenceData.Registry, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogWarning("Not listening for bank and registry change notices ({Reason}); retrying, and polling the database meanwhile", ex.Message);
            }
            try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task ApplyAsync(ReferenceData what, CancellationToken ct)
    {
        try
        {
            // Only what this process has loaded; refreshing is what the poll would do, just sooner.
            if (what == ReferenceData.Banks) { if (pdq.Loaded) await pdq.RefreshAsync(ct); }
            else if (screening.Loaded) await screening.RefreshAsync(force: false, ct);
            Interlocked.Increment(ref _received);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Refreshing after a {What} change notice failed; the next poll retries", what);
        }
    }
}

/// <summary>The publishing side that the PDQ index and the entity matcher call: queues the notice for <see cref="ReferenceChangeRelay"/>.</summary>
public sealed class NatsReferenceChangeNotices : IReferenceChangeNotices
{
    internal const string OriginHeader = "Bulwark-Origin";
    private readonly Channel<ReferenceData> _pending = Channel.CreateBounded<ReferenceData>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>This process, so that it ignores its own notices (it has already applied the change).</summary>
    internal string Origin { get; } = Guid.NewGuid().ToString("N");

    internal ChannelReader<ReferenceData> Pending => _pending.Reader;

    public void Changed(ReferenceData what) => _pending.Writer.TryWrite(what);
}
