using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Actions.Review.Routing;

public static class QueueRoutingRegistration
{
    /// <summary>Queues and routing managed in the console, and the refresher that puts other processes' changes in force.</summary>
    public static IServiceCollection AddBulwarkQueueRouting(this IServiceCollection services)
    {
        services.AddSingleton<QueueRoutingService>();
        services.AddHostedService<QueueRoutingRefresher>();
        return services;
    }
}

/// <summary>
/// Reads the newest stored queue version at start-up (before requests are served) and every
/// <see cref="QueueRoutingService.RefreshInterval"/>, so a change saved by another process is in force here without a restart.
/// </summary>
internal sealed class QueueRoutingRefresher(QueueRoutingService routing, TimeProvider clock, ILogger<QueueRoutingRefresher> log) : IHostedService, IDisposable
{
    // Cancelled, never disposed: the host may stop this service after the container has disposed it (a test host's
    // disposal did, and StopAsync then threw ObjectDisposedException). A token source with no timer holds nothing to free.
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken ct)
    {
        try { await routing.RefreshAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Reading the console's queue settings failed at start-up; retrying every {Interval}", QueueRoutingService.RefreshInterval); }
        _loop = LoopAsync(_stop.Token);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(QueueRoutingService.RefreshInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try { await routing.RefreshAsync(ct); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Reading the console's queue settings failed; the previous ones stay in force"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
    }

    public void Dispose() => _stop.Cancel();
}
