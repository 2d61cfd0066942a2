using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bulwark.Queue.JetStream;

/// <summary>
/// Part of <c>/health/ready</c>: the stream and consumer are usable (verifying them if not yet done). An unreachable broker
/// makes the process degraded, not unready: the API still accepts into the outbox and the relay drains it when the broker is back.
/// </summary>
public sealed class BrokerHealthCheck(JetStreamBroker broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await broker.ConsumerAsync(ct);
            return HealthCheckResult.Healthy($"JetStream at {broker.Options.Url}: stream {broker.Options.Stream}, consumer {broker.Options.Consumer}");
        }
        catch (JetStreamUnavailableException ex)
        {
            return HealthCheckResult.Degraded(ex.Message);
        }
    }
}
