using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>Runs the removal orders' clock (<see cref="RemovalOrderService.TickAsync"/>) every <see cref="RemovalOrderOptions.TickSeconds"/>.</summary>
public sealed class RemovalOrderWorker(RemovalOrderService orders, RemovalOrderOptions options, TimeProvider clock, ILogger<RemovalOrderWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await orders.TickAsync(stoppingToken);
                if (run.Alerted + run.Breached > 0) log.LogWarning("Removal orders: {Alerted} alerted, {Breached} breached", run.Alerted, run.Breached);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogError(ex, "The removal orders' clock run failed; it runs again shortly"); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.TickSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
