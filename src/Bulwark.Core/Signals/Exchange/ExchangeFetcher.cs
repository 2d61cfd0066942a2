using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// The schedule: every <see cref="ExchangeOptions.TickSeconds"/> (on the injected clock) each enabled partner whose interval
/// has passed since its last fetch is synchronised, then due opinions are sent. A failing partner is recorded and retried
/// at its next interval; it never stops the others.
/// </summary>
public sealed class ExchangeFetcher(ExchangeOptions options, ExchangeSyncService sync, ExchangeFeedback feedback, IBulwarkDbFactory dbs, TimeProvider clock, ILogger<ExchangeFetcher> log)
    : BackgroundService
{
    public const string Actor = "exchange-fetcher";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WorkerEnabled || options.Partners.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { log.LogError(ex, "Exchange fetcher round failed; the next round tries again"); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.TickSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One round: due partners, then due opinions.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Dictionary<string, DateTimeOffset?> last;
        await using (var db = dbs.Create())
            last = await db.Set<ExchangeStateRow>().AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.LastFetchAt, ct);
        foreach (var p in options.Partners.Where(p => p.Enabled))
        {
            if (last.GetValueOrDefault(p.Name) is { } at && now - at < TimeSpan.FromMinutes(p.IntervalMinutes)) continue;
            try { await sync.SyncAsync(p.Name, Actor, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogError(ex, "Exchange {Exchange}: synchronisation failed", p.Name); }
        }
        await feedback.SendDueAsync(ct);
    }
}
