using System.Diagnostics.Metrics;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>Webhook delivery instruments, on the <c>Bulwark</c> meter exported at <c>/metrics</c>.</summary>
public sealed class WebhookMetrics
{
    public WebhookMetrics(IMeterFactory factory)
    {
        var meter = factory.Create(Telemetry.BulwarkMetrics.MeterName);
        Delivered = meter.CreateCounter<long>("bulwark.webhooks.delivered", "{delivery}", "Webhook deliveries a receiver accepted (2xx).");
        Failed = meter.CreateCounter<long>("bulwark.webhooks.failed", "{attempt}", "Webhook attempts that failed (non-2xx, timeout, connection error); retried later or dead-lettered.");
        DeadLettered = meter.CreateCounter<long>("bulwark.webhooks.dead_lettered", "{delivery}", "Webhook deliveries that failed every attempt.");
        Duration = meter.CreateHistogram<double>("bulwark.webhooks.request.duration", "ms", "Time from sending a webhook request to its answer or failure.");
    }

    public Counter<long> Delivered { get; }
    public Counter<long> Failed { get; }
    public Counter<long> DeadLettered { get; }
    public Histogram<double> Duration { get; }
}
